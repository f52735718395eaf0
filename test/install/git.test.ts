// The README's install from a git URL, and the install step `careplan init --ci github` writes, run
// on a fresh clone of this repository (by file:// instead of https://). A file apart from
// package.test.ts so that the two slow files run side by side.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { VERSION } from "../../src/assets.js";
import { runCli } from "../cli-harness.js";
import { readmeSnippet } from "../readme/snippets.js";
import { freshClone, installedVersion, runSnippet, TIMEOUT } from "./install-harness.js";

const { folder, clone } = freshClone();

describe("installing careplan from git as the README says", () => {
  it(
    "from the git URL it was cloned from (here the fresh clone, by file:// instead of https://)",
    () => {
      const prefix = join(folder(), "from-git");
      const elsewhere = join(folder(), "elsewhere");
      mkdirSync(elsewhere);
      const text = readmeSnippet("install-from-git").text.replace("git+https://git.example.org/tools/careplan.git", `git+file://${clone()}`);
      expect(text).toContain(`git+file://${clone()}#v${VERSION}`);
      runSnippet(text, elsewhere, prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
    },
    TIMEOUT,
  );

  it(
    "from the git URL, by the step `careplan init --ci github --install <git URL>` writes",
    async () => {
      const prefix = join(folder(), "from-workflow");
      const repository = join(folder(), "case-files");
      mkdirSync(repository);
      execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repository });
      const init = await runCli(["init", "--ci", "github", "--install", `git+file://${clone()}#v${VERSION}`], { cwd: repository });
      expect(init.code, init.stderr).toBe(0);
      const workflow = parse(readFileSync(join(repository, ".github/workflows/careplan.yml"), "utf8")) as { jobs: { check: { steps: { name?: string; run?: string }[] } } };
      const step = workflow.jobs.check.steps.find((s) => s.name === "Install careplan")!;
      expect(step.run).toContain("npm pack");
      runSnippet(step.run!, repository, prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
    },
    TIMEOUT,
  );
});
