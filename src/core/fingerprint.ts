// Which children's files are as they were: a key for each child, made from what git already knows
// where it can, else from each file's size, times and inode. A child whose files cannot be keyed
// (a link, a folder that cannot be listed, a file changed a moment ago) has no key: it is read
// every time.
//
// In git, a child whose tracked files all are as committed (`git diff HEAD` names none of them)
// and whose folder holds no file careplan reads that git does not track is keyed by its folder's
// tree in HEAD and the folder's own times (which change when a file is added, removed or renamed):
// one look at the folder, whatever the number of its files. Any other child is keyed file by file:
// a tracked file unchanged by its blob id in the index, any other by its size, times and inode.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, type Dirent, type Stats } from "node:fs";
import { join, relative } from "node:path";
import { ignoreMatcher, posix, type Repository } from "../casefile/repository.js";
import { isMarkdownName, type FileName } from "../casefile/filename.js";
import { GitError, SAFE_DIFF, type Git } from "./git.js";

/** A file changed this close to the run (ms, by the file system's clock) may change again unseen within its time stamp's grain. */
const RACY_MS = 3000;
/** Children keyed file by file in a run before the whole index is listed at once, rather than folder by folder. */
const LIST_ALL_AFTER = 8;

/** What git knows of the children's files. */
export interface GitView {
  /** Each child's folder's tree in HEAD, by the child's id (none without a commit). */
  trees: ReadonlyMap<string, string>;
  /** Paths (posix, from the repository's root) whose content may differ from their blob in `blobs`. */
  changed: ReadonlySet<string>;
  /** The children with any such path. */
  changedChildren: ReadonlySet<string>;
  /** The blob ids of the files under a child's folder: as committed in HEAD, or as in the index before the first commit. */
  blobs(id: string): ReadonlyMap<string, string>;
}

export interface ChildKeys {
  /** How files are keyed: by git's hashes where it knows the files, or by sizes and times alone. */
  readonly kind: "git" | "stat";
  /** The key made with one look at the child's folder, when git can vouch for its files; else undefined. */
  quick(id: string): string | undefined;
  /** The key made file by file, and the quick key the child's record may be kept under (when git vouches for every file read). */
  full(id: string): { key: string; quick: string | undefined } | undefined;
}

/**
 * Asks git what it knows: the children's trees in HEAD, the paths whose content differs from HEAD
 * (staged or not), and the blobs of HEAD folder by folder as needed; before the first commit, the
 * paths that differ from the index and the index's blobs. The comparison (git looks at every file)
 * runs while careplan goes on. git's own view is trusted: a file marked assume-unchanged is unchanged.
 */
export async function askGitView(repository: Repository, git: Git): Promise<GitView> {
  const children = posix(relative(repository.root, repository.childrenDir)) || ".";
  const prefix = children === "." ? "" : `${children}/`;
  const trees = new Map<string, string>();
  const diff = (against: string[]) => git.start(["--literal-pathspecs", "diff", ...SAFE_DIFF, "--name-only", "-z", "--relative", "--no-renames", ...against, "--", children]);
  // The comparison first: it is the long one.
  let changedPaths = diff(["HEAD"]);
  let against = ["HEAD"];
  try {
    for (const record of git(["--literal-pathspecs", "ls-tree", "-z", "HEAD", "--", prefix || "."]).toString("utf8").split("\0")) {
      const match = /^040000 tree ([0-9a-f]+)\t(.*)$/s.exec(record);
      if (match && match[2]!.startsWith(prefix)) trees.set(match[2]!.slice(prefix.length), match[1]!);
    }
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    // No commit yet: what differs from the index.
    changedPaths.catch(() => undefined);
    against = [];
    changedPaths = diff(against);
  }
  const paths = (await changedPaths).toString("utf8").split("\0");
  const changed = new Set(paths.filter((path) => path !== ""));
  const changedChildren = new Set([...changed].map((path) => path.slice(prefix.length).split("/")[0]!));
  const listed = new Map<string, Map<string, string>>();
  let all: Map<string, string> | undefined;
  // Blobs as committed; before the first commit, as in the index (tag H: a file git checks, stage 0).
  const [command, entry] =
    against.length > 0 ? [["ls-tree", "-r", "-z", "HEAD"], /^(?:100644|100755) blob ([0-9a-f]+)\t(.*)$/s] : [["ls-files", "-s", "-v", "-z"], /^H (?:100644|100755) ([0-9a-f]+) 0\t(.*)$/s];
  // Each child's records as one text: for a whole authority, a few thousand strings to keep
  // through the run rather than two for each of its 100,000 files.
  const list = (pathspec: string): Map<string, string> => {
    const byChild = new Map<string, string[]>();
    for (const record of git(["--literal-pathspecs", ...command, "--", pathspec]).toString("utf8").split("\0")) {
      const tab = record.indexOf("\t");
      if (tab < 0) continue;
      const id = record.slice(tab + 1 + prefix.length).split("/")[0]!;
      const records = byChild.get(id);
      if (records) records.push(record);
      else byChild.set(id, [record]);
    }
    return new Map([...byChild].map(([id, records]) => [id, records.join("\0")]));
  };
  const blobsOf = (records: string | undefined): Map<string, string> => {
    const blobs = new Map<string, string>();
    for (const record of records?.split("\0") ?? []) {
      const match = entry.exec(record);
      if (match) blobs.set(match[2]!, match[1]!);
    }
    return blobs;
  };
  return {
    trees,
    changed,
    changedChildren,
    blobs(id) {
      if (all) return blobsOf(all.get(id));
      if (listed.size >= LIST_ALL_AFTER) return blobsOf((all = list(children)).get(id));
      if (!listed.has(id)) listed.set(id, blobsOf(list(`${prefix}${id}`).get(id)));
      return listed.get(id)!;
    },
  };
}

