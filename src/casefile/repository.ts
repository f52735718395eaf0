// Finding the case-file repository and reading the children's folders in it.
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { isUtf8 } from "node:buffer";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { DEFAULT_CONFIG, findConfigFile, loadConfig, type Config } from "../config/config.js";
import { ConfigError, ioCause, ioError, UsageError } from "../errors.js";
import { readKnownFile, readRegularFile, sizeInWords, type ReadProblem } from "../common/read-file.js";
import { parseDocumentText, unreadableDocument, type CaseDocument } from "./document.js";
import { frontMatterEnd } from "./frontmatter.js";
import { isMarkdownName, PROFILE_FILE, type FileName } from "./filename.js";
import { printable } from "../common/safe-text.js";

export interface Repository {
  root: string;
  config: Config;
  childrenDir: string;
}

/** For each child selected, all of its files or only the documents given by path (posix, from the root). */
export type ChildScope = "all" | Set<string>;

/** What the paths given on the command line select. */
export interface Selection {
  repository: Repository;
  /** Every child, or the children named with their scope. */
  children: "all" | Map<string, ChildScope>;
  /** Paths given that careplan.yaml's `ignore` matches (as given): nothing in them is read. */
  ignored?: string[];
}

export interface ChildCase {
  /** The folder's name, which is the child's id. */
  id: string;
  /** Posix path of the folder relative to the root. */
  folder: string;
  profile: CaseDocument | undefined;
  /** Every other document named like one (date-type[-slug].md), oldest name first. */
  documents: CaseDocument[];
  /** `.md` files named like a document whose date is not real or whose type is unknown. */
  misnamed: { file: string; name: Extract<FileName, { kind: "misnamed" }> }[];
  /**
   * Other `.md` files in the folder (notes, or documents misnamed beyond recognition:
   * `2026-11-5-visit.md`, `…-visit.MD`), read so that one whose front matter names a type can
   * be reported. They are no documents: nothing else reads them.
   */
  strays: CaseDocument[];
}

export function findRepository(startPath: string, configOption: string | undefined): Repository {
  const start = resolve(startPath);
  const startDir = statOf(start, startPath).isDirectory() ? start : dirname(start);
  const configFile = configOption !== undefined ? resolve(configOption) : findConfigFile(startDir);
  if (configFile !== undefined) {
    const config = loadConfig(configFile);
    const root = dirname(configFile);
    return insideOnly({ root, config, childrenDir: join(root, config.children) });
  }
  for (let dir = startDir; ; dir = dirname(dir)) {
    if (isDirectory(join(dir, DEFAULT_CONFIG.children))) return insideOnly({ root: dir, config: DEFAULT_CONFIG, childrenDir: join(dir, DEFAULT_CONFIG.children) });
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(
    `${startPath}: no case-file repository here or above (no careplan.yaml and no children/ folder). Run \`careplan init\` to start one, or pass --config.`,
  );
}

/** A path given on the command line: what it is, or why it cannot be used (missing, or not reachable). */
function statOf(path: string, shown: string) {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UsageError(`${shown}: no such file or folder.`);
    throw ioError(error, "read", shown, "Check the path and the permissions of the folders on the way to it.");
  }
}

/**
 * The children folder must be inside the repository: a link to a folder elsewhere would have the
 * tool read, and `new` write, case files that are not the repository's. Refused as a whole (one
 * message, nothing read) rather than as a finding on every document.
 */
function insideOnly(repository: Repository): Repository {
  let inside = true;
  try {
    inside = isInside(repository.childrenDir, repository.root);
  } catch {
    // missing or a broken link: listing the children says so
  }
  if (!inside) {
    throw new ConfigError(
      `${repository.childrenDir}: the children folder is a link to a folder outside the repository (${repository.root}). Move the folder into the repository, or set \`children\` in careplan.yaml to a folder inside it.`,
    );
  }
  return repository;
}

