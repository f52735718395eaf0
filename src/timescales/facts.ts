// The facts the timescale engine reads from a child's case, as known on the as-of date.
// A document whose fields the rules read are missing or invalid is left out whole and named.
import type { ChildCase } from "../casefile/repository.js";
import type { CaseDocument } from "../casefile/document.js";
import { errorPath, type DocumentType } from "../doctypes.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { withVariants, type RuleInForce } from "./rule.js";

export interface DocumentFact {
  type: string;
  date: IsoDate;
  file: string;
  data: Record<string, unknown>;
}

export interface PlacementFact {
  start: IsoDate;
  /** The last day there, when known on the as-of date. */
  end: IsoDate | undefined;
  permanent: boolean;
  /** A move made without notice (left out: false). */
  emergency?: boolean;
}

export interface ChildFacts {
  id: string;
  /** The profile's path: what deadlines counted from the profile's facts point at. */
  file: string;
  dob: IsoDate;
  lookedAfterSince: IsoDate;
  /** Read (and then valid) when a rule in force depends on it. */
  legalStatus?: string;
  /** Known on the as-of date only. */
  leftCare: IsoDate | undefined;
  /** Begun on or before the as-of date, in order of start. */
  placements: PlacementFact[];
  /** Dated on or before the as-of date, in order of date then file. */
  documents: DocumentFact[];
}

export interface Exclusion {
  file: string;
  problem: "no-profile" | "unreadable" | "field";
  /** Dotted key of the field at fault, when there is one. */
  field: string | undefined;
  /** When the profile is at fault, the whole child is left out. */
  wholeChild: boolean;
}

/** A field path the engine reads; `*` stands for any list item. */
type ReadPath = readonly string[];

/** What the engine reads of every document. */
const DOCUMENT_READS: ReadPath[] = [["type"], ["date"]];
const PROFILE_TYPE = "child";
const PROFILE_READS: ReadPath[] = [["dob"], ["looked_after_since"], ["left_care"], ["placements", "*", "start"], ["placements", "*", "end"], ["placements", "*", "permanent"]];
const ACTION_READS: ReadPath[] = [["actions", "*", "action"], ["actions", "*", "when"], ["actions", "*", "done"]];

/** Which fields of each document type the rules in force read; the profile's under `child`. */
export function fieldsRead(rules: readonly RuleInForce[]): Map<string, ReadPath[]> {
  const reads = new Map<string, ReadPath[]>();
  const profile = new Map(PROFILE_READS.map((path) => [path.join("."), path]));
  const readProfile = (...path: string[]) => profile.set(path.join("."), path);
  const add = (type: string, ...paths: ReadPath[]) => reads.set(type, [...(reads.get(type) ?? DOCUMENT_READS), ...paths]);
  const whereFields = (where: Record<string, unknown> | undefined): ReadPath[] => Object.keys(where ?? {}).map((key) => [key]);
  for (const rule of withVariants(rules)) {
    if (rule.kind === "actions") for (const type of rule.types) add(type, ...ACTION_READS);
    if (rule.kind === "recurrence") add(rule.type, ...whereFields(rule.where));
    if (rule.kind === "deadline" || rule.kind === "age") {
      const { type, where, match, field } = rule.met_by;
      if (type) add(type, ...whereFields(where), ...(match ? [[match]] : []));
      if (field && rule.kind === "deadline" && typeof rule.from === "object" && "document" in rule.from) add(rule.from.document, [field]);
    }
    // `legal_status` is not among them: rules only ask whether it is one of the statuses they name,
    // and a missing or misspelt status is none of them. Leaving the child out for it (as for a bad
    // date) would hide every deadline over a typo the first release read past; check reports it.
    // A placement's marks are read only when a rule in force tests them.
    if (rule.kind === "deadline" && typeof rule.from === "object" && "placement" in rule.from) {
      for (const mark of Object.keys(rule.from.where ?? {})) readProfile("placements", "*", mark);
    }
  }
  reads.set(PROFILE_TYPE, [...profile.values()]);
  return reads;
}

export type FactsResult = { facts: ChildFacts | undefined; exclusions: Exclusion[] };

export function childFacts(child: ChildCase, types: ReadonlyMap<string, DocumentType>, reads: ReadonlyMap<string, ReadPath[]>, asOf: IsoDate): FactsResult {
  const profile = child.profile;
  const profileFile = `${child.folder}/child.md`;
  if (!profile) return { facts: undefined, exclusions: [{ file: profileFile, problem: "no-profile", field: undefined, wholeChild: true }] };
  const profileFault = faultyField(profile, types.get(PROFILE_TYPE), reads.get(PROFILE_TYPE) ?? PROFILE_READS, ["dob", "looked_after_since"]);
  if (profileFault !== false) return { facts: undefined, exclusions: [exclusion(profile.file, profileFault, true)] };
  const data = profile.data!;
  const exclusions: Exclusion[] = [];
  const documents: DocumentFact[] = [];
  for (const document of child.documents) {
    const type = document.data?.type;
    const documentType = typeof type === "string" ? types.get(type) : undefined;
    const fault = !document.data ? undefined : documentType ? faultyField(document, documentType, reads.get(documentType.type) ?? DOCUMENT_READS, ["date"]) : "type";
    if (fault !== false) {
      exclusions.push(exclusion(document.file, fault, false));
      continue;
    }
    const date = document.data!.date as IsoDate;
    if (date <= asOf) documents.push({ type: type as string, date, file: document.file, data: document.data! });
  }
  documents.sort((a, b) => (a.date === b.date ? (a.file < b.file ? -1 : 1) : a.date < b.date ? -1 : 1));
  const placements = ((data.placements as Record<string, unknown>[] | undefined) ?? [])
    .map((p) => ({ start: p.start as IsoDate, end: isIsoDate(p.end) && p.end <= asOf ? p.end : undefined, permanent: p.permanent === true, emergency: p.emergency === true }))
    .filter((p) => p.start <= asOf)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const leftCare = isIsoDate(data.left_care) && data.left_care <= asOf ? data.left_care : undefined;
  return {
    facts: {
      id: child.id,
      file: profile.file,
      dob: data.dob as IsoDate,
      lookedAfterSince: data.looked_after_since as IsoDate,
      ...(typeof data.legal_status === "string" ? { legalStatus: data.legal_status } : {}),
      leftCare,
      placements,
      documents,
    },
    exclusions,
  };
}

function exclusion(file: string, field: string | undefined, wholeChild: boolean): Exclusion {
  return { file, problem: field === undefined ? "unreadable" : "field", field, wholeChild };
}

/**
 * The first field the engine reads that is missing or invalid (a dotted key, or undefined when
 * the front matter itself cannot be read), or false when the document can be used.
 */
function faultyField(document: CaseDocument, type: DocumentType | undefined, reads: ReadPath[], required: string[]): string | undefined | false {
  if (!document.data || !type) return undefined;
  for (const key of required) if (document.data[key] === undefined) return key;
  const errors = type.validate(document.data);
  for (const error of errors) {
    const path = errorPath(error).map(String);
    if (reads.some((read) => overlaps(read, path))) return path.join(".");
  }
  return false;
}

/** One path leads to the other: an error on `actions` affects `actions.*.when`, and the reverse. */
function overlaps(read: ReadPath, path: readonly string[]): boolean {
  const length = Math.min(read.length, path.length);
  for (let i = 0; i < length; i++) {
    if (read[i] !== "*" && read[i] !== path[i]) return false;
    if (read[i] === "*" && !/^\d+$/.test(path[i]!)) return false;
  }
  return true;
}
