// `careplan hooks install|uninstall|status` in real temporary git repositories, with the built
// careplan on PATH as a global install puts it: commits are made with real git, which runs the hook.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { PROFILE, visit } from "../check/repository.js";

// Real git and child processes: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const STAGED_ERROR = "`seen_alone` must be true or false";
const NOT_FOUND = "the pre-commit hook cannot find careplan";
// Dated long ago, so that the real today (the hook gives no --as-of) is after every document.
const profile = (id: string) => PROFILE.replace("id: AB-1", `id: ${id}`).replace(/2026-01-05/g, "2019-01-07");
const goodVisit = (id: string) => visit().replace("child: AB-1", `child: ${id}`).replace("2026-02-20", "2019-02-20");
const brokenVisit = (id: string) => goodVisit(id).replace("seen_alone: true", "seen_alone: yes");
const warningVisit = (id: string) => visit("seen_alone: true", ["Next steps"]).replace("child: AB-1", `child: ${id}`).replace("2026-02-20", "2019-02-20");

let folder: ReturnType<typeof temporaryFolder>;
let top: string;
/** Where the case files are in the git repository ("" for its top). */
let caseload: string;
/** PATH for git and the hook: careplan on it as a global install puts it. */
let path: string;

const env = () => ({ ...process.env, PATH: path, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.org", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.org" });
const git = (...args: string[]) => execFileSync("git", args, { cwd: top, env: env(), encoding: "utf8", stdio: "pipe" });
const write = (file: string, text: string, base = join(top, caseload)) => {
  mkdirSync(dirname(join(base, file)), { recursive: true });
  writeFileSync(join(base, file), text);
};
const hooks = (command: string, ...args: string[]) => runCli(["hooks", command, ...args], { cwd: join(top, caseload), env: { HOME: folder.path } });

/** Stages the files and commits; whether the commit was made, and what the hooks said. */
function commit(files: Record<string, string>, cwd = top): { made: boolean; said: string } {
  for (const [file, text] of Object.entries(files)) write(file, text);
  git("add", "-A");
  const before = git("rev-parse", "HEAD");
  try {
    execFileSync("git", ["commit", "-q", "-m", "a change"], { cwd, env: env(), encoding: "utf8", stdio: "pipe" });
    return { made: true, said: "" };
  } catch (error) {
    expect(git("rev-parse", "HEAD")).toBe(before);
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { made: false, said: stdout + stderr };
  }
}

