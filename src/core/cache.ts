// The cache: each child's record (core/record.ts) kept between runs under a key of its files, so
// that a run reads and parses only the children whose files changed. It lives in a folder of the
// repository that ignores itself in git (.careplan-cache/ holds a .gitignore of `*`), and holds
// no free text: findings in careplan's words, dates, true/false and codes, file paths.
//
// Never trusted: each record carries a checksum and the key of everything it was made with (this
// careplan's code, careplan.yaml, the forms, the versions of the forms in force); anything else is
// read again and written anew. The key also holds the identity of the cache folder's token file
// (device, inode, change time), which no copy or archive can carry: a cache planted in a
// repository, or copied with it, is never used. Records are written whole (a temporary file
// renamed), so two runs at once never leave one torn.
import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TEMPLATES_DIR, VERSION } from "../assets.js";
import type { Repository } from "../casefile/repository.js";
import type { Form } from "../templates/forms.js";
import type { DocumentType } from "../doctypes.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { isValidChildId } from "../common/ids.js";
import { readRegularFile } from "../common/read-file.js";
import type { ChildFacts, DocumentFact, Exclusion, PlacementFact } from "../timescales/facts.js";
import type { ChildRecord, RecordFinding, Waiver } from "./record.js";

/** Where the cache is unless --cache-location says otherwise: in the repository, beside careplan.yaml. */
export const CACHE_FOLDER = ".careplan-cache";
/** Bumped whenever a record's form or meaning changes. */
const FORMAT = 1;
const HEADER = "careplan-cache";
/** A record larger than this is not one careplan wrote. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface CaseCache {
  readonly folder: string;
  /** The file system's time when the run began (ms): files changed since a moment before it are not keyed. */
  readonly clock: number;
  /** The child's record, if the cache holds one made from files with this key by this run's settings. */
  get(id: string, key: string): ChildRecord | undefined;
  put(id: string, key: string, record: ChildRecord): void;
}

/** What every record of a run depends on besides its own files. */
export interface CacheSettings {
  config: Repository["config"];
  forms: ReadonlyMap<string, Form>;
  /** The types in force on the as-of date (the version of each form). */
  types: ReadonlyMap<string, DocumentType>;
}

/**
 * Opens (making it if need be) the cache folder: `location` when given, else .careplan-cache in
 * the repository. Undefined when there can be none (a read-only checkout, something else in its
 * place): the run goes on without, and says so only for a location the user named.
 */
