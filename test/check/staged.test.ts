// check --staged, in a real git repository: what the next commit holds, read from the index.
// An edit not yet staged must neither hide a finding nor create one.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli-harness.js";
import { PROFILE, repositoryWith, visit } from "./repository.js";

// Real git and child processes: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const COMMITTER = { GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.org", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.org" };
const AS_OF = "2026-03-02";
/** Overdue deadlines are warnings here: every profile has some, and they show which children were checked. */
const CONFIG = "policy: england\nseverity:\n  timescale/*: warning\n";
const BROKEN_VISIT = visit("seen_alone: yes");

let repository: ReturnType<typeof repositoryWith>;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repository.path, env: { ...process.env, ...COMMITTER }, encoding: "utf8", stdio: "pipe" });
const profile = (id: string) => PROFILE.replace("id: AB-1", `id: ${id}`);
const visitOf = (id: string, text = visit()) => text.replace("child: AB-1", `child: ${id}`);

beforeEach(() => {
  repository = repositoryWith({ "careplan.yaml": CONFIG, "children/AA/child.md": profile("AA"), "children/BB/child.md": profile("BB") });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "first");
});
afterEach(() => repository.remove());

/** The exit code, [file, rule] of each finding that is not an overdue deadline, and the children checked. */
async function staged(...args: string[]): Promise<{ code: number; found: string[][]; children: string[] }> {
  const run = await runCli(["check", "--staged", "--as-of", AS_OF, "--format", "json", ...args], { cwd: repository.path });
  expect(run.code, run.stderr).not.toBe(2);
  const findings = (JSON.parse(run.stdout) as { findings: { file: string; rule: string }[] }).findings;
  return {
    code: run.code,
    found: findings.filter((f) => !f.rule.startsWith("timescale/")).map((f) => [f.file, f.rule]),
    children: [...new Set(findings.map((f) => f.file.split("/")[1]!))].sort(),
  };
}