/** Whether `path`, links followed, is `root` or inside it (links in `root` followed too). */
export function isInside(path: string, root: string): boolean {
  const real = realpathSync(path);
  const realRoot = realpathSync(root);
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/**
 * Resolves the command line's paths (the repository, children/, a child's folder or a document).
 * Paths within one repository combine, each child once; paths in two repositories are refused,
 * since one report has one configuration and one policy.
 */
export function selectPaths(paths: readonly string[], cwd: string, configOption: string | undefined): Selection {
  const given = paths.length > 0 ? paths : ["."];
  const config = configOption === undefined ? undefined : resolve(cwd, configOption);
  for (const path of given) statOf(resolve(cwd, path), path);
  const repository = findRepository(resolve(cwd, given[0]!), config);
  if (config === undefined) {
    for (const path of given.slice(1)) {
      const other = findRepository(resolve(cwd, path), undefined);
      if (other.root !== repository.root) {
        throw new UsageError(
          `${given[0]} and ${path} are in two case-file repositories (${repository.root} and ${other.root}): give paths in one repository at a time, since one report has one policy.`,
        );
      }
    }
  }
  const children = new Map<string, ChildScope>();
  const ignored: string[] = [];
  const isIgnored = ignoreMatcher(repository.config);
  let all = false;
  for (const path of given) {
    const absolute = resolve(cwd, path);
    const inChildren = relative(repository.childrenDir, absolute);
    if (absolute === repository.root || inChildren === "") {
      all = true;
      continue;
    }
    const [id, file, ...deeper] = inChildren.split(sep);
    if (inChildren.startsWith("..") || deeper.length > 0 || (file !== undefined && !statSync(absolute).isFile())) {
      throw new UsageError(`${path}: not the repository, its children folder, a child's folder or a document in one.`);
    }
    const folder = childFolder(repository, id!);
    if (isIgnored(folder, true) || (file !== undefined && isIgnored(`${folder}/${file}`, false))) {
      ignored.push(path);
      continue;
    }
    const scope = children.get(id!);
    if (file === undefined) children.set(id!, "all");
    else if (scope !== "all") children.set(id!, new Set([...(scope ?? []), posix(relative(repository.root, absolute))]));
  }
  return { repository, children: all ? "all" : children, ...(ignored.length > 0 ? { ignored } : {}) };
}

/** One warning line for each path given that the `ignore` globs match. */
export function ignoredPathWarnings(selection: Selection): string[] {
  return (selection.ignored ?? []).map((path) => `warning: ${printable(path)}: ignored by \`ignore\` in careplan.yaml, so nothing in it is read.`);
}

export function listChildFolders(repository: Repository): string[] {
  if (!isDirectory(repository.childrenDir)) {
    throw new UsageError(`${repository.childrenDir}: the children folder does not exist. Create it, or set \`children\` in careplan.yaml.`);
  }
  const folder = posix(relative(repository.root, repository.childrenDir));
  const ignored = ignoreMatcher(repository.config);
  let entries: Dirent[];
  try {
    entries = readdirSync(repository.childrenDir, { withFileTypes: true });
  } catch (error) {
    throw new UsageError(`${repository.childrenDir}: the children folder cannot be read (${ioCause(error)}). Check the folder's permissions.`);
  }
  return entries
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => entry.name)
    .filter((name) => !name.startsWith(".") && !ignored(`${folder}/${name}`, true))
    .sort();
}

const matchers = new WeakMap<Config, (path: string, isFolder: boolean) => boolean>();

/**
 * careplan.yaml's `ignore` globs, as ESLint's flat config has them: relative to the repository's
 * root, matching dot files too; a glob ending in `/` matches folders only.
 */
export function ignoreMatcher(config: Config): (path: string, isFolder: boolean) => boolean {
  let matcher = matchers.get(config);
  if (!matcher) {
    const match = config.ignore.length > 0 ? picomatch([...config.ignore], { dot: true }) : undefined;
    matcher = match ? (path, isFolder) => match(path) || (isFolder && match(`${path}/`)) : () => false;
    matchers.set(config, matcher);
  }
  return matcher;
}

export interface FolderEntry {
  name: string;
  isFile: boolean;
  isFolder: boolean;
  isLink: boolean;
}

/** Where a child's files are read from: the working tree, or git's index (`check --staged`). */
export interface FolderReader {
  /** A folder's entries (absolute path), sorted by name, or why it cannot be listed (our words). */
  entries(dir: string): FolderEntry[] | string;
  /** Whether the folder is itself a link. */
  isLink(dir: string): boolean;
  /**
   * A file's bytes, or why it cannot be read (our words). `insideRoot`: for a path through a link,
   * the repository it must not leave; `maxBytes`: the most a document may have (`limits.document_size`);
   * `listedAsFile`: the folder's listing said it is a plain file. The bytes hold until the next
   * read (the working tree's are read into a buffer the thread reuses): decode them at once.
   */
  read(path: string, insideRoot: string | undefined, maxBytes: number, listedAsFile: boolean): Buffer | string;
}

/** Why a file cannot be read, in the words every reader uses. */
export const READ_PROBLEM = {
  linkOutside: "the file is a link to somewhere outside the repository: keep case files inside it",
  tooLarge: (limit: number) => `the file is larger than ${sizeInWords(limit)}: move attachments out of the document (or raise \`limits.document_size\` in careplan.yaml)`,
} as const;

export const WORKING_TREE: FolderReader = {
  entries(dir) {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // a file where a child's folder would be is no child: nothing to list
      if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return [];
      return `the child's folder cannot be read (${ioCause(error)}): check its permissions`;
    }
    return entries
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((entry) => ({ name: entry.name, isFile: entry.isFile(), isFolder: entry.isDirectory(), isLink: entry.isSymbolicLink() }));
  },
  isLink: (dir) => lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink() ?? false,
  read: readWorkingTreeFile,
};

