// Which children's files are as they were: a key for each child made from what git already knows
// (the content hash of every tracked file the working tree has not changed), and for the other
// files (changed, untracked, or outside git) from their size, times and inode. A child whose files
// cannot be keyed (a link, a folder that cannot be listed, a file changed a moment ago) has no key:
// it is read every time.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, type Dirent } from "node:fs";
import { join, relative } from "node:path";
import { ignoreMatcher, posix, type Repository } from "../casefile/repository.js";
import type { FileName } from "../casefile/filename.js";
import { SAFE_DIFF, type Git } from "./git.js";

/** A file changed this close to the run (ms, by the file system's clock) may change again unseen within its time stamp's grain. */
const RACY_MS = 3000;

export interface ChildKeys {
  /** How the keys were made, for the benchmark and the docs: git's hashes, or sizes and times alone. */
  readonly kind: "git" | "stat";
  /** The child's key, or undefined when its files cannot be keyed. */
  key(id: string): string | undefined;
}

/** Blob ids git holds for the files under the children folder the working tree has not changed, by posix path from the repository root. */
export async function unchangedInGit(repository: Repository, git: Git): Promise<Map<string, string>> {
  const children = posix(relative(repository.root, repository.childrenDir)) || ".";
  // The long one (git looks at every file) runs while the index is read.
  const changed = git.start(["--literal-pathspecs", "diff", ...SAFE_DIFF, "--name-only", "-z", "--relative", "--no-renames", "--", children]);
  const listing = git(["--literal-pathspecs", "ls-files", "-s", "-v", "-z", "--", children]).toString("utf8");
  const blobs = new Map<string, string>();
  for (const record of listing.split("\0")) {
    // Tag H: a file git checks (not assume-unchanged, skip-worktree or in conflict); stage 0; a regular file.
    const match = /^H (100644|100755) ([0-9a-f]+) 0\t(.*)$/s.exec(record);
    if (match) blobs.set(match[3]!, match[2]!);
  }
  for (const path of (await changed).toString("utf8").split("\0")) blobs.delete(path);
  return blobs;
}

/**
 * Keys from git's blob ids where there are some (`blobs`), else from each file's size, times and
 * inode. `clock` is the file system's time at the start of the run (ms), for files changed too
 * recently to be trusted.
 */
export function childKeys(repository: Repository, readName: (name: string) => FileName, clock: number, blobs?: ReadonlyMap<string, string>): ChildKeys {
  const ignored = ignoreMatcher(repository.config);
  return {
    kind: blobs ? "git" : "stat",
    key(id) {
      const dir = join(repository.childrenDir, id);
      const folder = posix(relative(repository.root, dir));
      let entries: Dirent[];
      try {
        if (lstatSync(dir).isSymbolicLink()) return undefined;
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return undefined;
      }
      const parts: string[] = [];
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const file = `${folder}/${entry.name}`;
        if (ignored(file, entry.isDirectory())) continue;
        const name = readName(entry.name);
        // What the record depends on: the names of misnamed files, the bytes of the files read.
        if (name.kind === "misnamed") {
          parts.push(`${entry.name}\0misnamed`);
          continue;
        }
        if (name.kind === "other" && !(/\.md$/i.test(entry.name) && (entry.isFile() || entry.isSymbolicLink()))) continue;
        if (!entry.isFile()) return undefined; // a link (its target may change unseen) or a folder named like a document
        const blob = blobs?.get(file);
        if (blob !== undefined) {
          parts.push(`${entry.name}\0git ${blob}`);
          continue;
        }
        const stat = lstatSync(join(dir, entry.name), { throwIfNoEntry: false });
        if (!stat?.isFile() || Math.max(stat.mtimeMs, stat.ctimeMs) >= clock - RACY_MS) return undefined;
        parts.push(`${entry.name}\0stat ${stat.size} ${stat.mtimeMs} ${stat.ctimeMs} ${stat.ino}`);
      }
      return createHash("sha256").update(parts.join("\n")).digest("base64url");
    },
  };
}