/**
 * The children's keys: with git's view where there is one, else from sizes and times. `clock` is
 * the file system's time at the start of the run (ms), for files changed too recently to trust.
 */
export function childKeys(repository: Repository, readName: (name: string) => FileName, clock: number, git?: GitView): ChildKeys {
  const ignored = ignoreMatcher(repository.config);
  const settled = (stat: Stats) => Math.max(stat.mtimeMs, stat.ctimeMs) < clock - RACY_MS;
  const folderKey = (tree: string, stat: Stats) => `tree ${tree} folder ${stat.mtimeMs} ${stat.ctimeMs} ${stat.ino}`;
  return {
    kind: git ? "git" : "stat",
    quick(id) {
      const tree = git?.trees.get(id);
      if (tree === undefined || git!.changedChildren.has(id)) return undefined;
      const stat = lstatSync(join(repository.childrenDir, id), { throwIfNoEntry: false });
      return stat?.isDirectory() && settled(stat) ? folderKey(tree, stat) : undefined;
    },
    full(id) {
      const dir = join(repository.childrenDir, id);
      const folder = posix(relative(repository.root, dir));
      let entries: Dirent[];
      let folderStat: Stats;
      try {
        folderStat = lstatSync(dir);
        if (!folderStat.isDirectory()) return undefined;
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return undefined;
      }
      const blobs = git?.blobs(id);
      let allInGit = git !== undefined && !git.changedChildren.has(id);
      const parts: string[] = [];
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const file = `${folder}/${entry.name}`;
        if (ignored(file, entry.isDirectory())) continue;
        const name = readName(entry.name);
        // What a record depends on: the names of misnamed files, the bytes of the files read.
        if (name.kind === "misnamed") {
          parts.push(`${entry.name}\0misnamed`);
          continue;
        }
        if (name.kind === "other" && !(isMarkdownName(entry.name) && (entry.isFile() || entry.isSymbolicLink()))) continue;
        if (!entry.isFile()) return undefined; // a link (its target may change unseen) or a folder named like a document
        const blob = git?.changed.has(file) ? undefined : blobs?.get(file);
        if (blob !== undefined) {
          parts.push(`${entry.name}\0git ${blob}`);
          continue;
        }
        allInGit = false;
        const stat = lstatSync(join(dir, entry.name), { throwIfNoEntry: false });
        if (!stat?.isFile() || !settled(stat)) return undefined;
        parts.push(`${entry.name}\0stat ${stat.size} ${stat.mtimeMs} ${stat.ctimeMs} ${stat.ino}`);
      }
      const tree = git?.trees.get(id);
      const quick = allInGit && tree !== undefined && settled(folderStat) ? folderKey(tree, folderStat) : undefined;
      return { key: createHash("sha256").update(parts.join("\n")).digest("base64url"), quick };
    },
  };
}
