// I/O failures end in a sentence that names the path and says what to do (exit 2), never in
// "internal error" and a stack trace; `init` makes all or nothing; a report file never gets
// colour. Permission cases run the built binary as an unprivileged user when the tests run as
// root (root may write anywhere), and in process otherwise.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { reportableStack } from "../../src/cli.js";
import { runCli, type Run } from "../cli-harness.js";

const work = mkdtempSync(join(tmpdir(), "careplan-io-"));
chmodSync(work, 0o755); // the unprivileged user must reach the folders below
afterAll(() => {
  chmodAll(work);
  rmSync(work, { recursive: true, force: true });
});

function chmodAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && !entry.isSymbolicLink()) chmodAll(join(dir, entry.name));
}

let count = 0;
function folder(): string {
  const path = join(work, `case-${++count}`);
  mkdirSync(path);
  chmodSync(path, 0o777);
  return path;
}

function repository(): string {
  const path = join(folder(), "repo");
  cpSync(join(PACKAGE_ROOT, "fixtures/check/small"), path, { recursive: true });
  chmodAll(path);
  return path;
}

const NO_STACK = /internal error|\n\s+at /;

describe("-o and $GITHUB_STEP_SUMMARY", () => {
  it.each([
    ["check into a missing folder", ["check", ".", "-o", "missing/report.txt"], /-o missing\/report\.txt: cannot write the file: its folder does not exist\. Name a file in a folder that exists/],
    ["check onto a folder", ["check", ".", "-o", "children"], /-o children: cannot write the file: it is a folder\./],
    ["timeline into a missing folder", ["timeline", ".", "-o", "missing/due.ics", "--format", "ics"], /-o missing\/due\.ics: cannot write the file: its folder does not exist/],
    ["timeline onto a folder", ["timeline", ".", "-o", "children"], /-o children: cannot write the file: it is a folder\./],
  ])("%s: a clear message, exit 2", async (_, argv, message) => {
    const repo = repository();
    const run = await runCli([...argv, "--as-of", "2026-01-20"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it("a $GITHUB_STEP_SUMMARY that cannot be written: a clear message, exit 2", async () => {
    const repo = repository();
    const run = await runCli(["check", ".", "--format", "github", "--as-of", "2026-01-20"], { cwd: repo, env: { GITHUB_STEP_SUMMARY: join(repo, "missing/summary.md") } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot append the summary to \$GITHUB_STEP_SUMMARY, .*missing\/summary\.md: it does not exist.* Set GITHUB_STEP_SUMMARY to a file you can write to, or unset it\./);
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it.each([
    ["FORCE_COLOR", ["check"], { FORCE_COLOR: "3" }],
    ["--color", ["check", "--color"], {}],
    ["FORCE_COLOR on the timeline", ["timeline", "--all"], { FORCE_COLOR: "1" }],
  ])("%s writes no colour codes into an -o file", async (_, [command, ...flags], env) => {
    const repo = repository();
    const run = await runCli([command!, ".", ...flags, "-o", "report.txt", "--as-of", "2026-01-20"], { cwd: repo, env, tty: true });
    expect(run.code, run.stderr).toBeLessThan(2);
    const report = readFileSync(join(repo, "report.txt"), "utf8");
    expect(report.length).toBeGreaterThan(0);
    expect(report).not.toContain("\u001b");
  });
});

describe("init makes all or nothing", () => {
  it.each(["careplan.yaml", "README.md", "children"])("over a link to nothing named %s: refused, nothing written", async (name) => {
    const dir = folder();
    symlinkSync(join(dir, "nowhere"), join(dir, name));
    const run = await runCli(["init", "."], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${name} already exists: nothing was written`));
    expect(readdirSync(dir)).toEqual([name]);
  });

  it("a step that fails takes back what init made", async () => {
    const dir = folder();
    symlinkSync(join(dir, "nowhere"), join(dir, "settings"));
    const run = await runCli(["init", "new/repo", "--config", "settings/careplan.yaml"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot start a case-file repository in new\/repo: it does not exist, or a folder on the way to it does not\. Nothing was written\./);
    expect(readdirSync(dir)).toEqual(["settings"]);
  });
});

describe("a bug still asks to be reported with its stack, without the install folder", () => {
  it("shortens the folder careplan runs from", () => {
    const stack = reportableStack(new Error("a bug"));
    expect(stack).toMatch(/^Error: a bug\n\s+at /);
    expect(stack).toContain("<careplan>/test/security/io-errors.test.ts");
    expect(stack).not.toContain(PACKAGE_ROOT);
  });
});

// As root, the built binary runs as nobody (uid 65534); otherwise the permissions bind us already.
const asRoot = process.getuid?.() === 0;
function runUnprivileged(argv: string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin/careplan"), ...argv], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, CI: "true" },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("folders that cannot be written or read (after npm run build)", () => {
  it("init in a read-only folder: a clear message, nothing written", () => {
    const dir = folder();
    chmodSync(dir, 0o555);
    const run = runUnprivileged(["init", "."], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot start a case-file repository in \.: permission denied\. Nothing was written\./);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("init into a new folder under a read-only one", () => {
    const dir = folder();
    chmodSync(dir, 0o555);
    const run = runUnprivileged(["init", "repo"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot start a case-file repository in repo: permission denied/);
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it("new into a read-only child's folder", () => {
    const repo = repository();
    chmodSync(join(repo, "children/AB-1"), 0o555);
    const run = runUnprivileged(["new", "visit", "--child", "AB-1", "--date", "2026-01-12", "--set", "seen_alone=true"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write children\/AB-1\/2026-01-12-visit\.md: permission denied\. Check that you can write to the child's folder; nothing was written\./);
  });

  it("new child into a read-only children folder", () => {
    const repo = repository();
    chmodSync(join(repo, "children"), 0o555);
    const profile = ["name=A", "dob=2016-04-12", "looked_after_since=2026-01-05", "legal_status=care-order", "iro.name=B", "social_worker.name=C", "placements.0.start=2026-01-05", "placements.0.type=foster-care"];
    const run = runUnprivileged(["new", "child", "--id", "ZZ-1", ...profile.flatMap((value) => ["--set", value])], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot create the child's folder children\/ZZ-1: permission denied/);
  });

  it("-o into a read-only folder", () => {
    const repo = repository();
    chmodSync(repo, 0o555);
    const run = runUnprivileged(["check", ".", "--as-of", "2026-01-20", "-o", "report.txt"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/-o report\.txt: cannot write the file: permission denied/);
  });

  it("an unreadable children folder: a clear message, exit 2", () => {
    const repo = repository();
    chmodSync(join(repo, "children"), 0o000);
    const run = runUnprivileged(["check", ".", "--as-of", "2026-01-20"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/children: the children folder cannot be read \(permission denied\)\. Check the folder's permissions\./);
  });

  it("an unreadable child's folder: a `read` finding on the child; the run goes on", () => {
    const repo = repository();
    mkdirSync(join(repo, "children/CD-2"));
    chmodSync(join(repo, "children/CD-2"), 0o000);
    const run = runUnprivileged(["check", ".", "--as-of", "2026-01-20", "--format", "json"], repo);
    expect(run.code, run.stderr).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: { file: string; rule: string; message: string }[] }).findings;
    expect(findings).toContainEqual(expect.objectContaining({ file: "children/CD-2/child.md", rule: "read", message: expect.stringMatching(/the child's folder cannot be read \(permission denied\)/) }));
    expect(findings).toContainEqual(expect.objectContaining({ file: "children/AB-1/2026-01-09-visit.md", rule: "schema" }));
  });

  it("an unreadable document: a `read` finding", () => {
    const repo = repository();
    chmodSync(join(repo, "children/AB-1/2026-01-09-visit.md"), 0o000);
    const run = runUnprivileged(["check", ".", "--as-of", "2026-01-20", "--format", "json"], repo);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).findings).toContainEqual(expect.objectContaining({ file: "children/AB-1/2026-01-09-visit.md", rule: "read", message: expect.stringMatching(/permission denied/) }));
  });

  it("a path behind a folder that cannot be entered: says so, rather than that it does not exist", () => {
    const dir = folder();
    const repo = join(dir, "locked", "repo");
    cpSync(join(PACKAGE_ROOT, "fixtures/check/small"), repo, { recursive: true });
    chmodSync(join(dir, "locked"), 0o000);
    const run = runUnprivileged(["check", "locked/repo", "--as-of", "2026-01-20"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read locked\/repo: permission denied\. Check the path and the permissions of the folders on the way to it\./);
  });

  it("an unreadable careplan.yaml: a configuration error", () => {
    const repo = repository();
    chmodSync(join(repo, "careplan.yaml"), 0o000);
    const run = runUnprivileged(["check", ".", "--as-of", "2026-01-20"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/careplan\.yaml: permission denied\. Check the file's permissions\./);
  });
});

describe("no stack trace in any of these", () => {
  it("was checked above: the binary's own output for a missing -o folder", () => {
    const repo = repository();
    const run = runUnprivileged(["check", ".", "--as-of", "2026-01-20", "-o", "missing/report.txt"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(repo, "missing"))).toBe(false);
  });
});
