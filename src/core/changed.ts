// --changed, --since and --staged: the children whose files git says changed. Cross-document
// rules still see each whole child. Every git call goes through core/git.ts.
import { relative, sep } from "node:path";
import { CONFIG_FILE } from "../config/config.js";
import type { Repository } from "../casefile/repository.js";
import { UsageError } from "../errors.js";
import { GitError, SAFE_DIFF, type Git } from "./git.js";
import { printable } from "../common/safe-text.js";

/** Child ids with changes, or "all" when careplan.yaml itself changed (every child may be affected). */
export type ChangedChildren = Set<string> | "all";

/** The children whose files differ from HEAD (or `since`) in the working tree, untracked ones included. */
export function changedChildren(repository: Repository, since: string | undefined, git: Git): ChangedChildren {
  const ref = since ?? "HEAD";
  if (ref.startsWith("-")) throw new UsageError("--since takes a git ref (a branch, tag or commit), not an option.");
  try {
    // --relative with the repository root as working folder: paths relative to it, and only below it.
    return childrenOf(repository, [...paths(git, ["diff", ...SAFE_DIFF, "--name-only", "-z", "--relative", ref, "--"]), ...paths(git, ["ls-files", "-z", "--others", "--exclude-standard"])]);
  } catch (error) {
    if (!(error instanceof GitError) || !/unknown revision|bad revision|ambiguous argument/i.test(error.reason)) throw error;
    if (since === undefined) throw new UsageError("--changed compares with the last commit, and this repository has none yet: leave --changed out to check everything.");
    throw new UsageError(`--since ${printable(ref)}: git knows no such ref. Give a branch, tag or commit.`);
  }
}

/** The children with changes staged for the next commit (the index against HEAD). */
export function stagedChildren(repository: Repository, git: Git): ChangedChildren {
  return childrenOf(repository, paths(git, ["diff", ...SAFE_DIFF, "--cached", "--name-only", "-z", "--relative", "--"]));
}

/** Paths git printed with -z, relative to the repository root. */
function paths(git: Git, args: string[]): string[] {
  return git(args)
    .toString("utf8")
    .split("\0")
    .filter((path) => path !== "");
}

function childrenOf(repository: Repository, changed: readonly string[]): ChangedChildren {
  if (changed.includes(CONFIG_FILE)) return "all";
  const ids = new Set<string>();
  for (const path of changed) {
    const id = childIdOf(repository, path);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** The child a path (posix, relative to the repository root) belongs to, if it is inside a child's folder. */
export function childIdOf(repository: Repository, path: string): string | undefined {
  const childrenPrefix = relative(repository.root, repository.childrenDir).split(sep).join("/") + "/";
  if (!path.startsWith(childrenPrefix)) return undefined;
  const [id, ...rest] = path.slice(childrenPrefix.length).split("/");
  return id && rest.length > 0 ? id : undefined;
}
