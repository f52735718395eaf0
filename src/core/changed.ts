// --changed and --since: the children whose files differ from HEAD (or a ref), untracked ones
// included, as git itself says. Cross-document rules still see each whole child.
import { execFileSync } from "node:child_process";
import { relative, sep } from "node:path";
import { CONFIG_FILE } from "../config/config.js";
import type { Repository } from "../casefile/repository.js";
import { UsageError } from "../errors.js";

/** Child ids with changes, or "all" when careplan.yaml itself changed (every child may be affected). */
export function changedChildren(repository: Repository, since: string | undefined): Set<string> | "all" {
  const ref = since ?? "HEAD";
  if (ref.startsWith("-")) throw new UsageError("--since takes a git ref (a branch, tag or commit), not an option.");
  const git = (args: string[]): string[] => {
    try {
      return execFileSync("git", args, { cwd: repository.root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .split("\n")
        .filter((line) => line !== "");
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? "");
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError("--changed asks git which files changed, but git is not installed.");
      if (/not a git repository/i.test(stderr)) throw new UsageError(`${repository.root} is not inside a git repository: --changed needs one (or leave it out to check everything).`);
      if (/unknown revision|bad revision|ambiguous argument/i.test(stderr)) throw new UsageError(`--since ${ref}: git knows no such ref. Give a branch, tag or commit.`);
      throw new UsageError(`git could not list the changed files: ${stderr.split("\n")[0] ?? "unknown error"}`);
    }
  };
  // --relative with the repository root as working folder: paths relative to it, and only below it.
  const paths = [...git(["diff", "--name-only", "--relative", ref, "--"]), ...git(["ls-files", "--others", "--exclude-standard"])];
  if (paths.includes(CONFIG_FILE)) return "all";
  const childrenPrefix = relative(repository.root, repository.childrenDir).split(sep).join("/") + "/";
  const ids = new Set<string>();
  for (const path of paths) {
    if (!path.startsWith(childrenPrefix)) continue;
    const [id, ...rest] = path.slice(childrenPrefix.length).split("/");
    if (id && rest.length > 0) ids.add(id);
  }
  return ids;
}
