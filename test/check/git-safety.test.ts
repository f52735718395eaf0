// Checking a folder someone else prepared must not run what its git configuration names: git
// runs core.fsmonitor, filter drivers, external diffs, textconv, pagers and hooks. Each is
// planted here as a script that leaves a mark; git itself is shown to run them (the plant works),
// and careplan's --changed and --staged are shown never to.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli-harness.js";
import { PROFILE, repositoryWith, visit, VISIT } from "./repository.js";

// Real git and child processes: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const COMMITTER = { GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.org", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.org" };

let repository: ReturnType<typeof repositoryWith>;
let marker: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repository.path, env: { ...process.env, ...COMMITTER }, encoding: "utf8", stdio: "pipe" });

beforeEach(() => {
  repository = repositoryWith({ "children/AB-1/child.md": PROFILE, [VISIT]: visit(), "children/CD-2/child.md": PROFILE.replace("id: AB-1", "id: CD-2") });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "first");

  // The planted script: leaves a mark, then passes its input through (as a filter or pager would).
  marker = join(repository.path, "..", `${repository.path.split("/").pop()}-ran`);
  const script = join(repository.path, ".git", "planted.sh");
  writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
  chmodSync(script, 0o755);
  mkdirSync(join(repository.path, ".git", "planted-hooks"));
  for (const hook of ["post-index-change", "pre-commit", "post-checkout"]) {
    writeFileSync(join(repository.path, ".git", "planted-hooks", hook), `#!/bin/sh\necho "${hook}" >> '${marker}'\n`);
    chmodSync(join(repository.path, ".git", "planted-hooks", hook), 0o755);
  }
  for (const [key, value] of [
    ["core.fsmonitor", script],
    ["core.hooksPath", join(repository.path, ".git", "planted-hooks")],
    ["core.pager", script],
    ["pager.diff", script],
    ["diff.external", script],
    ["diff.planted.textconv", script],
    ["diff.planted.command", script],
    ["filter.planted.clean", script],
    ["filter.planted.smudge", script],
    ["filter.planted.required", "true"],
  ]) {
    git("config", key!, value!);
  }
  writeFileSync(join(repository.path, ".gitattributes"), "*.md filter=planted diff=planted\n");

  // A change in the working tree (the files git must read to compare), one staged, one untracked.
  repository.write({ [VISIT]: visit("seen_alone: yes") });
  utimesSync(join(repository.path, VISIT), new Date("2020-01-01"), new Date("2020-01-01"));
  repository.write({ "children/CD-2/2026-02-20-visit.md": visit().replace(/AB-1/g, "CD-2") });
  git("add", "children/CD-2");
  rmSync(marker, { force: true }); // git ran them for the set-up itself
});

afterEach(() => {
  rmSync(marker, { force: true });
  repository.remove();
});

describe("the planted commands", () => {
  it("are run by git itself, so the tests below can fail", () => {
    execFileSync("git", ["diff", "HEAD"], { cwd: repository.path, stdio: "pipe" });
    execFileSync("git", ["status"], { cwd: repository.path, stdio: "pipe" });
    expect(existsSync(marker)).toBe(true);
    const ran = readFileSync(marker, "utf8");
    for (const what of ["planted.sh 2", "planted.sh"]) expect(ran).toContain(what); // fsmonitor (protocol version 2), filters, diff
  });
});

describe("careplan never runs them", () => {
  it.each([
    ["--changed", ["--changed"], 1],
    ["--changed --since", ["--changed", "--since", "main"], 1],
    // Before a commit an overdue deadline is a warning (the commit may hold what meets it).
    ["--staged", ["--staged"], 0],
  ])("check %s", async (_, args, code) => {
    const run = await runCli(["check", "--as-of", "2026-03-02", "--format", "json", ...args], { cwd: repository.path });
    expect(run.code, run.stderr).toBe(code);
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0);
    expect(existsSync(marker) ? readFileSync(marker, "utf8") : "").toBe("");
  });
});

describe("a repository git does not trust", () => {
  it.each([["--changed"], ["--staged"]])("check %s says so and stops (exit 2), working nothing around", async (option) => {
    // git's own switch for "this repository belongs to someone else" (as safe.directory checks).
    const run = await runCli(["check", option], { cwd: repository.path, env: { GIT_TEST_ASSUME_DIFFERENT_OWNER: "1" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `careplan: git does not trust the repository at ${repository.path}: it belongs to another user (git's safe.directory check). careplan does not work around that. ` +
        `If you trust this repository, tell git so with \`git config --global --add safe.directory ${repository.path}\` and run careplan again.\n`,
    );
  });
});
