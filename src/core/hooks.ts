// The pre-commit hook `careplan hooks install` writes, and where git looks for hooks. careplan
// reads the repository's git configuration (core.hooksPath) but runs nothing from it; it writes
// only inside the repository's .git folder, never into a hooks folder shared with others.
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { GitError, type Git } from "./git.js";

export const HOOK = "pre-commit";
/** Where a hook that was there before is kept, run first by careplan's, and put back by uninstall. */
export const CHAINED_HOOK = `${HOOK}.local`;
const MARKER = "# careplan pre-commit hook, version 1";

export interface HookOptions {
  /** What `careplan check --staged` is given, as shell words: the case files' folder from the top of the work tree, --config. */
  target: string;
  /** A hook was there before: run it first. */
  chained: boolean;
}

/** The command a hook runs: `careplan check --staged` and the target. */
export function stagedCheck(target: string): string {
  return `careplan check --staged${target === "" ? "" : ` ${target}`}`;
}

/** The hook: the one that was there first (if any), then careplan; errors stop the commit, warnings do not. */
export function hookText({ target, chained }: HookOptions): string {
  const check = stagedCheck(target).replace(/^careplan /, "");
  return [
    "#!/bin/sh",
    `${MARKER}: written by \`careplan hooks install\`, removed by`,
    "# `careplan hooks uninstall`. It checks the children this commit touches, as staged: an error",
    "# stops the commit, a warning does not (`git commit --no-verify` skips it).",
    ...(chained
      ? [
          `# First it runs the hook that was here before, kept as ${CHAINED_HOOK} (uninstall puts it back).`,
          `earlier_hook="$(dirname -- "$0")/${CHAINED_HOOK}"`,
          'if [ -x "$earlier_hook" ]; then',
          '  "$earlier_hook" "$@" || exit $?',
          "fi",
        ]
      : []),
    "if command -v careplan >/dev/null 2>&1; then",
    `  exec careplan ${check}`,
    "fi",
    "# Installed in the project instead (npm install careplan): npx finds it, offline.",
    "if command -v npx >/dev/null 2>&1 && npx --offline --no -- careplan --version >/dev/null 2>&1; then",
    `  exec npx --offline --no -- careplan ${check}`,
    "fi",
    'echo "careplan: the pre-commit hook cannot find careplan: it is not on PATH, nor installed in this project." >&2',
    'echo "Install it (see careplan\'s README), or commit without the check: git commit --no-verify" >&2',
    "exit 1",
  ].join("\n") + "\n";
}

/** The options a hook careplan wrote was written with, if the text is exactly such a hook (so nobody's edits are removed). */
export function readHook(text: string): HookOptions | undefined {
  if (text.split("\n")[1]?.startsWith(MARKER) !== true) return undefined;
  const target = /^ {2}exec careplan check --staged ?(.*)$/m.exec(text)?.[1];
  if (target === undefined) return undefined;
  for (const chained of [false, true]) if (hookText({ target, chained }) === text) return { target, chained };
  return undefined;
}

/** Whether a text is a hook careplan wrote, edited or not. */
export function isCareplanHook(text: string): boolean {
  return text.split("\n")[1]?.startsWith(MARKER) === true;
}

/** A tool that manages the repository's hooks, to which careplan leaves them: it prints what to add. */
export type HookManager = "husky" | "pre-commit";

export interface HookPlace {
  /** The top of the work tree: hooks run there. */
  top: string;
  /** The repository's .git folder (shared by its worktrees). */
  gitDir: string;
  /** The folder git runs hooks from. */
  hooksDir: string;
  /** core.hooksPath as configured, when it is. */
  hooksPath: string | undefined;
  manager: HookManager | undefined;
  /** The hooks folder is outside .git (a folder in the work tree, or shared by several repositories): careplan writes nothing there. */
  outside: boolean;
}

/** Where git runs hooks from, as `git rev-parse --git-path hooks` says, found without letting git run anything. */
export function hookPlace(git: Git, dir: string, env: Readonly<Record<string, string | undefined>>): HookPlace {
  // --git-common-dir may be relative to the folder git runs in (`dir`); --show-toplevel is absolute.
  const [commonDir, top] = git(["rev-parse", "--git-common-dir", "--show-toplevel"]).toString("utf8").trim().split("\n") as [string, string];
  const gitDir = resolve(dir, commonDir);
  const hooksPath = configuredHooksPath(git);
  // A relative core.hooksPath is relative to where hooks run: the top of the work tree.
  const expanded = hooksPath?.replace(/^~(?=\/|$)/, env.HOME ?? "~");
  const hooksDir = expanded === undefined ? join(gitDir, "hooks") : resolve(top, expanded);
  const inGitDir = relative(gitDir, hooksDir);
  const outside = inGitDir.startsWith("..") || isAbsolute(inGitDir);
  let manager: HookManager | undefined;
  if (existsSync(join(top, ".pre-commit-config.yaml"))) manager = "pre-commit";
  else if (existsSync(join(top, ".husky")) || /(^|\/)\.husky(\/_)?\/?$/.test(hooksPath ?? "")) manager = "husky";
  return { top, gitDir, hooksDir, hooksPath, manager, outside };
}

/**
 * core.hooksPath from the repository's, the user's and the worktree's configuration. careplan's
 * own git calls set it to /dev/null on the command line (so that git runs no hook for them):
 * that setting is left out. The system-wide configuration is never read (git.ts).
 */
function configuredHooksPath(git: Git): string | undefined {
  let listing: string;
  try {
    listing = git(["config", "--null", "--show-origin", "--get-all", "core.hooksPath"]).toString("utf8");
  } catch (error) {
    if (error instanceof GitError) return undefined; // exit 1: not set
    throw error;
  }
  // --null: "<origin>\0<value>\0" for each, the last one in force; careplan's own -c is "command line:".
  const parts = listing.split("\0");
  let value: string | undefined;
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] !== "command line:" && parts[i + 1] !== "") value = parts[i + 1];
  return value;
}