describe("careplan check --staged", () => {
  it("checks nothing when nothing is staged, whatever the working tree holds", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    expect(await staged()).toMatchObject({ code: 0, children: [] });
  });

  it("shows an overdue deadline as a warning: a commit is never stopped for one, CI still is", async () => {
    writeFileSync(join(repository.path, "careplan.yaml"), "policy: england\n"); // deadlines are errors by default
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA") });
    git("add", ".");
    const run = await runCli(["check", "--staged", "--as-of", AS_OF, "--format", "json"], { cwd: repository.path });
    const findings = (JSON.parse(run.stdout) as { findings: { rule: string; severity: string }[] }).findings;
    const deadlines = findings.filter((f) => f.rule.startsWith("timescale/"));
    expect(deadlines.length).toBeGreaterThan(0);
    expect(new Set(deadlines.map((f) => f.severity))).toEqual(new Set(["warning"]));
    expect(run.code).toBe(0);
    const ci = await runCli(["check", "--as-of", AS_OF, "--format", "json"], { cwd: repository.path });
    expect(ci.code).toBe(1);
    expect(JSON.parse(ci.stdout).findings.filter((f: { rule: string }) => f.rule.startsWith("timescale/")).every((f: { severity: string }) => f.severity === "error")).toBe(true);
  });

  it("finds an error that is staged", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("add", ".");
    expect(await staged()).toMatchObject({ code: 1, found: [["children/AA/2026-02-20-visit.md", "schema"]] });
  });

  it("an unstaged fix does not hide a staged error", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("add", ".");
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA") });
    expect(await staged()).toMatchObject({ code: 1, found: [["children/AA/2026-02-20-visit.md", "schema"]] });
  });

  it("an unstaged error does not show in a clean staged document", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA") });
    git("add", ".");
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT), "children/AA/2026-02-21-visit.md": "not a document" });
    expect(await staged()).toMatchObject({ code: 0, found: [], children: ["AA"] });
  });

  it("a staged document deleted from the working tree is still checked; a deletion staged is gone", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("add", ".");
    rmSync(join(repository.path, "children/AA/2026-02-20-visit.md"));
    expect((await staged()).found).toEqual([["children/AA/2026-02-20-visit.md", "schema"]]);
    git("rm", "-q", "--cached", "children/AA/2026-02-20-visit.md");
    expect((await staged()).found).toEqual([]);
  });

  it("checks only the children the commit touches, each whole", async () => {
    repository.write({ "children/BB/2026-02-20-visit.md": visitOf("BB", BROKEN_VISIT) });
    git("add", ".");
    git("commit", "-q", "-m", "BB's broken visit");
    repository.write({ "children/AA/notes.txt": "a note\n" });
    git("add", ".");
    expect((await staged()).children).toEqual(["AA"]);
    repository.write({ "children/BB/child.md": profile("BB") + "\nMore.\n" });
    git("add", ".");
    expect(await staged()).toMatchObject({ children: ["AA", "BB"], found: [["children/BB/2026-02-20-visit.md", "schema"]] });
  });

  it("reads careplan.yaml from the index: an unstaged severity change hides nothing", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("add", ".");
    repository.write({ "careplan.yaml": `${CONFIG}  schema: off\n` });
    expect((await staged()).found).toEqual([["children/AA/2026-02-20-visit.md", "schema"]]);
    git("add", "careplan.yaml");
    expect((await staged()).found).toEqual([]);
  });

  it("reads the baseline from the index: an unstaged baseline hides nothing", async () => {
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("add", ".");
    expect((await runCli(["baseline", "--as-of", AS_OF], { cwd: repository.path })).code).toBe(0);
    expect((await staged()).found).toEqual([["children/AA/2026-02-20-visit.md", "schema"]]);
    git("add", "careplan-baseline.json");
    expect((await staged()).found).toEqual([]);
  });

  it("follows a staged link inside the repository and refuses one that leaves it", async () => {
    repository.write({ "shared/visit.md": visitOf("AA", BROKEN_VISIT) });
    execFileSync("ln", ["-s", "../../shared/visit.md", "children/AA/2026-02-20-visit.md"], { cwd: repository.path });
    execFileSync("ln", ["-s", "../../../outside.md", "children/AA/2026-02-21-visit.md"], { cwd: repository.path });
    git("add", ".");
    expect((await staged()).found).toEqual([
      ["children/AA/2026-02-20-visit.md", "schema"],
      ["children/AA/2026-02-21-visit.md", "read"],
    ]);
  });

  it("works in a repository with no commit yet", async () => {
    rmSync(join(repository.path, ".git"), { recursive: true });
    git("init", "-q", "-b", "main");
    repository.write({ "children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("add", ".");
    expect((await staged()).found).toEqual([["children/AA/2026-02-20-visit.md", "schema"]]);
  });

  it("finds git's index from a hook's relative GIT_INDEX_FILE when the case files are in a subfolder", async () => {
    rmSync(join(repository.path, ".git"), { recursive: true });
    repository.write({ "caseload/careplan.yaml": "policy: england\n", "caseload/children/AA/child.md": profile("AA"), "caseload/children/AA/2026-02-20-visit.md": visitOf("AA", BROKEN_VISIT) });
    git("init", "-q", "-b", "main");
    git("add", "caseload");
    // As git runs a pre-commit hook: at the top of the work tree, GIT_INDEX_FILE=.git/index.
    const run = await runCli(["check", "--staged", "caseload", "--as-of", AS_OF, "--format", "json"], { cwd: repository.path, env: { GIT_INDEX_FILE: ".git/index" } });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { rule: string }) => f.rule)).toContain("schema");
  });

  it("cannot be combined with --changed", async () => {
    const run = await runCli(["check", "--staged", "--changed"], { cwd: repository.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--staged and --changed cannot be used together");
  });
});
