// `careplan init --ci github|gitlab`: the CI file at the top of the git repository, parsed as the
// service reads it, and its check steps run with sh as the runner would (careplan on PATH).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { PACKAGE_ROOT, VERSION } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { PROFILE, visit } from "../check/repository.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: { push: { branches: string[] }; pull_request: null };
  permissions: Record<string, string>;
  jobs: { check: { "runs-on": string; steps: Step[] } };
}
interface GitlabJob {
  image: string;
  script: string[];
  artifacts: { when: string; reports: { codequality: string; junit: string } };
}

let folder: ReturnType<typeof temporaryFolder>;
let top: string;
beforeEach(() => {
  folder = temporaryFolder();
  top = join(folder.path, "repository");
  mkdirSync(top);
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: top });
});
afterEach(() => folder.remove());

const init = (...args: string[]) => runCli(["init", ...args], { cwd: top });
const workflow = () => parse(readFileSync(join(top, ".github/workflows/careplan.yml"), "utf8")) as Workflow;
const gitlab = () => parse(readFileSync(join(top, ".gitlab-ci.yml"), "utf8")) as { careplan: GitlabJob };
const step = (steps: Step[], name: string) => steps.find((s) => s.name === name)!;

/** Every file under the top of the repository but .git, with its bytes. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(top, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (!file.includes("/.git/") && entry.isFile()) files[file] = readFileSync(file, "base64");
  }
  return files;
}

describe("init --ci github", () => {
  it("a new case-file repository in a subfolder, and the workflow at the top of the git repository", async () => {
    const run = await init("caseload", "--ci", "github");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Started a case-file repository in caseload");
    expect(run.stdout).toContain("Wrote .github/workflows/careplan.yml: a workflow that checks the case files on every push and the children a pull request changes.");
    expect(existsSync(join(top, "caseload/careplan.yaml"))).toBe(true);

    const { on, permissions, jobs } = workflow();
    expect(on).toEqual({ push: { branches: ["main"] }, pull_request: null });
    expect(permissions).toEqual({ contents: "read" });
    const steps = jobs.check.steps;
    expect(jobs.check["runs-on"]).toBe("ubuntu-latest");
    expect(steps.map((s) => s.uses ?? s.name)).toEqual(["actions/checkout@v4", "actions/setup-node@v4", "Install careplan", "Check every child", "Check the children this pull request changes"]);
    expect(steps[0]!.with).toEqual({ "fetch-depth": 0 });
    expect(steps[1]!.with).toEqual({ "node-version": 20 });
    expect(step(steps, "Install careplan").run).toBe(`npm install --global careplan@${VERSION}`);
    expect(step(steps, "Check every child")).toMatchObject({ if: "github.event_name != 'pull_request'", run: "careplan check caseload --format github" });
    expect(step(steps, "Check the children this pull request changes")).toEqual({
      name: "Check the children this pull request changes",
      if: "github.event_name == 'pull_request'",
      run: 'careplan check caseload --format github --changed --since "origin/$BASE_REF"',
      env: { BASE_REF: "${{ github.base_ref }}" },
    });
    // The npm registry is named as where careplan comes from, with the way round it until it is published there.
    expect(run.stdout).toContain(`careplan is installed from the npm registry as careplan@${VERSION}. Until careplan is published there`);
  });

  it("--sarif: a SARIF report of every child, uploaded to code scanning even when the check fails", async () => {
    expect((await init("--ci", "github", "--sarif")).code).toBe(0);
    const { permissions, jobs } = workflow();
    expect(permissions).toEqual({ contents: "read", "security-events": "write", actions: "read" });
    const report = step(jobs.check.steps, "Report for code scanning");
    const upload = step(jobs.check.steps, "Upload to code scanning");
    expect(report).toMatchObject({ if: "always()", run: "careplan check --format sarif -o careplan.sarif || [ $? -eq 1 ]" });
    expect(upload).toMatchObject({ if: "always()", uses: "github/codeql-action/upload-sarif@v3", with: { sarif_file: "careplan.sarif", category: "careplan" } });
    expect(jobs.check.steps.indexOf(upload)).toBe(jobs.check.steps.length - 1);
  });

  it("in a case-file repository that exists: adds the workflow and nothing else", async () => {
    await init("caseload");
    writeFileSync(join(top, "caseload/careplan.yaml"), "policy: england\n");
    const before = snapshot();
    const run = await runCli(["init", "--ci", "github"], { cwd: join(top, "caseload") });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("Started");
    expect(run.stdout).toContain("Wrote ../.github/workflows/careplan.yml");
    const after = snapshot();
    expect(Object.keys(after).filter((file) => !(file in before))).toEqual([join(top, ".github/workflows/careplan.yml")]);
    expect(Object.entries(before).every(([file, bytes]) => after[file] === bytes)).toBe(true);
  });

  it("never replaces a workflow: exit 2 naming it, and nothing written (not even the new repository)", async () => {
    mkdirSync(join(top, ".github/workflows"), { recursive: true });
    writeFileSync(join(top, ".github/workflows/careplan.yml"), "# ours\n");
    const before = snapshot();
    const run = await init("caseload", "--ci", "github");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".github/workflows/careplan.yml already exists: nothing was written.");
    expect(snapshot()).toEqual(before);
  });

  it("a file system that refuses: exit 2 naming the path, not a stack trace", async () => {
    writeFileSync(join(top, ".github"), "a file where the folder would be\n");
    const run = await init("--ci", "github");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^careplan: careplan init --ci: cannot write .*\.github\/workflows: a part of the path is a file, not a folder\. Put that right and run the command again\.\n$/);
  });

  it("the branch pushed to: the one checked out (or the remote's default), or --branch", async () => {
    execFileSync("git", ["checkout", "-q", "-b", "trunk"], { cwd: top });
    await init("--ci", "github");
    expect(workflow().on.push.branches).toEqual(["trunk"]);
    const other = temporaryFolder();
    try {
      expect((await runCli(["init", "--ci", "github", "--branch", "release/2026"], { cwd: other.path })).code).toBe(0);
      expect((parse(readFileSync(join(other.path, ".github/workflows/careplan.yml"), "utf8")) as Workflow).on.push.branches).toEqual(["release/2026"]);
    } finally {
      other.remove();
    }
  });

  it("outside git: the workflow goes to the case-file repository's top, where git init will make the repository", async () => {
    const plain = temporaryFolder();
    try {
      expect((await runCli(["init", "cases", "--ci", "github"], { cwd: plain.path })).code).toBe(0);
      const written = parse(readFileSync(join(plain.path, "cases/.github/workflows/careplan.yml"), "utf8")) as Workflow;
      expect(step(written.jobs.check.steps, "Check every child").run).toBe("careplan check --format github");
    } finally {
      plain.remove();
    }
  });

  it.each([
    ["a package file in the repository", "tools/careplan-0.1.0.tgz", "npm install --global ./tools/careplan-0.1.0.tgz"],
    ["written with ./", "./tools/careplan-0.1.0.tgz", "npm install --global ./tools/careplan-0.1.0.tgz"],
    ["an npm package", "careplan@0.2.0", "npm install --global careplan@0.2.0"],
    ["a scoped npm package", "@council/careplan@1.0.0", "npm install --global @council/careplan@1.0.0"],
    [
      "a git URL: packed first, as the README says",
      "git+https://git.example.org/tools/careplan.git#v0.1.0",
      `dir=$(mktemp -d) && npm pack --pack-destination "$dir" 'git+https://git.example.org/tools/careplan.git#v0.1.0' && npm install --global "$dir"/*.tgz`,
    ],
    [
      "a repository's web address on a git host",
      "https://github.com/council/careplan#v0.1.0",
      `dir=$(mktemp -d) && npm pack --pack-destination "$dir" 'https://github.com/council/careplan#v0.1.0' && npm install --global "$dir"/*.tgz`,
    ],
    ["a package file on a web server", "https://files.example.org/careplan-0.1.0.tgz", "npm install --global https://files.example.org/careplan-0.1.0.tgz"],
  ])("--install %s", async (_, install, line) => {
    expect((await init("--ci", "github", "--install", install)).code).toBe(0);
    expect(step(workflow().jobs.check.steps, "Install careplan").run).toBe(line);
  });

  it("a package file not there yet is named, to be committed with the workflow", async () => {
    const run = await init("--ci", "github", "--install", "tools/careplan-0.1.0.tgz");
    expect(run.stdout).toContain("careplan is installed from tools/careplan-0.1.0.tgz, which is not there yet");
  });

  it.each([
    ["a package file outside the repository", ["--ci", "github", "--install", "../careplan-0.1.0.tgz"], "must be inside the repository"],
    ["an absolute path", ["--ci", "github", "--install", "/tmp/careplan-0.1.0.tgz"], "must be inside the repository"],
    ["a space", ["--ci", "github", "--install", "careplan 0.1.0"], "holds a space"],
    ["--sarif with GitLab", ["--ci", "gitlab", "--sarif"], "--sarif goes with --ci github"],
    ["--install without --ci", ["--install", "careplan@0.1.0"], "go with --ci"],
    ["a service careplan does not know", ["--ci", "jenkins"], "Allowed choices are github, gitlab"],
  ])("refuses %s (exit 2), writing nothing", async (_, args, message) => {
    const run = await init(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(snapshot()).toEqual({});
  });

  it("any folder name reaches careplan as it is: YAML and the shell read back what was written", async () => {
    // careplan replaced by a script that prints its arguments, one a line.
    const bin = join(folder.path, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "careplan"), '#!/bin/sh\nfor word in "$@"; do printf "%s\\n" "$word"; done\n', { mode: 0o755 });
    const names = fc.stringMatching(/^[A-Za-z0-9 '"#:$`\\&;|*?()[\]{}!~%-]{1,12}$/).filter((name) => !/^[ -]|[ ]$|^\.\.?$/.test(name) && name.trim() !== "");
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const repository = temporaryFolder();
        try {
          execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repository.path });
          const run = await runCli(["init", name, "--ci", "github"], { cwd: repository.path });
          expect(run.code, run.stderr).toBe(0);
          const written = parse(readFileSync(join(repository.path, ".github/workflows/careplan.yml"), "utf8")) as Workflow;
          const line = step(written.jobs.check.steps, "Check every child").run!;
          const words = execFileSync("sh", ["-c", line], { cwd: repository.path, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
          expect(words).toBe(`check\n${name}\n--format\ngithub\n`);
        } finally {
          repository.remove();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("init --ci gitlab", () => {
  it("a job with a Code Quality report and a JUnit report, kept even when the check fails", async () => {
    const run = await init("caseload", "--ci", "gitlab");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Wrote .gitlab-ci.yml");
    const job = gitlab().careplan;
    expect(job.image).toBe("node:20");
    expect(job.script).toEqual([
      `npm install --global careplan@${VERSION}`,
      "careplan check caseload --format gitlab -o gl-code-quality-report.json || [ $? -eq 1 ]",
      "careplan check caseload --format junit -o careplan-junit.xml || [ $? -eq 1 ]",
      "careplan check caseload",
    ]);
    expect(job.artifacts).toEqual({ when: "always", reports: { codequality: "gl-code-quality-report.json", junit: "careplan-junit.xml" } });
  });

  it("the job's checks, run as GitLab runs them: the reports are written, and errors fail the job", async () => {
    await init("caseload", "--ci", "gitlab");
    const bin = join(folder.path, "bin");
    mkdirSync(bin);
    symlinkSync(join(PACKAGE_ROOT, "bin/careplan"), join(bin, "careplan"));
    mkdirSync(join(top, "caseload/children/AB-1"), { recursive: true });
    writeFileSync(join(top, "caseload/children/AB-1/child.md"), PROFILE);
    writeFileSync(join(top, "caseload/children/AB-1/2026-02-20-visit.md"), visit("seen_alone: yes"));
    const [, ...checks] = gitlab().careplan.script;
    const run = (line: string) => {
      try {
        execFileSync("sh", ["-c", line], { cwd: top, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: "pipe" });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(checks.map(run)).toEqual([0, 0, 1]);
    const report = JSON.parse(readFileSync(join(top, "gl-code-quality-report.json"), "utf8")) as { location: { path: string } }[];
    expect(report.map((issue) => issue.location.path)).toContain("caseload/children/AB-1/2026-02-20-visit.md");
    expect(readFileSync(join(top, "careplan-junit.xml"), "utf8")).toContain('<testcase name="caseload/children/AB-1/2026-02-20-visit.md"');
    expect(statSync(join(top, "careplan-junit.xml")).size).toBeGreaterThan(0);
  });

  it("with a .gitlab-ci.yml already there: exit 2, nothing written, and the job to add printed", async () => {
    writeFileSync(join(top, ".gitlab-ci.yml"), "stages: [build]\n");
    const before = snapshot();
    const run = await init("--ci", "gitlab", "--install", "tools/careplan-0.1.0.tgz");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".gitlab-ci.yml already exists: nothing was written. Add this job to it");
    expect(snapshot()).toEqual(before);
    const job = (parse(run.stdout) as { careplan: GitlabJob }).careplan;
    expect(job.script[0]).toBe("npm install --global ./tools/careplan-0.1.0.tgz");
    expect(job.artifacts.reports.codequality).toBe("gl-code-quality-report.json");
  });
});
