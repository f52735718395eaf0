// Paths in each format: from the current folder for people (stylish), from the top of the git
// repository for CI (github, sarif, gitlab, junit), from the case-file repository in JSON (CONTRACT section 5).
// A caseload in a subfolder of a git repository must annotate the files GitHub knows.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../cli-harness.js";
import { PROFILE, repositoryWith, visit } from "./repository.js";

const AS_OF = "2026-03-02";
const DOCUMENT = "caseload/children/AB-1/2026-02-20-visit.md";

let top: ReturnType<typeof repositoryWith>;
beforeEach(() => {
  // A git repository whose case files are in caseload/ (beside other things).
  top = repositoryWith({ "caseload/careplan.yaml": "policy: england\n", "caseload/children/AB-1/child.md": PROFILE, [DOCUMENT]: visit("seen_alone: yes"), "other/notes.txt": "x\n" });
  execFileSync("git", ["init", "-q"], { cwd: top.path });
});
afterEach(() => top.remove());

const check = (cwd: string, ...args: string[]) => runCli(["check", "--as-of", AS_OF, ...args], { cwd: join(top.path, cwd) });

describe("--format github", () => {
  it("annotates files from the top of the git repository", async () => {
    const run = await check("", "caseload", "--format", "github");
    expect(run.stdout).toContain(`::error file=${DOCUMENT},line=5,col=1,title=schema::`);
    expect(run.stdout).not.toMatch(/file=children\//);
  });

  it("whatever folder it runs from", async () => {
    const run = await check("caseload/children", ".", "--format", "github");
    expect(run.stdout).toContain(`::error file=${DOCUMENT},line=5,col=1,title=schema::`);
  });

  it("and so does the step summary", async () => {
    const summary = join(top.path, "summary.md");
    writeFileSync(summary, "");
    await runCli(["check", "caseload", "--as-of", AS_OF, "--format", "github"], { cwd: top.path, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, "utf8")).toContain(`| ${DOCUMENT} | 5:1 | error | \`schema\` |`);
  });

  it("a worktree or submodule (.git is a file) counts as the top too", async () => {
    const inner = join(top.path, "caseload");
    writeFileSync(join(inner, ".git"), "gitdir: ../.git/worktrees/caseload\n");
    const run = await check("", "caseload", "--format", "github");
    expect(run.stdout).toContain("::error file=children/AB-1/2026-02-20-visit.md,line=5");
  });
});

describe("--format sarif", () => {
  it("gives paths from the top of the git repository, under a base id that says so", async () => {
    const sarif = JSON.parse((await check("other", "../caseload", "--format", "sarif")).stdout);
    const location = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(location).toEqual({ uri: DOCUMENT, uriBaseId: "%SRCROOT%" });
    expect(sarif.runs[0].originalUriBaseIds["%SRCROOT%"].description.text).toBe("The top folder of the git repository holding the case files.");
  });
});

describe("--format gitlab and junit", () => {
  it("give paths from the top of the git repository, as GitLab's merge request widget and test report need", async () => {
    const gitlab = JSON.parse((await check("other", "../caseload", "--format", "gitlab")).stdout);
    expect(gitlab[0].location.path).toBe(DOCUMENT);
    const junit = (await check("other", "../caseload", "--format", "junit")).stdout;
    expect(junit).toContain(`<testsuite name="caseload/children/AB-1" `);
    expect(junit).toContain(`<testcase name="${DOCUMENT}" classname="caseload/children/AB-1">`);
  });
});

describe("--format json", () => {
  it("keeps paths relative to the case-file repository (CONTRACT section 5)", async () => {
    const json = JSON.parse((await check("other", "../caseload", "--format", "json")).stdout);
    expect(json.findings[0].file).toBe("children/AB-1/2026-02-20-visit.md");
  });
});

describe("--format stylish", () => {
  it.each([
    ["", DOCUMENT],
    ["caseload", "children/AB-1/2026-02-20-visit.md"],
    ["caseload/children/AB-1", "2026-02-20-visit.md"],
    ["other", `../${DOCUMENT}`],
  ])("from %j shows %s, the path to type or click from there", async (cwd, shown) => {
    const run = await check(cwd, join(top.path, "caseload"));
    expect(run.stdout.split("\n")[0]).toBe(shown);
  });
});

describe("outside git", () => {
  it("github and sarif fall back to the case-file repository", async () => {
    const plain = repositoryWith({ "children/AB-1/child.md": PROFILE, "children/AB-1/2026-02-20-visit.md": visit("seen_alone: yes") });
    try {
      mkdirSync(join(plain.path, "children"), { recursive: true });
      const github = await runCli(["check", "--as-of", AS_OF, "--format", "github"], { cwd: plain.path });
      expect(github.stdout).toContain("::error file=children/AB-1/2026-02-20-visit.md,line=5");
      const sarif = JSON.parse((await runCli(["check", "--as-of", AS_OF, "--format", "sarif"], { cwd: plain.path })).stdout);
      expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("children/AB-1/2026-02-20-visit.md");
      expect(sarif.runs[0].originalUriBaseIds["%SRCROOT%"].description.text).toBe("The case-file repository's folder (it is not in a git repository).");
    } finally {
      plain.remove();
    }
  });
});