/**
 * Reads one child's folder. Problems with a file become that document's readProblem: the run goes
 * on. `body: false`: each document's front matter alone is decoded and parsed (it then has no
 * sections); the file is still read whole and must be UTF-8.
 */
export function readChild(repository: Repository, id: string, readName: (name: string) => FileName, reader: FolderReader = WORKING_TREE, body = true): ChildCase {
  const dir = join(repository.childrenDir, id);
  const folder = childFolder(repository, id);
  const child: ChildCase = { id, folder, profile: undefined, documents: [], misnamed: [], strays: [] };
  const ignored = ignoreMatcher(repository.config);
  // A child's folder that cannot be read, or leads out of the repository, is one `read` finding
  // on the child (at the profile's place): its files are neither listed nor read.
  const folderProblem = (why: string): ChildCase => ({ ...child, profile: unreadableDocument(`${folder}/${PROFILE_FILE}`, id, { kind: "profile" }, why) });
  const folderIsLink = reader.isLink(dir);
  // The index holds no folders to follow (its links are followed file by file, in `read`).
  if (folderIsLink && reader === WORKING_TREE) {
    let inside: boolean;
    try {
      inside = isInside(dir, repository.root);
    } catch {
      return folderProblem("the child's folder is a link to nothing (a broken link): remove the link, or put the folder itself in place");
    }
    if (!inside) return folderProblem("the child's folder is a link to somewhere outside the repository: move the folder into the repository");
  }
  const entries = reader.entries(dir);
  if (typeof entries === "string") return folderProblem(entries);
  for (const entry of entries) {
    const name = readName(entry.name);
    const file = `${folder}/${entry.name}`;
    if (ignored(file, entry.isFolder)) continue;
    if (name.kind === "misnamed") {
      child.misnamed.push({ file, name });
      continue;
    }
    if (name.kind === "other" && !(isMarkdownName(entry.name) && (entry.isFile || entry.isLink))) continue;
    const throughLink = entry.isLink || folderIsLink;
    const bytes = reader.read(join(dir, entry.name), throughLink ? repository.root : undefined, repository.config.limits.documentSize, entry.isFile && !throughLink);
    const document = readDocument(bytes, file, id, name, repository, body);
    if (name.kind === "profile") child.profile = document;
    else if (name.kind === "document") child.documents.push(document);
    else if (document.data) child.strays.push(document);
  }
  return child;
}

/** A child's folder: posix, from the repository's root. */
export function childFolder(repository: Repository, id: string): string {
  return posix(relative(repository.root, join(repository.childrenDir, id)));
}

/**
 * One document of the working tree again, by its path (posix, from the repository's root), its
 * front matter alone: for a view that shows a field of a document whose child's record came from
 * the cache (an action's text, a social worker's name, where a field stands).
 */
export function readDocumentFile(repository: Repository, file: string, readName: (name: string) => FileName): CaseDocument | undefined {
  const name = readName(basename(file));
  // A child whose files were keyed has no links: one read of a plain file, or nothing.
  const bytes = readKnownFile(join(repository.root, file), repository.config.limits.documentSize);
  return bytes && readDocument(bytes, file, basename(dirname(file)), name, repository, false);
}

function readDocument(bytes: Buffer | string, file: string, folder: string, name: FileName, repository: Repository, body = true): CaseDocument {
  if (typeof bytes === "string") return unreadableDocument(file, folder, name, bytes);
  if (!isUtf8(bytes)) return unreadableDocument(file, folder, name, "the file is not UTF-8 text: save it as UTF-8");
  // The front matter alone: the rest is not decoded.
  return parseDocumentText(file, folder, name, bytes.toString("utf8", 0, body ? bytes.length : frontMatterEnd(bytes)), repository.config.limits, { body });
}

/** A file of the working tree: through a link only to inside the repository, and checked before it is opened. */
function readWorkingTreeFile(path: string, insideRoot: string | undefined, maxBytes: number, listedAsFile: boolean): Buffer | string {
  if (insideRoot !== undefined) {
    let inside = true;
    try {
      inside = isInside(path, insideRoot);
    } catch {
      // a broken link: reading says so below
    }
    if (!inside) return READ_PROBLEM.linkOutside;
  }
  // Decoded as soon as it is read (readDocument), then let go: into the thread's reused buffer.
  const read = readRegularFile(path, maxBytes, listedAsFile, true);
  return read.ok ? read.bytes : readProblemWords(read.problem);
}

function readProblemWords(problem: ReadProblem): string {
  switch (problem.kind) {
    case "missing":
      return "the file is a link to nothing (a broken link): remove it, or put the document itself in place";
    case "not-a-file":
      return "not a regular file (a folder, device, pipe or socket): a case document must be a plain text file";
    case "too-large":
      return READ_PROBLEM.tooLarge(problem.limit);
    case "denied":
      return "permission denied: check the file's permissions";
    case "failed":
      return `the file cannot be read (${problem.code})`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function posix(path: string): string {
  return path.split(sep).join("/");
}
