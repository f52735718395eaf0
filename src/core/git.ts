// Every git call careplan makes goes through here, made so that nothing from the checked
// repository's own configuration can run: a case-file folder may come from anyone (an archive, a
// pull request), and git runs commands its configuration names (core.fsmonitor, filter drivers,
// external diffs, textconv, pagers, hooks, credential helpers). Where git refuses a repository it
// does not trust (safe.directory), careplan says so and stops: it never works around that.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { printable } from "../common/safe-text.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** Settings that would make git run a command, switched off on every call (`-c` outranks every config file). */
const SWITCHED_OFF = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "core.pager=cat",
  "credential.helper=",
  "protocol.allow=never",
];

/** Options every `git diff` gets: no external diff program (diff.external), no textconv, no submodule status (another repository's configuration). */
export const SAFE_DIFF = ["--no-ext-diff", "--no-textconv", "--ignore-submodules=all"];

/** Paths a git that runs careplan (a hook) may hand down relative to where it started. */
const PATH_VARIABLES = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"];

/** Runs git with arguments (and optional standard input) and returns its standard output. */
export interface Git {
  (args: readonly string[], input?: Buffer | string): Buffer;
  /** The same, run while careplan goes on with its own work: its standard output once git is done. */
  start(args: readonly string[]): Promise<Buffer>;
}

/** git failed for a reason the caller may know better (an unknown ref); `reason` is git's first line, made printable. */
export class GitError extends UsageError {
  constructor(readonly reason: string) {
    super(`git failed: ${reason}`);
  }
}

export interface GitOptions {
  /** The folder git runs in. */
  dir: string;
  /** Where careplan was started: relative paths in the environment are relative to it. */
  cwd: string;
  env: Environment;
  /** What git is asked for, for messages: "--changed", "--staged". */
  purpose: string;
}

/** A git for one repository, with every configured filter driver switched off too. */
export function openGit(options: GitOptions): Git {
  const environment = gitEnvironment(options.env, options.cwd);
  const run = (config: readonly string[], args: readonly string[], input?: Buffer | string): Buffer => {
    try {
      return execFileSync("git", [...config.flatMap((setting) => ["-c", setting]), ...args], {
        cwd: options.dir,
        env: environment,
        input,
        stdio: ["pipe", "pipe", "pipe"],
        maxBuffer: 1024 * 1024 * 1024,
      });
    } catch (error) {
      throw describeFailure(error, options);
    }
  };
  // First make sure git works here and trusts the repository: other commands, refused, say less.
  run(SWITCHED_OFF, ["rev-parse", "--is-inside-work-tree"]);
  // Filter drivers (clean, smudge, process) run when git reads the working tree: their names are
  // only known from the configuration, so read it (reading runs nothing) and switch each off.
  let listing = "";
  try {
    listing = run(SWITCHED_OFF, ["config", "--null", "--get-regexp", "^filter\\."]).toString("utf8");
  } catch (error) {
    if (!(error instanceof GitError)) throw error; // exit 1: no filter configured
  }
  const keys = listing.split("\0").map((entry) => entry.split("\n")[0]!);
  const drivers = new Set(keys.map((key) => /^filter\.(.+)\.[^.]+$/.exec(key)?.[1]).filter((name): name is string => name !== undefined));
  const switchedOff = [...SWITCHED_OFF];
  for (const name of drivers) {
    if (name.includes("=")) throw new UsageError(`${options.purpose}: the repository's git configuration has a filter whose name holds "=", which careplan cannot switch off. Rename or remove that filter.`);
    switchedOff.push(`filter.${name}.clean=`, `filter.${name}.smudge=`, `filter.${name}.process=`, `filter.${name}.required=false`);
  }
  const start = (args: readonly string[]) =>
    new Promise<Buffer>((resolve, reject) => {
      const spawnOptions = { cwd: options.dir, env: environment, encoding: "buffer" as const, maxBuffer: 1024 * 1024 * 1024 };
      execFile("git", [...switchedOff.flatMap((setting) => ["-c", setting]), ...args], spawnOptions, (error, stdout, stderr) => {
        if (error) reject(describeFailure(Object.assign(error, { stderr }), options));
        else resolve(stdout);
      });
    });
  return Object.assign((args: readonly string[], input?: Buffer | string) => run(switchedOff, args, input), { start });
}

function gitEnvironment(env: Environment, cwd: string): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  // git gives a pre-commit hook GIT_INDEX_FILE=.git/index, relative to the top of the work tree;
  // careplan runs git in the case-file repository's folder, which may be below it.
  for (const key of PATH_VARIABLES) {
    const value = result[key];
    if (value && !isAbsolute(value)) result[key] = resolve(cwd, value);
  }
  delete result.GIT_EXTERNAL_DIFF;
  return {
    ...result,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_PAGER: "cat",
    PAGER: "cat",
    // Never write to the repository (git would otherwise refresh its index while diffing).
    GIT_OPTIONAL_LOCKS: "0",
    // git's messages in English, so that the ones careplan explains can be recognised.
    LC_ALL: "C",
  };
}

function describeFailure(error: unknown, options: GitOptions): UsageError {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") return new UsageError(`${options.purpose} asks git, but git is not installed (or not on PATH).`);
  const stderr = String((error as { stderr?: unknown }).stderr ?? "");
  if (/detected dubious ownership/i.test(stderr)) {
    const top = gitTopLevel(options.dir) ?? options.dir;
    return new UsageError(
      `git does not trust the repository at ${printable(top)}: it belongs to another user (git's safe.directory check). careplan does not work around that. ` +
        `If you trust this repository, tell git so with \`git config --global --add safe.directory ${printable(top)}\` and run careplan again.`,
    );
  }
  if (/not a git repository/i.test(stderr)) {
    return new UsageError(`${printable(options.dir)} is not inside a git repository: ${options.purpose} needs one (or leave it out to check everything).`);
  }
  return new GitError(printable(stderr.split("\n").find((line) => line.trim() !== "") ?? `exit ${(error as { status?: unknown }).status ?? "unknown"}`));
}

/**
 * The top of the git work tree holding `dir`, found by looking for `.git` (a folder, or a file in
 * a worktree or submodule) upward, without running git; undefined outside git.
 */
export function gitTopLevel(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, ".git"))) return current;
    if (dirname(current) === current) return undefined;
  }
}