export function openCache(repository: Repository, location: string | undefined, settings: CacheSettings, warn: (line: string) => void): CaseCache | undefined {
  const folder = location ?? join(repository.root, CACHE_FOLDER);
  let token: string;
  let clock: number;
  try {
    // The default folder is the repository's: a link there (a planted one) is not followed.
    const existing = lstatSync(folder, { throwIfNoEntry: false });
    if (existing && !(existing.isDirectory() || (location !== undefined && statSync(folder).isDirectory()))) throw new Error("not a folder");
    if (!existing) mkdirSync(folder, { recursive: location !== undefined });
    createOnce(join(folder, ".gitignore"), "# careplan's cache: safe to delete, never committed.\n*\n");
    createOnce(join(folder, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# careplan's cache (https://bford.info/cachedir/)\n");
    createOnce(join(folder, "token"), randomBytes(16).toString("hex") + "\n");
    const stat = lstatSync(join(folder, "token"));
    if (!stat.isFile()) throw new Error("token is not a file");
    token = `${stat.dev}.${stat.ino}.${stat.ctimeMs}`;
    // The file system's clock, as file times are: written now, its time is now.
    writeFileSync(join(folder, "clock"), "");
    clock = statSync(join(folder, "clock")).mtimeMs;
    mkdirSync(join(folder, "children"), { recursive: true });
    if (!lstatSync(join(folder, "children")).isDirectory()) throw new Error("children is not a folder");
  } catch {
    if (location !== undefined) warn(`warning: --cache-location ${location}: not a folder careplan can write to; the run goes on without a cache.`);
    return undefined;
  }
  const key = runKey(settings, token);
  let writable = true;
  const pathOf = (id: string) => join(folder, "children", `${id}.json`);
  return {
    folder,
    clock,
    get(id, childKey) {
      if (!isValidChildId(id)) return undefined;
      const read = readRegularFile(pathOf(id), MAX_RECORD_BYTES);
      if (!read.ok) return undefined;
      return decodeEntry(read.bytes.toString("utf8"), key, childKey);
    },
    put(id, childKey, record) {
      if (!writable || !isValidChildId(id)) return;
      const path = pathOf(id);
      const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        writeFileSync(temporary, encodeEntry(key, childKey, record), { flag: "wx" });
        renameSync(temporary, path);
      } catch {
        rmSync(temporary, { force: true });
        writable = false; // full or read-only: this run reads what there is and writes no more
      }
    },
  };
}

function createOnce(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** The key of everything a run's records depend on besides each child's files. */
function runKey({ config, forms, types }: CacheSettings, token: string): string {
  const versions = [...types.values()].map((type) => `${type.type}@${type.since ?? ""}`);
  return createHash("sha256")
    .update(JSON.stringify([FORMAT, VERSION, codeIdentity(), token, config, [...forms.values()], versions]))
    .digest("base64url");
}

let code: string | undefined;

/**
 * This careplan's own files (its code, presets, bank holidays and built-in templates) by size and
 * time: a new version, a rebuild or an edit makes every record stale.
 */
function codeIdentity(): string {
  if (code !== undefined) return code;
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
  // The folder of careplan's modules (src/ or dist/src/), and its templates.
  walk(dirname(dirname(fileURLToPath(import.meta.url))));
  walk(TEMPLATES_DIR);
  return (code = createHash("sha256").update(parts.join("\n")).digest("base64url"));
}

// ---------------------------------------------------------------------------------------------
// A record on disk: `careplan-cache <format> <sha256 of the rest>`, then one line of JSON holding
// the run's key, the child's key and the record, in arrays (file paths relative to the child's folder).

function encodeEntry(key: string, childKey: string, record: ChildRecord): string {
  const body = JSON.stringify({ key, child: childKey, record: encodeRecord(record) });
  return `${HEADER} ${FORMAT} ${sha256(body)}\n${body}`;
}

function decodeEntry(text: string, key: string, childKey: string): ChildRecord | undefined {
  const newline = text.indexOf("\n");
  if (newline < 0 || text.slice(0, newline) !== `${HEADER} ${FORMAT} ${sha256(text.slice(newline + 1))}`) return undefined;
  try {
    const entry = JSON.parse(text.slice(newline + 1)) as { key?: unknown; child?: unknown; record?: unknown };
    if (entry.key !== key || entry.child !== childKey) return undefined;
    return decodeRecord(entry.record);
  } catch {
    return undefined; // not what careplan writes: read the child again
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

type Encoded = unknown[];

function encodeRecord(record: ChildRecord): Encoded {
  const { folder } = record;
  const rel = (file: string) => (file === folder ? "." : file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : `//${file}`);
  const facts = record.facts;
  return [
    record.id,
    folder,
    record.files,
    record.profileRead ? 1 : 0,
    record.findings.map((f) => [rel(f.file), f.line, f.column, f.rule, f.message, f.messageId, f.subject]),
    record.dated.map((d) => [rel(d.file), d.date]),
    record.waivers.map((w) => [rel(w.file), w.rule, w.until ?? 0]),
    record.exclusions.map((x) => [rel(x.file), x.problem, x.field ?? 0, x.wholeChild ? 1 : 0]),
    facts === undefined
      ? 0
      : [
          rel(facts.file),
          facts.dob,
          facts.lookedAfterSince,
          facts.legalStatus ?? 0,
          facts.leftCare ?? 0,
          facts.placements.map((p) => [p.start, p.end ?? 0, p.permanent ? 1 : 0, p.emergency ? 1 : 0]),
          facts.documents.map((d) => [d.type, d.date, rel(d.file), d.data]),
        ],
  ];
}

/** The record again, every part of it checked for its form: anything else throws (and the child is read again). */
function decodeRecord(value: unknown): ChildRecord {
  const [id, folder, files, profileRead, findings, dated, waivers, exclusions, facts] = list(value, 9);
  const at = (file: unknown) => {
    const text = string(file);
    return text === "." ? string(folder) : text.startsWith("//") ? text.slice(2) : `${string(folder)}/${text}`;
  };
  return {
    id: string(id),
    folder: string(folder),
    files: count(files),
    profileRead: count(profileRead) === 1,
    findings: list(findings).map((f): RecordFinding => {
      const [file, line, column, rule, message, messageId, subject] = list(f, 7);
      return { file: at(file), line: count(line), column: count(column), rule: string(rule), message: string(message), messageId: string(messageId), subject: string(subject) };
    }),
    dated: list(dated).map((d) => {
      const [file, date] = list(d, 2);
      return { file: at(file), date: isoDate(date) };
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
    facts: facts === 0 ? undefined : decodeFacts(list(facts, 7), string(id), at),
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
      const [type, date, path, data] = list(d, 4);
      return { type: string(type), date: isoDate(date), file: at(path), data: factData(data) };
    }),
  };
}

/** A document's facts: dates, true/false, codes, the value that equals nothing ({}), and actions' dates. */
function factData(value: unknown): Record<string, unknown> {
  const data = object(value);
  for (const [field, item] of Object.entries(data)) {
    if (field === "actions") {
      for (const action of list(item)) for (const date of Object.values(object(action))) scalar(date);
    } else scalar(item);
  }
  return data;
}

function scalar(value: unknown): void {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return;
  if (typeof value === "object" && Object.keys(value).length === 0 && !Array.isArray(value)) return;
  throw new Error("not a fact");
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
