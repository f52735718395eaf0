// check --staged: what the next commit holds, read from git's index and never from the working
// tree, so that an edit not yet staged neither hides nor creates a finding. Reading a blob runs
// no filter (no smudge, no textconv): the bytes are the ones git stores.
import { join, posix as posixPath, relative } from "node:path";
import { CONFIG_FILE, parseConfig } from "../config/config.js";
import { posix, READ_PROBLEM, type FolderReader, type Repository, type Selection } from "../casefile/repository.js";
import { childIdOf, stagedChildren } from "./changed.js";
import type { Git } from "./git.js";

interface IndexEntry {
  mode: string;
  object: string;
}

const LINK_MODE = "120000";
const FILE_MODES = new Set(["100644", "100755"]);
/** Links followed inside the index before giving up (a loop). */
const MAX_LINK_HOPS = 40;

export interface StagedCaseload {
  /** The repository with careplan.yaml as staged (when the index holds one and --config was not given). */
  repository: Repository;
  /** The children with staged changes, among those the paths select. */
  ids: string[];
  reader: FolderReader;
  /** A staged file's bytes by path relative to the repository root (careplan-baseline.json), if the index holds it. */
  file(path: string): Buffer | undefined;
}

export function readStaged(selection: Selection, configGiven: boolean, git: Git): StagedCaseload {
  const root = selection.repository.root;
  const index = readIndex(git);
  const blobs = new Map<string, Buffer>();
  const blob = (object: string): Buffer => blobs.get(object) ?? loadBlobs(git, [object], blobs).get(object)!;

  let repository = selection.repository;
  const stagedConfig = index.get(CONFIG_FILE);
  if (!configGiven && stagedConfig && FILE_MODES.has(stagedConfig.mode)) {
    const config = parseConfig(blob(stagedConfig.object).toString("utf8"), join(root, CONFIG_FILE));
    repository = { root, config, childrenDir: join(root, config.children) };
  }

  const changed = stagedChildren(repository, git);
  const inIndex = new Set([...index.keys()].map((path) => childIdOf(repository, path)).filter((id): id is string => id !== undefined));
  const selected = selection.children;
  const ids = [...(changed === "all" ? inIndex : changed)].filter((id) => inIndex.has(id) && (selected === "all" || selected.has(id))).sort();

  // Every blob of the children checked, in one call.
  const prefixes = ids.map((id) => posix(relative(root, join(repository.childrenDir, id))) + "/");
  loadBlobs(git, [...index].filter(([path]) => prefixes.some((prefix) => path.startsWith(prefix))).map(([, entry]) => entry.object), blobs);

  const reader: FolderReader = {
    entries(dir) {
      const folder = posix(relative(root, dir));
      return [...index]
        .filter(([path]) => posixPath.dirname(path) === folder)
        .map(([path, entry]) => ({ name: posixPath.basename(path), isFile: FILE_MODES.has(entry.mode), isFolder: false, isLink: entry.mode === LINK_MODE }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    isLink: (dir) => index.get(posix(relative(root, dir)))?.mode === LINK_MODE,
    read(path, _insideRoot, maxBytes) {
      let at = posix(relative(root, path));
      for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        const entry = index.get(at);
        if (!entry) return "the file is a link to a file that is not staged: stage it, or keep the document itself in the child's folder";
        if (entry.mode === LINK_MODE) {
          const target = blob(entry.object).toString("utf8");
          at = posixPath.normalize(posixPath.join(posixPath.dirname(at), target));
          if (posixPath.isAbsolute(target) || at === ".." || at.startsWith("../")) return READ_PROBLEM.linkOutside;
          continue;
        }
        if (!FILE_MODES.has(entry.mode)) return "not a regular file";
        const bytes = blob(entry.object);
        return bytes.length > maxBytes ? READ_PROBLEM.tooLarge(maxBytes) : bytes;
      }
      return "the file is a link that leads round in a loop: replace it with the document itself";
    },
  };
  const file = (path: string): Buffer | undefined => {
    const entry = index.get(path);
    return entry && FILE_MODES.has(entry.mode) ? blob(entry.object) : undefined;
  };
  return { repository, ids, reader, file };
}

/** The index's files (stage 0: a conflicted file cannot be committed), by posix path relative to the repository root. */
function readIndex(git: Git): Map<string, IndexEntry> {
  const index = new Map<string, IndexEntry>();
  for (const record of git(["ls-files", "-s", "-z"]).toString("utf8").split("\0")) {
    const match = /^(\d{6}) ([0-9a-f]+) (\d)\t(.*)$/s.exec(record);
    if (match && match[3] === "0") index.set(match[4]!, { mode: match[1]!, object: match[2]! });
  }
  return index;
}

/** Reads blobs through one `git cat-file --batch` (output: `<object> <type> <size>\n<bytes>\n` each). */
function loadBlobs(git: Git, objects: readonly string[], into: Map<string, Buffer>): Map<string, Buffer> {
  const wanted = [...new Set(objects)].filter((object) => !into.has(object));
  if (wanted.length === 0) return into;
  const output = git(["cat-file", "--batch"], wanted.join("\n") + "\n");
  let offset = 0;
  while (offset < output.length) {
    const end = output.indexOf(0x0a, offset);
    const [object, type, size] = output.subarray(offset, end).toString("utf8").split(" ");
    offset = end + 1;
    if (type === "missing" || size === undefined) continue;
    into.set(object!, output.subarray(offset, offset + Number(size)));
    offset += Number(size) + 1;
  }
  return into;
}