/** Every file under a folder: its bytes and mode, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files[file] = `${(statSync(file).mode & 0o777).toString(8)} ${readFileSync(file).toString("base64")}`;
  }
  return files;
}

function setUp(subfolder = "") {
  folder = temporaryFolder();
  top = join(folder.path, "repository");
  caseload = subfolder;
  if (!existsSync(join(PACKAGE_ROOT, "dist/src/cli.js"))) throw new Error("build careplan first (npm run build): the hook runs bin/careplan");
  mkdirSync(join(folder.path, "bin"));
  symlinkSync(join(PACKAGE_ROOT, "bin/careplan"), join(folder.path, "bin/careplan"));
  path = `${join(folder.path, "bin")}:${process.env.PATH}`;
  mkdirSync(top);
  git("init", "-q", "-b", "main");
  // Deadlines move with the real date: these tests are about the hook, not about timescales.
  write("careplan.yaml", "policy: england\nseverity:\n  timescale/*: off\n");
  write("children/AA/child.md", profile("AA"));
  write("children/BB/child.md", profile("BB"));
  git("add", ".");
  git("commit", "-q", "-m", "the caseload");
}
afterEach(() => folder.remove());

describe("outside git", () => {
  it("says a git repository is needed (exit 2)", async () => {
    folder = temporaryFolder();
    writeFileSync(join(folder.path, "careplan.yaml"), "policy: england\n");
    const run = await runCli(["hooks", "install"], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not in a git repository, so it has no hooks: start one there (git init)");
  });
});

describe("in a repository with no pre-commit hook", () => {
  beforeEach(() => setUp());

  it("install: a staged error stops the commit, a clean change or a warning goes through", async () => {
    const before = snapshot(join(top, ".git/hooks"));
    const run = await hooks("install");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("Installed the pre-commit hook (.git/hooks/pre-commit)");
    expect(statSync(join(top, ".git/hooks/pre-commit")).mode & 0o111).toBe(0o111);

    expect(commit({ "children/AA/2019-02-20-visit.md": brokenVisit("AA") })).toMatchObject({ made: false, said: expect.stringContaining(STAGED_ERROR) });
    expect(commit({ "children/AA/2019-02-20-visit.md": goodVisit("AA") })).toEqual({ made: true, said: "" });
    expect(commit({ "children/BB/2019-02-20-visit.md": warningVisit("BB") }).made).toBe(true);

    expect((await hooks("status")).stdout).toBe("careplan's pre-commit hook is installed (.git/hooks/pre-commit): it runs careplan check --staged.\n");
    expect(await hooks("uninstall")).toMatchObject({ code: 0, stdout: "Removed careplan's pre-commit hook (.git/hooks/pre-commit).\n" });
    expect(snapshot(join(top, ".git/hooks"))).toEqual(before);
    expect(commit({ "children/BB/2019-02-20-visit.md": brokenVisit("BB") }).made).toBe(true);
  });

  it("install twice changes nothing; uninstall with nothing installed removes nothing", async () => {
    await hooks("install");
    const installed = snapshot(join(top, ".git/hooks"));
    expect(await hooks("install")).toMatchObject({ code: 0, stdout: "The pre-commit hook is installed already (.git/hooks/pre-commit).\n" });
    expect(snapshot(join(top, ".git/hooks"))).toEqual(installed);
    await hooks("uninstall");
    const uninstalled = snapshot(join(top, ".git/hooks"));
    expect(await hooks("uninstall")).toMatchObject({ code: 0, stdout: expect.stringContaining("not installed (.git/hooks/pre-commit): nothing to remove") });
    expect(snapshot(join(top, ".git/hooks"))).toEqual(uninstalled);
  });

  it("uninstall leaves careplan's hook alone once someone has changed it (exit 2)", async () => {
    await hooks("install");
    const hook = join(top, ".git/hooks/pre-commit");
    writeFileSync(hook, readFileSync(hook, "utf8").replace("exit 1\n", "exit 1\n# my own line\n"));
    const edited = snapshot(join(top, ".git/hooks"));
    const run = await hooks("uninstall");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("changed by hand since it was installed");
    expect(snapshot(join(top, ".git/hooks"))).toEqual(edited);
  });

  it("a hooks folder inside .git named by core.hooksPath is where git looks, so careplan installs there", async () => {
    git("config", "core.hooksPath", ".git/my-hooks");
    const run = await hooks("install");
    expect(run.stdout).toContain("(.git/my-hooks/pre-commit)");
    expect(existsSync(join(top, ".git/hooks/pre-commit"))).toBe(false);
    expect(commit({ "children/AA/2019-02-20-visit.md": brokenVisit("AA") }).made).toBe(false);
  });

  it("a hooks folder outside .git (shared, or in the work tree): nothing written, the line to add printed", async () => {
    const shared = join(folder.path, "shared-hooks");
    mkdirSync(shared);
    git("config", "core.hooksPath", shared);
    const before = { ...snapshot(join(top, ".git")), ...snapshot(shared) };
    const run = await hooks("install");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("core.hooksPath = ");
    expect(run.stdout).toContain("careplan writes nothing there");
    expect(run.stdout.split("\n")).toContain("careplan check --staged");
    expect({ ...snapshot(join(top, ".git")), ...snapshot(shared) }).toEqual(before);
  });
});

describe("over a hook already there", () => {
  beforeEach(() => setUp());
  const log = () => join(folder.path, "hooks.log");
  // A hook of the team's: it logs that it ran, and fails when asked to; no last line end and an odd mode, to show they come back as they were.
  const earlier = () => `#!/bin/sh\necho "earlier hook ran" >> '${log()}'\nif [ -e '${join(folder.path, "fail")}' ]; then echo "earlier hook failed" >&2; exit 1; fi`;

  it("both run, the earlier first; uninstall puts it back byte for byte", async () => {
    const hook = join(top, ".git/hooks/pre-commit");
    writeFileSync(hook, earlier());
    chmodSync(hook, 0o750);
    const before = snapshot(join(top, ".git/hooks"));

    const run = await hooks("install");
    expect(run.stdout).toContain("The hook that was there runs first, as it did: it is kept as .git/hooks/pre-commit.local");
    expect((await hooks("status")).stdout).toContain("after the hook that was there before (pre-commit.local)");

    expect(commit({ "children/AA/2019-02-20-visit.md": goodVisit("AA") })).toEqual({ made: true, said: "" });
    expect(readFileSync(log(), "utf8")).toBe("earlier hook ran\n");
    // careplan ran after it: had careplan run first, its failure would have kept the earlier hook from running.
    expect(commit({ "children/BB/2019-02-20-visit.md": brokenVisit("BB") })).toMatchObject({ made: false, said: expect.stringContaining(STAGED_ERROR) });
    expect(readFileSync(log(), "utf8")).toBe("earlier hook ran\nearlier hook ran\n");
    // The earlier hook failing stops the commit before careplan runs.
    writeFileSync(join(folder.path, "fail"), "");
    const stopped = commit({ "children/BB/2019-02-20-visit.md": goodVisit("BB") });
    expect(stopped).toMatchObject({ made: false, said: expect.stringContaining("earlier hook failed") });
    expect(stopped.said).not.toContain("careplan");

    expect((await hooks("uninstall")).stdout).toBe("Removed careplan's pre-commit hook and put back the one that was there before (.git/hooks/pre-commit).\n");
    expect(snapshot(join(top, ".git/hooks"))).toEqual(before);
  });

  it("a hook in another language runs too", async () => {
    const hook = join(top, ".git/hooks/pre-commit");
    writeFileSync(hook, `#!/usr/bin/env node\nrequire("node:fs").appendFileSync(${JSON.stringify(log())}, "node hook ran\\n");\n`);
    chmodSync(hook, 0o755);
    await hooks("install");
    expect(commit({ "children/AA/2019-02-20-visit.md": brokenVisit("AA") })).toMatchObject({ made: false, said: expect.stringContaining(STAGED_ERROR) });
    expect(readFileSync(log(), "utf8")).toBe("node hook ran\n");
  });

  it("a link to the team's hook script stays a link, and comes back as one", async () => {
    write("scripts/pre-commit", `#!/bin/sh\necho "linked hook ran" >> '${log()}'\n`, top);
    chmodSync(join(top, "scripts/pre-commit"), 0o755);
    symlinkSync("../../scripts/pre-commit", join(top, ".git/hooks/pre-commit"));
    await hooks("install");
    expect(lstatSync(join(top, ".git/hooks/pre-commit.local")).isSymbolicLink()).toBe(true);
    expect(commit({ "children/AA/2019-02-20-visit.md": goodVisit("AA") }).made).toBe(true);
    expect(readFileSync(log(), "utf8")).toBe("linked hook ran\n");
    await hooks("uninstall");
    expect(readlinkSync(join(top, ".git/hooks/pre-commit"))).toBe("../../scripts/pre-commit");
    expect(existsSync(join(top, ".git/hooks/pre-commit.local"))).toBe(false);
  });

  it("refuses when pre-commit.local is taken too (exit 2), changing nothing", async () => {
    writeFileSync(join(top, ".git/hooks/pre-commit"), earlier());
    writeFileSync(join(top, ".git/hooks/pre-commit.local"), "#!/bin/sh\n");
    const before = snapshot(join(top, ".git/hooks"));
    const run = await hooks("install");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pre-commit.local, where careplan would keep it, exists too: nothing was changed");
    expect(snapshot(join(top, ".git/hooks"))).toEqual(before);
  });
});

describe("tools that manage the hooks: the lines to add, and nothing changed", () => {
  beforeEach(() => setUp("caseload"));
  const everything = () => ({ ...snapshot(join(top, ".git")), ...snapshot(join(top, ".husky")), ...snapshot(join(top, caseload)) });

  it("husky", async () => {
    write(".husky/pre-commit", "npm test\n", top);
    git("config", "core.hooksPath", ".husky/_");
    const before = everything();
    const run = await hooks("install");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("husky manages this repository's hooks (.husky/): careplan changed nothing.\nAdd this line to .husky/pre-commit");
    expect(run.stdout.split("\n")).toContain("careplan check --staged caseload");
    expect(everything()).toEqual(before);
  });

  it("the pre-commit framework", async () => {
    write(".pre-commit-config.yaml", "repos: []\n", top);
    write(".git/hooks/pre-commit", "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n", top);
    const before = everything();
    const run = await hooks("install");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("The pre-commit framework manages this repository's hooks (.pre-commit-config.yaml): careplan changed nothing.");
    expect(everything()).toEqual(before);
    // What it prints, pasted under `repos:`, is the entry the framework reads.
    const entry = run.stdout.slice(run.stdout.indexOf("  - repo: local"));
    const config = parse(`repos:\n${entry}`) as { repos: { repo: string; hooks: Record<string, unknown>[] }[] };
    expect(config.repos).toEqual([
      { repo: "local", hooks: [{ id: "careplan", name: "careplan check (the children this commit touches)", entry: "careplan check --staged caseload", language: "system", pass_filenames: false }] },
    ]);
  });
});

describe("a caseload in a subfolder of the git repository", () => {
  beforeEach(() => setUp("my caseload"));

  it("the hook names it (quoted), and works whichever folder the commit is made from", async () => {
    await hooks("install");
    expect((await hooks("status")).stdout).toContain("it runs careplan check --staged 'my caseload'.");
    expect(commit({ "children/AA/2019-02-20-visit.md": brokenVisit("AA") }, join(top, caseload, "children/AA"))).toMatchObject({ made: false, said: expect.stringContaining(STAGED_ERROR) });
    expect(commit({ "children/AA/2019-02-20-visit.md": goodVisit("AA") }, join(top, caseload)).made).toBe(true);
  });
});

describe("finding careplan", () => {
  beforeEach(() => setUp());
  // No careplan on PATH: only node, npx and the system's tools.
  const bare = () => `${dirname(process.execPath)}:/usr/bin:/bin`;

  it("installed in the project instead: npx finds it (offline)", async () => {
    await hooks("install");
    path = bare();
    write("package.json", '{ "name": "caseload", "private": true }\n');
    mkdirSync(join(top, "node_modules/.bin"), { recursive: true });
    symlinkSync(join(PACKAGE_ROOT, "bin/careplan"), join(top, "node_modules/.bin/careplan"));
    write(".gitignore", "node_modules/\n");
    expect(commit({ "children/AA/2019-02-20-visit.md": brokenVisit("AA") })).toMatchObject({ made: false, said: expect.stringContaining(STAGED_ERROR) });
  });

  it("nowhere: the commit stops with what to do", async () => {
    await hooks("install");
    path = bare();
    const stopped = commit({ "children/AA/2019-02-20-visit.md": goodVisit("AA") });
    expect(stopped.made).toBe(false);
    expect(stopped.said).toContain(NOT_FOUND);
    expect(stopped.said).toContain("git commit --no-verify");
  });
});
