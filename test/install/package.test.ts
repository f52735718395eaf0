// The README's install commands, run exactly as written on a fresh clone of this repository (its
// last commit), each into a temporary global prefix; then the installed `careplan --version`.
// Slow (npm builds careplan each time) and not about dates: `npm test` runs it once, not per TZ.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT, VERSION } from "../../src/assets.js";
import { parse } from "yaml";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { readmeSnippet } from "../readme/snippets.js";

const TIMEOUT = 300_000;
let folder: ReturnType<typeof temporaryFolder>;
let clone: string;

/**
 * A user's shell: without what `npm test` adds for its scripts (node_modules/.bin on PATH, where
 * this repository's own tsc is, and npm_* settings), which would hide what a fresh clone lacks.
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD"));
  env.PATH = (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => !dir.includes("node_modules"))
    .join(":");
  return env;
}

/** Runs a README snippet with sh, as a user pastes it; npm installs "globally" into `prefix`. */
function runSnippet(text: string, cwd: string, prefix: string): string {
  return execFileSync("sh", ["-e", "-c", text], {
    encoding: "utf8",
    cwd,
    stdio: "pipe",
    env: {
      ...userEnvironment(),
      npm_config_prefix: prefix,
      // Packages come from npm's cache when it has them; no audit or funding calls.
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    },
  });
}

function installedVersion(prefix: string): string {
  return execFileSync(join(prefix, "bin/careplan"), ["--version"], { encoding: "utf8" }).trim();
}

beforeAll(() => {
  folder = temporaryFolder();
  clone = join(folder.path, "careplan");
  execFileSync("git", ["clone", "-q", PACKAGE_ROOT, clone]);
  execFileSync("git", ["tag", `v${VERSION}`], { cwd: clone });
}, TIMEOUT);
afterAll(() => folder.remove(), TIMEOUT);

describe("installing careplan as the README says", () => {
  it(
    "from a fresh clone: works where a bare `npm install --global .` stops at `tsc: not found`",
    () => {
      expect(existsSync(join(clone, "node_modules"))).toBe(false);
      // The problem the README's command avoids (and names).
      let bare = "";
      try {
        runSnippet("npm install --global .", clone, join(folder.path, "bare"));
      } catch (error) {
        bare = String((error as { stderr?: unknown }).stderr);
      }
      expect(bare).toMatch(/tsc: not found/);

      const prefix = join(folder.path, "from-clone");
      runSnippet(readmeSnippet("install-from-clone").text, clone, prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
    },
    TIMEOUT,
  );

  it(
    "from the package file npm pack makes, with the LICENSE and the built code in it",
    () => {
      const prefix = join(folder.path, "from-tarball");
      runSnippet(readmeSnippet("install-from-tarball").text, clone, prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
      const files = execFileSync("tar", ["-tzf", join(clone, `careplan-${VERSION}.tgz`)], { encoding: "utf8" }).split("\n");
      expect(files).toEqual(expect.arrayContaining(["package/LICENSE", "package/bin/careplan", "package/dist/src/cli.js", "package/templates/visit.md", "package/schemas/visit.schema.json"]));
      expect(files.filter((file) => /^package\/(src|test|fixtures|bench|dist\/bench)\//.test(file))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "from the git URL it was cloned from (here the fresh clone, by file:// instead of https://)",
    () => {
      const prefix = join(folder.path, "from-git");
      const elsewhere = join(folder.path, "elsewhere");
      mkdirSync(elsewhere);
      const text = readmeSnippet("install-from-git").text.replace("git+https://git.example.org/tools/careplan.git", `git+file://${clone}`);
      expect(text).toContain(`git+file://${clone}#v${VERSION}`);
      runSnippet(text, elsewhere, prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
    },
    TIMEOUT,
  );

  it(
    "from the git URL, by the step `careplan init --ci github --install <git URL>` writes",
    async () => {
      const prefix = join(folder.path, "from-workflow");
      const repository = join(folder.path, "case-files");
      mkdirSync(repository);
      execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repository });
      const init = await runCli(["init", "--ci", "github", "--install", `git+file://${clone}#v${VERSION}`], { cwd: repository });
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
