// The cache: each child's record (core/record.ts) kept between runs under a key of its files, so
// that a run reads and parses only the children whose files changed. It lives in a folder of the
// repository that git ignores (`init` lists it in .gitignore; in an existing repository the run
// that makes it lists it in .git/info/exclude; and it holds a .gitignore of `*`), and holds
// no free text: findings in careplan's words, dates, true/false and codes, file paths.
//
// Few files: the records of a run go into a pack file of each thread's own, appended to (a file
// per child made a cold run spend seconds in the file system creating them), and an index lists
// where each child's record is. A run reads the index once, writes a new one whole (a temporary
// file renamed) when it kept anything, and deletes the packs no index needs any more.
//
// Never trusted: each record and the index carry a checksum (CRC-32: against a torn or damaged
// file) and the key of everything the records were made with (this careplan's code, careplan.yaml,
// the forms, the versions of the forms in force); anything else is read again and written anew.
// The key also holds the identity of the cache folder's token file (device, inode, change time),
// which no copy or archive can carry: a cache planted in a repository, or copied with it, is never
// used. Two runs at once: the index written last wins, the other's records are read again next time.
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { appendFileSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync, writevSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import { TEMPLATES_DIR, VERSION } from "../assets.js";
import { posix, type Repository } from "../casefile/repository.js";
import { gitTopLevel } from "./git.js";
import type { Form } from "../templates/forms.js";
import type { DocumentType } from "../doctypes.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { isValidChildId } from "../common/ids.js";
import { readKnownFile } from "../common/read-file.js";
import type { Position } from "../casefile/yaml.js";
import type { TimelineItem } from "../timescales/engine.js";
import type { ChildFacts, DocumentFact, Exclusion, PlacementFact } from "../timescales/facts.js";
import type { ChildRecord, RecordFinding, Waiver } from "./record.js";
import type { ChildFindings } from "./check.js";

/** Where the cache is unless --cache-location says otherwise: in the repository, beside careplan.yaml. */
export const CACHE_FOLDER = ".careplan-cache";
/** Bumped whenever a record's form or meaning changes. */
const FORMAT = 12;
const HEADER = "careplan-cache";
/** A record larger than this is not one careplan wrote. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** Beyond this many findings in a run, the findings of the day are not kept (each child's record still is). */
export const MAX_KEPT_FINDINGS = 100_000;

/** Packs the index may list before the run that writes it gathers their records into one (CAREPLAN_CACHE_MAX_PACKS lowers it, for the tests). */
export const MAX_PACKS = 16;

/** MAX_PACKS, or CAREPLAN_CACHE_MAX_PACKS. */
export function maxPacks(env: Readonly<Record<string, string | undefined>>): number {
  const value = env.CAREPLAN_CACHE_MAX_PACKS;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : MAX_PACKS;
}

/** The most findings a check keeps for the next run on its day: MAX_KEPT_FINDINGS, or CAREPLAN_MAX_KEPT_FINDINGS (the tests lower it). */
export function maxKeptFindings(env: Readonly<Record<string, string | undefined>>): number {
  const value = env.CAREPLAN_MAX_KEPT_FINDINGS;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : MAX_KEPT_FINDINGS;
}

export interface CaseCache {
  readonly folder: string;
  /** The key of everything the run's records depend on besides each child's files (for a worker that keeps records too). */
  readonly key: string;
  /** The file system's time when the run began (ms): files changed since a moment before it are not keyed. */
  readonly clock: number;
  /** What the cache holds for the child, made by this run's settings: the key of its files, and the record (read when asked for). */
  entry(id: string): CacheEntry | undefined;
  put(id: string, key: string, record: ChildRecord): void;
  /** A record a worker kept in its own pack (`recordKeeper`): listed in the index with this run's own. */
  adopt(id: string, kept: KeptRecord): void;
  /**
   * Ends the run's reading and keeping: writes the index when the run kept anything, deletes the
   * packs no index needs, and closes the packs read. Called where each run finishes (a run that
   * ends before leaves its records unlisted: they are read again next time). Using the cache
   * after starts again from the index written.
   */
  close(): void;
  /** The children's findings a check on this as-of date kept (with the key of the files they were found in), by id. */
  results(asOf: IsoDate): Map<string, KeptFindings>;
  /** Keeps the children's findings for the next run on this day; undefined: too many to keep, none kept. */
  keepResults(asOf: IsoDate, results: ReadonlyMap<string, KeptFindings> | undefined): void;
}

/** Where a record was kept: its pack, where in it, and the key of the child's files it was made from. */
export interface KeptRecord {
  key: string;
  /** The record holds a check's findings (`CacheEntry.checked`). */
  checked: boolean;
  pack: string;
  offset: number;
  length: number;
}

/** A child's findings on one as-of date, and the key of the files they were found in. */
export interface KeptFindings {
  key: string;
  findings: ChildFindings;
}

/** What a run reads of records: a check's findings, or the timeline. */
export type RecordUse = "check" | "timeline";

export interface CacheEntry {
  /** The key of the files the record was made from. */
  key: string;
  /** The record holds a check's findings (else the facts alone, as a timeline makes it). */
  checked: boolean;
  /**
   * The record, checked for its form; undefined when it is not one careplan wrote. Only what the
   * run will read is parsed (and checked): on the settled date or after, a check reads neither the
   * items nor the facts, a timeline the items; before it, both read the facts.
   */
  record(asOf: IsoDate, use: RecordUse): ChildRecord | undefined;
}

/** What every record of a run depends on besides its own files. */
export interface CacheSettings {
  config: Repository["config"];
  forms: ReadonlyMap<string, Form>;
  /** The types in force on the as-of date (the version of each form). */
  types: ReadonlyMap<string, DocumentType>;
}

/** The cache folder, open; its records are read and written once the run's settings are known (`forRun`). */
export interface CacheFolder {
  readonly folder: string;
  /** careplan's own forms as this careplan read them before (kept beside the records), or undefined. */
  builtInForms(): ReadonlyMap<string, Form> | undefined;
  /** Keeps careplan's own forms for the next run. */
  keepBuiltInForms(forms: ReadonlyMap<string, Form>): void;
  forRun(settings: CacheSettings): CaseCache;
}

/**
 * Opens (making it if need be) the cache folder: `location` when given, else .careplan-cache in
 * the repository. Undefined when there can be none (a read-only checkout, something else in its
 * place): the run goes on without, and says so only for a location the user named.
 */
export function openCache(repository: Repository, location: string | undefined, warn: (line: string) => void, identity: CareplanIdentity = careplanIdentity(), packLimit = MAX_PACKS): CacheFolder | undefined {
  const folder = location ?? join(repository.root, CACHE_FOLDER);
  let token: string;
  let clock: number;
  try {
    // The default folder is the repository's: a link there (a planted one) is not followed.
    const existing = lstatSync(folder, { throwIfNoEntry: false });
    if (existing && !(existing.isDirectory() || (location !== undefined && statSync(folder).isDirectory()))) throw new Error("not a folder");
    if (!existing) {
      mkdirSync(folder, { recursive: location !== undefined });
      // Only the repository's own cache folder: a folder the user names may lie in another repository.
      if (location === undefined) excludeFromGit(folder);
    }
    createOnce(join(folder, ".gitignore"), "# careplan's cache: safe to delete, never committed.\n*\n");
    createOnce(join(folder, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# careplan's cache (https://bford.info/cachedir/)\n");
    createOnce(join(folder, "token"), randomBytes(16).toString("hex") + "\n");
    const stat = lstatSync(join(folder, "token"));
    if (!stat.isFile()) throw new Error("token is not a file");
    token = `${stat.dev}.${stat.ino}.${stat.ctimeMs}`;
    // The file system's clock, as file times are: truncated now, its time is now. Opened without
    // following a link or waiting on a pipe: a planted `clock` must not make careplan write elsewhere.
    const descriptor = openSync(join(folder, "clock"), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const clockStat = fstatSync(descriptor);
      if (!clockStat.isFile()) throw new Error("clock is not a file");
      clock = clockStat.mtimeMs;
    } finally {
      closeSync(descriptor);
    }
    // The records of careplan before packs (a file per child): of no use now.
    if (lstatSync(join(folder, "children"), { throwIfNoEntry: false })) rmSync(join(folder, "children"), { recursive: true, force: true });
    // Anything else in the packs folder's place (a file, a link) goes: the folder is careplan's.
    if (lstatSync(join(folder, PACKS), { throwIfNoEntry: false })?.isDirectory() === false) rmSync(join(folder, PACKS), { force: true });
    mkdirSync(join(folder, PACKS), { recursive: true });
  } catch {
    if (location !== undefined) warn(`warning: --cache-location ${location}: not a folder careplan can write to; the run goes on without a cache.`);
    return undefined;
  }
  const write = cacheWriter();
  const formsFile = join(folder, "forms.json");
  // careplan's own forms depend on its own files alone, as known by the token's cache.
  const formsKey = createHash("sha256").update(JSON.stringify([FORMAT, identity.version, identity.code, token])).digest("base64url");
  return {
    folder,
    builtInForms() {
      try {
        const [key, forms] = list(readCheckedJson(formsFile), 2);
        return key === formsKey ? new Map(forms as [string, Form][]) : undefined;
      } catch {
        return undefined;
      }
    },
    keepBuiltInForms(forms) {
      write(formsFile, checkedJson([formsKey, [...forms]]));
    },
    forRun(settings) {
      const key = runKey(settings, token, identity);
      const resultsFile = join(folder, "findings.json");
      const records = new RecordIndex(folder, key, clock, packLimit, write);
      return {
        folder,
        key,
        clock,
        entry: (id) => records.entry(id),
        put: (id, childKey, record) => records.put(id, childKey, record),
        adopt: (id, kept) => records.adopt(id, kept),
        close: () => records.close(),
        results(asOf) {
          try {
            const [runKey, day, children] = list(readCheckedJson(resultsFile), 3);
            return runKey === key && day === asOf ? decodeResults(list(children)) : new Map();
          } catch {
            return new Map();
          }
        },
        keepResults(asOf, results) {
          if (results === undefined) rmSync(resultsFile, { force: true });
          else write(resultsFile, checkedJson([key, asOf, encodeResults(results)]));
        },
      };
    },
  };
}

const TEMPORARY_PREFIX = randomBytes(6).toString("hex");
let written = 0;

/** Writes a file of the cache whole or not at all (and says which); after a failure (full, read-only) it writes no more. */
function cacheWriter(): (path: string, bytes: Buffer) => boolean {
  let writable = true;
  return (path, bytes) => {
    if (!writable) return false;
    // A name of its own: this process's random prefix, its thread, a count (random bytes for each file cost more than its write).
    const temporary = `${path}.${TEMPORARY_PREFIX}-${threadId}-${++written}.tmp`;
    try {
      writeFileSync(temporary, bytes, { flag: "wx" });
      renameSync(temporary, path);
      return true;
    } catch {
      rmSync(temporary, { force: true });
      writable = false;
      return false;
    }
  };
}

/**
 * Keeps children's records under a run's key in a pack of this thread's own (a worker's): `put`
 * says where a record will be, `flush` writes what was put and says whether all of it is there.
 */
export function recordKeeper(folder: string, key: string): { put(id: string, childKey: string, record: ChildRecord): KeptRecord | undefined; flush(): boolean } {
  const pack = new PackWriter(folder);
  return { put: (id, childKey, record) => pack.addRecord(key, id, childKey, record), flush: () => pack.flush() };
}

/** A record as written, or undefined when it cannot be written whole (it is not kept: the child is read again next run). */
function encodedEntry(key: string, childKey: string, record: ChildRecord): Buffer | undefined {
  try {
    return encodeEntry(key, childKey, record);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Packs and the index. A pack (packs/<random>-<thread>.pack) is the records one thread kept in one
// run, one after another, each as a record file was (its checksum line, the run's key and the
// child's). The index (index.json: its checksum line, then `[run key, [pack names], [[id, child's
// key, 1 if it holds a check's findings, pack, offset, length], ...]]`) lists each child's record.
// The index and the records check each other: a record is used only when its own checksum holds
// and it carries the run's key, the child's key and the `checked` the index gives.

const PACKS = "packs";
const INDEX = "index.json";
/** A pack's name: random, with the thread that writes it, so that no two writers ever share one (nor can the index name a file elsewhere). */
const PACK_NAME = /^[0-9a-f]{16}-\d+\.pack$/;
/** A pack no index lists is deleted once this old (ms): a younger one may be a run's that has not written its index yet. */
const GARBAGE_AGE_MS = 60_000;
/** What a writer gathers before it appends it to its pack: few writes, and memory bounded. */
const PACK_BUFFER_BYTES = 256 * 1024;

/** Appends records to a pack of its own, made on the first write. */
class PackWriter {
  readonly name = `${randomBytes(8).toString("hex")}-${threadId}.pack`;
  /** Bytes added, and bytes written to the file. */
  private added = 0;
  private written = 0;
  private pending: Buffer[] = [];
  private failed = false;

  constructor(private readonly folder: string) {}

  /** A child's record, kept under the run's `key`: where it will be once written (undefined: not kept). */
  addRecord(key: string, id: string, childKey: string, record: ChildRecord): KeptRecord | undefined {
    const entry = isValidChildId(id) ? encodedEntry(key, childKey, record) : undefined;
    const at = entry && this.add(entry);
    return at && { key: childKey, checked: record.checked, pack: this.name, ...at };
  }

  /** Where the bytes will be once written (undefined: the pack cannot be written to). */
  add(bytes: Buffer): { offset: number; length: number } | undefined {
    if (this.failed) return undefined;
    const at = { offset: this.added, length: bytes.length };
    this.added += bytes.length;
    this.pending.push(bytes);
    if (this.added - this.written >= PACK_BUFFER_BYTES) this.flush();
    return at;
  }

  /** Writes what was added; false when the pack cannot be written (full, read-only, replaced): what was added since is lost, and no more is kept. */
  flush(): boolean {
    if (this.failed) return false;
    if (this.pending.length === 0) return true;
    const pending = this.pending;
    this.pending = [];
    try {
      // Made new (never an existing file), never through a link, never waiting on a pipe put in
      // its place; once made, never made again (a pack deleted meanwhile is not written anew).
      const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK | (this.written === 0 ? constants.O_CREAT | constants.O_EXCL : 0);
      const descriptor = openSync(join(this.folder, PACKS, this.name), flags);
      try {
        const stat = fstatSync(descriptor);
        if (!stat.isFile() || stat.size !== this.written) throw new Error("not the pack this thread writes");
        // In one call as they are; what a short write leaves, after.
        const length = this.added - this.written;
        let done = writevSync(descriptor, pending);
        if (done < length) {
          const rest = Buffer.concat(pending).subarray(done);
          while (done < length) done += writeSync(descriptor, rest, done - (length - rest.length));
        }
      } finally {
        closeSync(descriptor);
      }
      this.written = this.added;
      return true;
    } catch {
      this.failed = true;
      return false;
    }
  }

  /** Whether a record it was given is in the file (none, once a write failed: the file may be gone). */
  holds(kept: KeptRecord): boolean {
    return !this.failed && kept.pack === this.name && kept.offset + kept.length <= this.written;
  }
}

/** The packs a run reads, each opened once (never through a link, never a pipe or device) and closed at the run's end. */
class PackReader {
  private readonly open = new Map<string, { descriptor: number; size: number } | undefined>();

  constructor(private readonly folder: string) {}

  /** A pack's size, or undefined when it is not a plain file careplan can read. */
  size(pack: string): number | undefined {
    if (!this.open.has(pack)) this.open.set(pack, openPack(join(this.folder, PACKS, pack)));
    return this.open.get(pack)?.size;
  }

  /** The bytes at `offset`, whole, or undefined. */
  read({ pack, offset, length }: KeptRecord): Buffer | undefined {
    this.size(pack);
    const file = this.open.get(pack);
    if (!file || length > MAX_RECORD_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(length);
    try {
      // A pack this run writes may have grown since it was opened.
      if (offset + length > file.size) file.size = fstatSync(file.descriptor).size;
      if (offset + length > file.size) return undefined;
      for (let done = 0; done < length; ) {
        const got = readSync(file.descriptor, bytes, done, length - done, offset + done);
        if (got === 0) return undefined;
        done += got;
      }
    } catch {
      return undefined;
    }
    return bytes;
  }

  close(): void {
    for (const file of this.open.values()) if (file) closeSync(file.descriptor);
    this.open.clear();
  }
}

function openPack(path: string): { descriptor: number; size: number } | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(descriptor);
    if (stat.isFile()) return { descriptor, size: stat.size };
  } catch {
    // not to be read
  }
  closeSync(descriptor);
  return undefined;
}

/** A run's records: the index read once, the records this run keeps, and the index written at its end. */
class RecordIndex {
  /** The index as read (or last written by this run): where each child's record is. */
  private listed: Map<string, KeptRecord> | undefined;
  private readonly kept = new Map<string, KeptRecord>();
  private readonly reader: PackReader;
  private writer: PackWriter | undefined;

  constructor(
    private readonly folder: string,
    private readonly key: string,
    private readonly clock: number,
    private readonly packLimit: number,
    private readonly write: (path: string, bytes: Buffer) => boolean,
  ) {
    this.reader = new PackReader(folder);
  }

  private index(): Map<string, KeptRecord> {
    return (this.listed ??= readIndex(join(this.folder, INDEX), this.key));
  }

  entry(id: string): CacheEntry | undefined {
    const at = this.index().get(id);
    if (at === undefined) return undefined;
    return {
      key: at.key,
      checked: at.checked,
      record: (asOf, use) => {
        const bytes = this.reader.read(at);
        const entry = bytes && decodeEntry(bytes, this.key);
        return entry?.key === at.key && entry.checked === at.checked ? entry.record(asOf, use) : undefined;
      },
    };
  }

  put(id: string, childKey: string, record: ChildRecord): void {
    const at = (this.writer ??= new PackWriter(this.folder)).addRecord(this.key, id, childKey, record);
    if (at) this.kept.set(id, at);
  }

  adopt(id: string, kept: KeptRecord): void {
    if (isValidChildId(id) && PACK_NAME.test(kept.pack)) this.kept.set(id, kept);
  }

  close(): void {
    try {
      if (this.kept.size > 0) this.writeIndex();
    } catch {
      // not kept: the children are read again next run
    } finally {
      this.kept.clear();
      this.reader.close();
    }
  }

  /** The index read with this run's records in place of theirs (gathered into fewer packs when there are many, or much of them is dead), then the packs it no longer needs deleted. */
  private writeIndex(): void {
    const entries = new Map(this.index());
    for (const [id, at] of this.kept) entries.set(id, at);
    this.kept.clear();
    // A pack that cannot be read lists nothing.
    for (const [id, at] of entries) if (at.pack !== this.writer?.name && this.reader.size(at.pack) === undefined) entries.delete(id);
    const moved = this.gathered(entries);
    const writer = this.writer;
    writer?.flush();
    for (const [id, at] of entries) {
      const gathered = moved.get(id);
      if (gathered && writer!.holds(gathered)) entries.set(id, gathered);
      else if (at.pack === writer?.name && !writer.holds(at)) entries.delete(id);
    }
    this.listed = entries;
    const index = join(this.folder, INDEX);
    // Something else in the index's place (a folder) would stop every run from writing one.
    if (lstatSync(index, { throwIfNoEntry: false })?.isDirectory()) rmSync(index, { recursive: true, force: true });
    if (this.write(index, encodeIndex(this.key, entries))) deleteGarbage(this.folder, new Set([...entries.values()].map((at) => at.pack)), this.clock);
  }

  /**
   * Records copied, byte for byte, into this run's pack so that old packs can go: those of a pack
   * less than half of which the index lists; and when the index would list more than `packLimit`
   * packs, those of every pack but the one holding most records. What is copied is in proportion to
   * what changed since, not the whole cache.
   */
  private gathered(entries: Map<string, KeptRecord>): Map<string, KeptRecord> {
    const live = new Map<string, number>();
    for (const at of entries.values()) live.set(at.pack, (live.get(at.pack) ?? 0) + at.length);
    const own = this.writer?.name;
    const others = [...live].filter(([pack]) => pack !== own).sort((a, b) => b[1] - a[1]);
    const gather = new Set(others.filter(([pack, bytes]) => bytes * 2 < (this.reader.size(pack) ?? 0)).map(([pack]) => pack));
    if (live.size > this.packLimit) {
      // Left as it is, the largest makes two packs with this run's.
      const largest = this.packLimit >= 2 ? others[0]?.[0] : undefined;
      for (const [pack] of others) if (pack !== largest) gather.add(pack);
    }
    const moved = new Map<string, KeptRecord>();
    if (gather.size === 0) return moved;
    const writer = (this.writer ??= new PackWriter(this.folder));
    for (const [id, at] of entries) {
      const bytes = gather.has(at.pack) ? this.reader.read(at) : undefined;
      const to = bytes && writer.add(bytes);
      if (to) moved.set(id, { ...at, pack: writer.name, ...to });
    }
    return moved;
  }
}

/** The index of the cache folder, when it is whole and made under this run's key; else none (every child is read again). */
function readIndex(path: string, key: string): Map<string, KeptRecord> {
  const entries = new Map<string, KeptRecord>();
  try {
    const [runKey, packs, listed] = list(readCheckedJson(path), 3);
    if (runKey !== key) return entries;
    const names = list(packs).map((name) => {
      if (!PACK_NAME.test(string(name))) throw new Error("not a pack");
      return name as string;
    });
    for (const entry of list(listed)) {
      const [id, childKey, checked, pack, offset, length] = list(entry, 6);
      if (!isValidChildId(string(id)) || count(checked) > 1 || count(pack) >= names.length || count(length) > MAX_RECORD_BYTES) throw new Error("not an entry");
      entries.set(id as string, { key: string(childKey), checked: checked === 1, pack: names[pack as number]!, offset: count(offset), length: count(length) });
    }
    return entries;
  } catch {
    return new Map();
  }
}

function encodeIndex(key: string, entries: ReadonlyMap<string, KeptRecord>): Buffer {
  const packs = new Map<string, number>();
  const listed = [...entries].map(([id, at]) => {
    if (!packs.has(at.pack)) packs.set(at.pack, packs.size);
    return [id, at.key, at.checked ? 1 : 0, packs.get(at.pack), at.offset, at.length];
  });
  return checkedJson([key, [...packs.keys()], listed]);
}

/**
 * Deletes, when older than a minute (by the file system's clock at the run's start), what the
 * packs folder holds besides the packs the index lists, and the temporary files a run that died
 * between writing a file of the cache and renaming it left in the cache folder.
 */
function deleteGarbage(folder: string, listed: ReadonlySet<string>, clock: number): void {
  const packs = join(folder, PACKS);
  for (const name of namesIn(packs)) if (!listed.has(name)) deleteIfOld(join(packs, name), clock);
  for (const name of namesIn(folder)) if (name.endsWith(".tmp")) deleteIfOld(join(folder, name), clock);
}

function namesIn(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function deleteIfOld(path: string, clock: number): void {
  try {
    if (clock - lstatSync(path).mtimeMs > GARBAGE_AGE_MS) rmSync(path, { recursive: true, force: true });
  } catch {
    // gone already, or left for the next run
  }
}

/**
 * Lists the cache folder in the git repository's own ignore list (.git/info/exclude, never
 * committed), once, when the folder is made inside a git work tree. Best effort: the folder's own
 * .gitignore keeps it out of git anyway.
 */
function excludeFromGit(folder: string): void {
  const top = gitTopLevel(dirname(folder));
  const gitDir = top && gitDirectory(top);
  const path = posix(relative(top ?? folder, folder));
  if (!gitDir || path.startsWith("../") || path === "..") return;
  try {
    mkdirSync(join(gitDir, "info"), { recursive: true });
    listInIgnoreFile(join(gitDir, "info", "exclude"), `/${path}/`);
  } catch {
    // left to the folder's own .gitignore
  }
}

/** The repository's git folder (the common one of a worktree): `.git`, or where a `.git` file points. */
function gitDirectory(top: string): string | undefined {
  const dotGit = join(top, ".git");
  const stat = lstatSync(dotGit, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return dotGit;
  const pointer = stat?.isFile() ? readKnownFile(dotGit, 4096)?.toString("utf8") : undefined;
  const gitDir = pointer && /^gitdir: (.+)$/m.exec(pointer)?.[1]?.trim();
  if (!gitDir) return undefined;
  const linked = resolve(top, gitDir);
  const common = readKnownFile(join(linked, "commondir"), 4096)?.toString("utf8").trim();
  return common ? resolve(linked, common) : linked;
}

/**
 * Adds `line` to an ignore file (made if missing) unless it lists it already: for `init`'s
 * .gitignore and .git/info/exclude. Never through a link, never more than once.
 */
export function listInIgnoreFile(file: string, line: string): "made" | "added" | "listed" {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (stat === undefined) {
    writeFileSync(file, `# careplan's cache: safe to delete, never committed.\n${line}\n`, { flag: "wx" });
    return "made";
  }
  const text = stat.isFile() ? readKnownFile(file, MAX_IGNORE_BYTES)?.toString("utf8") : undefined;
  if (text === undefined) throw new Error(`${file} is not a file careplan can read`);
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if ([line, line.replace(/^\//, ""), line.replace(/\/$/, ""), line.replace(/^\/|\/$/g, "")].some((form) => lines.includes(form))) return "listed";
  appendFileSync(file, `${text === "" || text.endsWith("\n") ? "" : "\n"}# careplan's cache: safe to delete, never committed.\n${line}\n`);
  return "added";
}

/** An ignore file longer than this is left alone. */
const MAX_IGNORE_BYTES = 1024 * 1024;

/** The line that keeps the default cache folder out of git, from the folder of careplan.yaml. */
export const CACHE_IGNORE_LINE = `/${CACHE_FOLDER}/`;

function createOnce(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** The key of everything a run's records depend on besides each child's files. */
function runKey({ config, forms, types }: CacheSettings, token: string, identity: CareplanIdentity): string {
  const versions = [...types.values()].map((type) => `${type.type}@${type.since ?? ""}`);
  return createHash("sha256")
    .update(JSON.stringify([FORMAT, identity.version, identity.code, token, config, [...forms.values()], versions]))
    .digest("base64url");
}

/** What careplan's records depend on of careplan itself: its version, and its own files (`codeIdentity`). */
export interface CareplanIdentity {
  version: string;
  code: string;
}

let identity: CareplanIdentity | undefined;

/** This careplan's identity (its files are looked at once a process). */
export function careplanIdentity(): CareplanIdentity {
  return (identity ??= { version: VERSION, code: codeIdentity(careplanFolders()) });
}

/** The folders of careplan's own files: its modules (src/ or dist/src/, presets and bank holidays among them) and its templates. */
export function careplanFolders(): string[] {
  return [dirname(dirname(fileURLToPath(import.meta.url))), TEMPLATES_DIR];
}

/**
 * The files under `folders` by path, size and time: a new version, a rebuild or an edit (of the
 * bank holidays' table, a preset, a template) makes every record stale.
 */
export function codeIdentity(folders: readonly string[]): string {
  const parts: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith(".map")) {
        const stat = statSync(path);
        parts.push(`${path}\0${stat.size}\0${stat.mtimeMs}`);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return createHash("sha256").update(parts.join("\n")).digest("base64url");
}

// ---------------------------------------------------------------------------------------------
// A record on disk: `careplan-cache <format> <CRC-32 of the rest>`, then four lines of JSON: the
// run's key and the child's key; what a check reads of the record; the timeline's items; the
// child's facts. A line is parsed when a run reads it. All in arrays, file paths relative to the
// child's folder.

/** A file's bytes after the line `careplan-cache <format> <CRC-32 of the rest>`. */
function withChecksum(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${HEADER} ${FORMAT} ${crc32(body).toString(16)}\n`), body]);
}

/** Where the text after the checksum line starts, when the checksum holds. */
function checkedStart(bytes: Buffer): number | undefined {
  const newline = bytes.indexOf(0x0a);
  return newline >= 0 && bytes.toString("latin1", 0, newline) === `${HEADER} ${FORMAT} ${crc32(bytes.subarray(newline + 1)).toString(16)}` ? newline + 1 : undefined;
}

/** A value as a file of the cache: its JSON after the checksum line. */
function checkedJson(value: unknown): Buffer {
  return withChecksum(Buffer.from(JSON.stringify(value)));
}

/** A file of the cache written by `checkedJson`, parsed; throws when it is missing, damaged or not JSON (the caller does without it). */
function readCheckedJson(path: string): unknown {
  const bytes = readCacheFile(path);
  const text = bytes && checkedText(bytes);
  if (text === undefined) throw new Error("not a file of the cache");
  return JSON.parse(text);
}

function checkedText(bytes: Buffer): string | undefined {
  const start = checkedStart(bytes);
  return start === undefined ? undefined : bytes.toString("utf8", start);
}

function encodeEntry(key: string, childKey: string, record: ChildRecord): Buffer {
  const [head, items, facts] = encodeRecord(record);
  return withChecksum(Buffer.from(`${JSON.stringify([key, childKey, record.checked ? 1 : 0])}\n${JSON.stringify(head)}\n${JSON.stringify(items)}\n${JSON.stringify(facts)}`));
}

function decodeEntry(bytes: Buffer, key: string): CacheEntry | undefined {
  const start = checkedStart(bytes);
  if (start === undefined) return undefined;
  // The keys on a line of their own: whether a record is the one wanted is known without parsing it.
  const ends = [bytes.indexOf(0x0a, start)];
  for (let i = 0; i < 2 && ends[i]! >= 0; i++) ends.push(bytes.indexOf(0x0a, ends[i]! + 1));
  const [second, third, fourth] = ends as [number, number, number];
  if (fourth === undefined || fourth < 0) return undefined;
  let keys: unknown[];
  try {
    keys = list(JSON.parse(bytes.toString("utf8", start, second)), 3);
  } catch {
    return undefined;
  }
  const [runKey, childKey, checked] = keys;
  if (runKey !== key || typeof childKey !== "string" || (checked !== 0 && checked !== 1)) return undefined;
  const line = (from: number, to?: number) => () => JSON.parse(bytes.toString("utf8", from, to)) as unknown;
  return {
    key: childKey,
    checked: checked === 1,
    record(asOf, use) {
      try {
        return decodeRecord(line(second + 1, third)(), line(third + 1, fourth), line(fourth + 1), asOf, use, checked === 1);
      } catch {
        return undefined; // not what careplan writes: read the child again
      }
    },
  };
}

/** A file of the cache folder, as careplan wrote it: a plain file of a sane size, never a link or a pipe put in its place. */
function readCacheFile(path: string): Buffer | undefined {
  return readKnownFile(path, MAX_RECORD_BYTES);
}

/** What a check reads, the timeline's items, and the facts. */
function encodeRecord(record: ChildRecord): [unknown[], unknown[], unknown[]] {
  const { folder } = record;
  const rel = (file: string) => (file === folder ? "." : file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : `//${file}`);
  const facts = record.facts;
  const factFiles = new Set(facts?.documents.map((d) => d.file));
  // Every document with facts has its date among them: `dated` keeps the others'.
  const dated = record.dated.filter((d) => !factFiles.has(d.file)).map((d) => [rel(d.file), d.date]);
  const head = [
    record.id,
    folder,
    record.files.map(rel),
    record.profileRead ? 1 : 0,
    record.findings.map((f) => [rel(f.file), f.line, f.column, f.rule, f.message, f.messageId, f.subject]),
    record.waivers.map((w) => [rel(w.file), w.rule, w.until ?? 0]),
    record.exclusions.map((x) => [rel(x.file), x.problem, x.field ?? 0, x.wholeChild ? 1 : 0]),
    record.settled ?? 0,
    // An open action keeps where it stands: a check on a settled day needs nothing else of the actions.
    record.open.map((i) => {
      const place = i.path && record.actions.get(i.file)?.[i.path[1] as number];
      return [...encodeItem(i, rel), place ? [place.line, place.column] : 0];
    }),
  ];
  const items = record.items.map((i) => encodeItem(i, rel));
  const later = [
    dated,
    [...record.actions].map(([file, places]) => [rel(file), places.map((p) => [p.line, p.column])]),
    facts === undefined
      ? 0
      : [
          rel(facts.file),
          facts.dob,
          facts.lookedAfterSince,
          facts.legalStatus ?? 0,
          facts.leftCare ?? 0,
          facts.placements.map((p) => [p.start, p.end ?? 0, p.permanent ? 1 : 0, p.emergency ? 1 : 0]),
          facts.documents.map((d) => [rel(d.file), d.type, d.date, d.data]),
        ],
  ];
  return [head, items, later];
}

function encodeItem(i: TimelineItem, rel: (file: string) => string): unknown[] {
  return [i.rule, i.title, i.due, i.met ?? 0, rel(i.file), i.preset, i.reason, i.anchor, i.path ?? 0];
}

/** The record again, every part of it checked for its form: anything else throws (and the child is read again). */
function decodeRecord(value: unknown, itemsLine: () => unknown, factsLine: () => unknown, asOf: IsoDate, use: RecordUse, checked: boolean): ChildRecord {
  const [id, folder, files, profileRead, findings, waivers, exclusions, settled, open] = list(value, 9);
  const at = (file: unknown) => {
    const text = string(file);
    return text === "." ? string(folder) : text.startsWith("//") ? text.slice(2) : `${string(folder)}/${text}`;
  };
  const record: Omit<ChildRecord, "facts" | "dated" | "actions" | "items"> & { items: TimelineItem[] } = {
    id: string(id),
    checked,
    folder: string(folder),
    files: list(files).map(at),
    profileRead: count(profileRead) === 1,
    findings: list(findings).map((f): RecordFinding => {
      const [file, line, column, rule, message, messageId, subject] = list(f, 7);
      return { file: at(file), line: count(line), column: count(column), rule: string(rule), message: string(message), messageId: string(messageId), subject: string(subject) };
    }),
    waivers: list(waivers).map((w): Waiver => {
      const [file, rule, until] = list(w, 3);
      return { file: at(file), rule: string(rule), until: until === 0 ? undefined : isoDate(until) };
    }),
    exclusions: list(exclusions).map((x): Exclusion => {
      const [file, problem, field, whole] = list(x, 4);
      const kind = string(problem);
      if (kind !== "no-profile" && kind !== "unreadable" && kind !== "field") throw new Error("not an exclusion");
      return { file: at(file), problem: kind, field: field === 0 ? undefined : string(field), wholeChild: count(whole) === 1 };
    }),
    settled: settled === 0 ? undefined : isoDate(settled),
    open: [],
    items: [],
  };
  // The open actions' places, until the facts are read (with every action's place).
  const openActions = new Map<string, Position[]>();
  record.open = decodeOpen(list(open), record.id, at, openActions);
  // The facts are parsed (and checked) the first time they are asked for: a check on a settled day needs none.
  let parsed: { dated: ChildRecord["dated"]; facts: ChildFacts | undefined; actions: Map<string, Position[]> } | undefined;
  const facts = () => {
    if (!parsed) {
      const [dated, actions, childFacts] = list(factsLine(), 3);
      const decoded = childFacts === 0 ? undefined : decodeFacts(list(childFacts, 7), record.id, at);
      const extra = list(dated).map((d) => {
        const [file, date] = list(d, 2);
        return { file: at(file), date: isoDate(date) };
      });
      const places = new Map(
        list(actions).map((a) => {
          const [file, positions] = list(a, 2);
          return [at(file), list(positions).map((p) => position(p))];
        }),
      );
      parsed = { facts: decoded, dated: [...(decoded?.documents ?? []).map(({ file, date }) => ({ file, date })), ...extra], actions: places };
    }
    return parsed;
  };
  let items: TimelineItem[] | undefined;
  const allItems = () => (items ??= decodeItems(list(itemsLine()), record.id, at));
  const settledDay = record.settled !== undefined && asOf >= record.settled;
  if (!settledDay) facts();
  else if (use === "timeline") allItems();
  return Object.defineProperties(record, {
    items: { get: allItems, enumerable: true },
    facts: { get: () => facts().facts, enumerable: true },
    dated: { get: () => facts().dated, enumerable: true },
    actions: { get: () => (parsed ? parsed.actions : openActions), enumerable: true },
  }) as ChildRecord;
}

function decodeOpen(items: unknown[], child: string, at: (file: unknown) => string, actions: Map<string, Position[]>): TimelineItem[] {
  return items.map((value): TimelineItem => {
    const fields = list(value, 10);
    const item = decodeItem(fields.slice(0, 9), child, at);
    const place = fields[9];
    if (place !== 0 && item.path) {
      const places = actions.get(item.file) ?? [];
      places[item.path[1] as number] = position(place);
      actions.set(item.file, places);
    }
    return item;
  });
}

function decodeItems(items: unknown[], child: string, at: (file: unknown) => string): TimelineItem[] {
  return items.map((value) => decodeItem(list(value, 9), child, at));
}

function decodeItem([rule, title, due, met, file, preset, reason, anchor, path]: unknown[], child: string, at: (file: unknown) => string): TimelineItem {
  return {
    child,
    rule: string(rule),
    title: string(title),
    due: isoDate(due),
    status: "upcoming",
    met: met === 0 ? null : isoDate(met),
    file: at(file),
    preset: string(preset),
    reason: string(reason),
    anchor: isoDate(anchor),
    ...(path === 0 ? {} : { path: list(path, 2).map((step) => (typeof step === "number" ? count(step) : string(step))) }),
  };
}

function decodeFacts([file, dob, lookedAfterSince, legalStatus, leftCare, placements, documents]: unknown[], id: string, at: (file: unknown) => string): ChildFacts {
  return {
    id,
    file: at(file),
    dob: isoDate(dob),
    lookedAfterSince: isoDate(lookedAfterSince),
    ...(legalStatus === 0 ? {} : { legalStatus: string(legalStatus) }),
    leftCare: leftCare === 0 ? undefined : isoDate(leftCare),
    placements: list(placements).map((p): PlacementFact => {
      const [start, end, permanent, emergency] = list(p, 4);
      return { start: isoDate(start), end: end === 0 ? undefined : isoDate(end), permanent: count(permanent) === 1, emergency: count(emergency) === 1 };
    }),
    documents: list(documents).map((d): DocumentFact => {
      const [path, type, date, data] = list(d, 4);
      return { type: string(type), date: isoDate(date), file: at(path), data: factData(data) };
    }),
  };
}

function encodeResults(results: ReadonlyMap<string, KeptFindings>): unknown[] {
  return [...results].map(([id, { key, findings: child }]) => {
    const rel = (file: string) => (file === child.folder ? "." : file.startsWith(`${child.folder}/`) ? file.slice(child.folder.length + 1) : `//${file}`);
    const findings = child.findings.map((f) => [rel(f.file), f.line, f.column, f.rule, f.severity === "error" ? 1 : 0, f.message, f.messageId, f.subject, f.waived ? 1 : 0]);
    return [id, key, child.folder, child.files.map(rel), findings];
  });
}

function decodeResults(children: unknown[]): Map<string, KeptFindings> {
  return new Map(
    children.map((entry) => {
      const [id, key, folder, files, findings] = list(entry, 5);
      const at = (file: unknown) => {
        const text = string(file);
        return text === "." ? string(folder) : text.startsWith("//") ? text.slice(2) : `${string(folder)}/${text}`;
      };
      const decoded = list(findings).map((f) => {
        const [file, line, column, rule, severity, message, messageId, subject, waived] = list(f, 9);
        return { file: at(file), line: count(line), column: count(column), rule: string(rule), severity: count(severity) === 1 ? ("error" as const) : ("warning" as const), message: string(message), messageId: string(messageId), subject: string(subject), waived: count(waived) === 1 };
      });
      return [string(id), { key: string(key), findings: { id: string(id), folder: string(folder), files: list(files).map(at), findings: decoded } }];
    }),
  );
}

/** A document's facts: dates, true/false, codes, the value that equals nothing ({}), and actions' dates. */
function factData(value: unknown): Record<string, unknown> {
  const data = object(value);
  for (const field in data) {
    if (field !== "actions") scalar(data[field]);
    else for (const action of list(data[field])) for (const key in object(action)) scalar((action as Record<string, unknown>)[key]);
  }
  return data;
}

function scalar(value: unknown): void {
  // A number is kept when a rule's `where` tests one (an own form's integer field).
  if (typeof value === "string" || typeof value === "boolean" || value === null || (typeof value === "number" && Number.isFinite(value))) return;
  if (typeof value === "object" && Object.keys(value).length === 0 && !Array.isArray(value)) return;
  throw new Error("not a fact");
}

function position(value: unknown): Position {
  const [line, column] = list(value, 2);
  return { line: count(line), column: count(column) };
}

function list(value: unknown, length?: number): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) throw new Error("not a list");
  return value;
}

function object(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
  return value as Record<string, unknown>;
}

function string(value: unknown): string {
  if (typeof value !== "string") throw new Error("not a string");
  return value;
}

function count(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new Error("not a count");
  return value as number;
}

function isoDate(value: unknown): IsoDate {
  if (!isIsoDate(value)) throw new Error("not a date");
  return value;
}
