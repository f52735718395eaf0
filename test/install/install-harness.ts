// What the install tests share: a fresh clone of this repository (its last commit, tagged as the
// release), and the README's snippets run as a user pastes them, each into a temporary global prefix.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { PACKAGE_ROOT, VERSION } from "../../src/assets.js";
import { temporaryFolder } from "../cli-harness.js";

export const TIMEOUT = 300_000;

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
export function runSnippet(text: string, cwd: string, prefix: string): string {
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

export function installedVersion(prefix: string): string {
  return execFileSync(join(prefix, "bin/careplan"), ["--version"], { encoding: "utf8" }).trim();
}

/** A fresh clone made before the file's tests and removed after them: its folder and the clone's path. */
export function freshClone(): { folder: () => string; clone: () => string } {
  let folder: ReturnType<typeof temporaryFolder>;
  let clone: string;
  beforeAll(() => {
    folder = temporaryFolder();
    clone = join(folder.path, "careplan");
    execFileSync("git", ["clone", "-q", PACKAGE_ROOT, clone]);
    execFileSync("git", ["tag", `v${VERSION}`], { cwd: clone });
  }, TIMEOUT);
  afterAll(() => folder.remove(), TIMEOUT);
  return { folder: () => folder.path, clone: () => clone };
}
