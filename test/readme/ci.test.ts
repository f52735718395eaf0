// The README's pre-commit hook and GitHub Actions workflow, as pasted: the hook runs in a real git
// repository with the built careplan on PATH; the workflow is parsed and its steps checked.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { PACKAGE_ROOT, VERSION } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { PROFILE, visit } from "../check/repository.js";
import { readmeSnippet } from "./snippets.js";

// Real git and child processes: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

describe("the README's pre-commit hook", () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let env: NodeJS.ProcessEnv;
  const repository = () => join(folder.path, "repository");
  const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: repository(), env, encoding: "utf8", stdio: "pipe" });
  const write = (path: string, text: string) => {
    mkdirSync(join(repository(), path, ".."), { recursive: true });
    writeFileSync(join(repository(), path), text);
  };
  /** Commits what is staged; true when the commit was made, false when careplan's findings stopped it. */
  const commit = (message: string): boolean => {
    const before = run("git", ["rev-parse", "HEAD"]);
    try {
      run("git", ["commit", "-q", "-m", message]);
    } catch (error) {
      expect(run("git", ["rev-parse", "HEAD"])).toBe(before);
      // Stopped by careplan's report (git shows a hook's output on its stderr), not by a hook that could not run.
      expect(String((error as { stderr?: string }).stderr)).toContain("`seen_alone` must be true or false");
      return false;
    }
    return true;
  };
  // Dated long ago, so that the real today (the hook gives no --as-of) is after every document.
  const profile = (id: string) => PROFILE.replace("id: AB-1", `id: ${id}`).replace(/2026-01-05/g, "2019-01-07");
  const goodVisit = (id: string) => visit().replace("child: AB-1", `child: ${id}`).replace("2026-02-20", "2019-02-20");
  const brokenVisit = (id: string) => goodVisit(id).replace("seen_alone: true", "seen_alone: yes");

  beforeEach(() => {
    if (!existsSync(join(PACKAGE_ROOT, "dist/src/cli.js"))) throw new Error("build careplan first (npm run build): the hook runs bin/careplan");
    folder = temporaryFolder();
    // careplan on PATH, as a global install puts it.
    mkdirSync(join(folder.path, "bin"));
    symlinkSync(join(PACKAGE_ROOT, "bin/careplan"), join(folder.path, "bin/careplan"));
    env = { ...process.env, PATH: `${join(folder.path, "bin")}:${process.env.PATH}`, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.org", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.org" };
    mkdirSync(repository());
    run("git", ["init", "-q", "-b", "main"]);
    // Deadlines move with the real date: this test is about what is staged, not about timescales.
    write("careplan.yaml", "policy: england\nseverity:\n  timescale/*: off\n");
    write("children/AA/child.md", profile("AA"));
    write("children/BB/child.md", profile("BB"));
    run("git", ["add", "."]);
    run("git", ["commit", "-q", "-m", "the caseload"]);

    const hook = readmeSnippet("pre-commit").text;
    expect(hook.startsWith("#!/bin/sh\n")).toBe(true);
    writeFileSync(join(repository(), ".git/hooks/pre-commit"), hook);
    run("sh", ["-c", readmeSnippet("pre-commit-chmod").text]);
  });
  afterEach(() => folder.remove());

  it("stops a commit with a staged error", () => {
    write("children/AA/2019-02-20-visit.md", brokenVisit("AA"));
    run("git", ["add", "."]);
    expect(commit("a broken visit")).toBe(false);
  });

  it("lets a commit through when the error is only in the working tree, not staged", () => {
    write("children/AA/2019-02-20-visit.md", goodVisit("AA"));
    run("git", ["add", "."]);
    write("children/AA/2019-02-20-visit.md", brokenVisit("AA"));
    write("children/BB/2019-02-20-visit.md", brokenVisit("BB"));
    expect(commit("a good visit")).toBe(true);
  });

  it("stops a commit whose staged error was fixed only in the working tree", () => {
    write("children/AA/2019-02-20-visit.md", brokenVisit("AA"));
    run("git", ["add", "."]);
    write("children/AA/2019-02-20-visit.md", goodVisit("AA"));
    expect(commit("fixed, but not staged")).toBe(false);
  });

  it("checks only the children the commit touches", () => {
    write("children/BB/2019-02-20-visit.md", brokenVisit("BB"));
    run("git", ["add", "."]);
    run("git", ["commit", "-q", "--no-verify", "-m", "BB's broken visit, committed past the hook"]);
    write("children/AA/2019-02-20-visit.md", goodVisit("AA"));
    run("git", ["add", "."]);
    expect(commit("AA's visit")).toBe(true);
  });
});

describe("the README's GitHub Actions workflow", () => {
  const snippet = readmeSnippet("workflow");
  const workflow = parse(snippet.text) as { on: Record<string, unknown>; jobs: Record<string, { "runs-on": string; steps: { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }[] }> };
  const steps = Object.values(workflow.jobs)[0]!.steps;
  const index = (test: (step: (typeof steps)[number]) => boolean) => steps.findIndex(test);

  it("is YAML with a job on pushes and pull requests", () => {
    expect(snippet.language).toBe("yaml");
    expect(Object.keys(workflow.on)).toEqual(["push", "pull_request"]);
    expect(Object.values(workflow.jobs)[0]!["runs-on"]).toBe("ubuntu-latest");
  });

  it("checks out the whole history (--changed --since origin/<base> compares with it)", () => {
    const checkout = steps[index((step) => step.uses?.startsWith("actions/checkout@") ?? false)];
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
  });

  it("sets up Node 20, installs careplan from the package file, then checks with --format github, in that order", () => {
    const checkout = index((step) => step.uses?.startsWith("actions/checkout@") ?? false);
    const node = index((step) => step.uses?.startsWith("actions/setup-node@") ?? false);
    const install = index((step) => step.run?.startsWith("npm install --global ") ?? false);
    const checks = steps.filter((step) => /^careplan check .*--format github/.test(step.run ?? ""));
    expect(steps[node]?.with?.["node-version"]).toBe(20);
    expect(steps[install]?.run).toBe(`npm install --global ./tools/careplan-${VERSION}.tgz`);
    expect(checks).toHaveLength(2);
    expect([checkout, node, install, index((step) => step === checks[0])]).toEqual([0, 1, 2, 3]);
  });

  it("is what `careplan init --ci github --install tools/careplan-<version>.tgz` writes, word for word", async () => {
    const repository = temporaryFolder();
    try {
      execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repository.path });
      const run = await runCli(["init", "--ci", "github", "--install", `tools/careplan-${VERSION}.tgz`], { cwd: repository.path });
      expect(run.code, run.stderr).toBe(0);
      const written = readFileSync(join(repository.path, ".github/workflows/careplan.yml"), "utf8");
      expect(snippet.text, "README.md's workflow differs from what init --ci github writes: paste the file in again").toBe(written);
    } finally {
      repository.remove();
    }
  });

  it("checks everything on a push, and on a pull request the children it changes against its base", () => {
    const push = steps.find((step) => step.if === "github.event_name != 'pull_request'");
    const pull = steps.find((step) => step.if === "github.event_name == 'pull_request'") as { run: string; env: Record<string, string> };
    expect(push?.run).toBe("careplan check --format github");
    expect(pull.run).toBe('careplan check --format github --changed --since "origin/$BASE_REF"');
    // The branch name reaches the shell as a variable, never pasted into the script.
    expect(pull.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
  });
});
