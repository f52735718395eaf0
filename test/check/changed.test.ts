// --changed and --since, in a real temporary git repository: git itself says what changed.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, temporaryFolder } from "../cli-harness.js";

const profile = (id: string) => `---
type: child
id: ${id}
name: Child ${id}
dob: 2016-04-12
looked_after_since: 2026-02-23
legal_status: section-20
iro:
  name: Pat Lee
social_worker:
  name: Jo Khan
placements:
  - start: 2026-02-23
    type: foster-care
---
`;

let folder: { path: string; remove: () => void };
const git = (...args: string[]) =>
  execFileSync("git", args, {
    cwd: folder.path,
    env: { ...process.env, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.org", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.org" },
    encoding: "utf8",
  });
const write = (path: string, text: string) => {
  mkdirSync(join(folder.path, path, ".."), { recursive: true });
  writeFileSync(join(folder.path, path), text);
};

/** The children with findings when checking with these arguments (each child's profile is broken on purpose). */
async function childrenChecked(...args: string[]): Promise<string[]> {
  const run = await runCli(["check", "--as-of", "2026-02-24", "--format", "json", ...args], { cwd: folder.path });
  expect(run.code, run.stderr).not.toBe(2);
  const findings = (JSON.parse(run.stdout) as { findings: { file: string }[] }).findings;
  return [...new Set(findings.map((f) => f.file.split("/")[1]!))].sort();
}

beforeEach(() => {
  folder = temporaryFolder();
  git("init", "-q", "-b", "main");
  // Each profile has one schema error, so that every child checked shows up in the findings.
  for (const id of ["AA", "BB", "CC"]) write(`children/${id}/child.md`, profile(id).replace("legal_status: section-20", "legal_status: unknown"));
  write("careplan.yaml", "policy: england\n");
  git("add", ".");
  git("commit", "-q", "-m", "first");
  git("tag", "start");
});

afterEach(() => folder.remove());

describe("careplan check --changed", () => {
  it("checks nothing when nothing changed", async () => {
    expect(await childrenChecked("--changed")).toEqual([]);
  });

  it("checks the children with modified or untracked files, each child whole", async () => {
    write("children/AA/child.md", profile("AA").replace("legal_status: section-20", "legal_status: unknown") + "\nedited\n");
    write("children/CC/notes.txt", "untracked\n");
    expect(await childrenChecked("--changed")).toEqual(["AA", "CC"]);
    expect(await childrenChecked()).toEqual(["AA", "BB", "CC"]);
  });

  it("--since compares with any ref, committed changes included", async () => {
    write("children/BB/child.md", profile("BB").replace("legal_status: section-20", "legal_status: unknown") + "\nedited\n");
    git("commit", "-qam", "edit BB");
    expect(await childrenChecked("--changed")).toEqual([]);
    expect(await childrenChecked("--changed", "--since", "start")).toEqual(["BB"]);
  });

  it("a change to careplan.yaml checks every child", async () => {
    write("careplan.yaml", "policy: [england]\n");
    expect(await childrenChecked("--changed")).toEqual(["AA", "BB", "CC"]);
  });

  it("ignores files git ignores", async () => {
    write(".gitignore", "*.tmp\n");
    git("add", ".gitignore");
    git("commit", "-qm", "ignore");
    write("children/AA/scratch.tmp", "x");
    expect(await childrenChecked("--changed")).toEqual([]);
  });

  it("an unknown ref exits 2 and says so", async () => {
    const run = await runCli(["check", "--changed", "--since", "no-such-ref"], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no-such-ref");
  });
});

describe("outside a git repository", () => {
  it("says so and exits 2", async () => {
    const plain = temporaryFolder();
    try {
      mkdirSync(join(plain.path, "children/AA"), { recursive: true });
      writeFileSync(join(plain.path, "children/AA/child.md"), profile("AA"));
      const run = await runCli(["check", "--changed"], { cwd: plain.path });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("not inside a git repository");
    } finally {
      plain.remove();
    }
  });
});
