// The facts the timescale engine reads from a child's case, as known on the as-of date.
// A document whose fields the rules read are missing or invalid is left out whole and named.
import type { ChildCase } from "../casefile/repository.js";
import type { CaseDocument } from "../casefile/document.js";
import { errorPath, type DocumentType } from "../doctypes.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { testedValues, withVariants, type ChildCondition, type RuleInForce } from "./rule.js";

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
  testedOf.set(reads, testedValuesOf(rules));
  return reads;
}

/** Every value a `where` of the rules compares a field with, and every legal status a rule's conditions name. */
function testedValuesOf(rules: readonly RuleInForce[]): TestedValues {
  const byField = new Map<string, Set<unknown>>();
  const legalStatuses = new Set<string>();
  const where = (tests: Record<string, unknown> | undefined) => {
    for (const [field, expected] of Object.entries(tests ?? {})) {
      const values = byField.get(field) ?? new Set<unknown>();
      values.add(typeof expected === "object" && expected !== null && "not" in expected ? (expected as { not: unknown }).not : expected);
      byField.set(field, values);
    }
  };
  const condition = (tested: ChildCondition | undefined) => {
    if (tested?.legal_status !== undefined) for (const value of testedValues(tested.legal_status).values) legalStatuses.add(value);
  };
  for (const rule of withVariants(rules)) {
    if (rule.kind === "recurrence") where(rule.where);
    if (rule.kind === "deadline" || rule.kind === "age") where(rule.met_by.where);
    condition(rule.applies_to);
    condition(rule.regime?.applies_to);
    for (const given of rule.given_way_for ?? []) condition(given);
  }
  return { byField, legalStatuses };
}

export type FactsResult = { facts: ChildFacts | undefined; exclusions: Exclusion[] };

/** The child's facts on the as-of date: what is dated after it has not happened yet. */
export function childFacts(child: ChildCase, types: ReadonlyMap<string, DocumentType>, reads: ReadonlyMap<string, ReadPath[]>, asOf: IsoDate): FactsResult {
  const { facts, exclusions } = caseFacts(child, types, reads);
  return { facts: facts && factsOn(facts, asOf), exclusions };
}

/**
 * The child's facts whatever the as-of date (every document, placement and date, however late),
 * which `factsOn` narrows to a day. Each document keeps only the fields the rules read, each value
 * only as far as a rule can tell it apart (`reducedValue`): dates, true/false, and the codes the
 * rules test for. No text of the document: an action's (its title) is read from the document by
 * the views that show it. `whole`: each document's whole front matter is validated (a check
 * validates it for its schema rule anyway); else only the fields the rules read.
 */
export function caseFacts(child: ChildCase, types: ReadonlyMap<string, DocumentType>, reads: ReadonlyMap<string, ReadPath[]>, whole = true): FactsResult {
  const profile = child.profile;
  const profileFile = `${child.folder}/child.md`;
  if (!profile) return { facts: undefined, exclusions: [{ file: profileFile, problem: "no-profile", field: undefined, wholeChild: true }] };
  const profileFault = faultyField(profile, types.get(PROFILE_TYPE), reads.get(PROFILE_TYPE) ?? PROFILE_READS, ["dob", "looked_after_since"], whole);
  if (profileFault !== false) return { facts: undefined, exclusions: [exclusion(profile.file, profileFault, true)] };
  const data = profile.data!;
  const exclusions: Exclusion[] = [];
  const documents: DocumentFact[] = [];
  const tested = testedFieldValues(reads);
  for (const document of child.documents) {
    const type = document.data?.type;
    const documentType = typeof type === "string" ? types.get(type) : undefined;
    const fault = !document.data ? undefined : documentType ? faultyField(document, documentType, reads.get(documentType.type) ?? DOCUMENT_READS, ["date"], whole) : "type";
    if (fault !== false) {
      exclusions.push(exclusion(document.file, fault, false));
      continue;
    }
    const date = document.data!.date as IsoDate;
    documents.push({ type: type as string, date, file: document.file, data: readData(document.data!, reads.get(type as string) ?? DOCUMENT_READS, tested) });
  }
  documents.sort((a, b) => (a.date === b.date ? (a.file < b.file ? -1 : 1) : a.date < b.date ? -1 : 1));
  const placements = ((data.placements as Record<string, unknown>[] | undefined) ?? [])
    .map((p) => ({ start: p.start as IsoDate, end: isIsoDate(p.end) ? p.end : undefined, permanent: p.permanent === true, emergency: p.emergency === true }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const legalStatus = typeof data.legal_status === "string" && tested.legalStatuses.has(data.legal_status) ? data.legal_status : undefined;
  return {
    facts: {
      id: child.id,
      file: profile.file,
      dob: data.dob as IsoDate,
      lookedAfterSince: data.looked_after_since as IsoDate,
      ...(legalStatus === undefined ? {} : { legalStatus }),
      leftCare: isIsoDate(data.left_care) ? data.left_care : undefined,
      placements,
      documents,
    },
    exclusions,
  };
}

/** The facts known on the as-of date: later documents, placement starts and ends, and leaving care have not happened yet. */
export function factsOn(facts: ChildFacts, asOf: IsoDate): ChildFacts {
  return {
    ...facts,
    leftCare: facts.leftCare !== undefined && facts.leftCare <= asOf ? facts.leftCare : undefined,
    placements: facts.placements.filter((p) => p.start <= asOf).map((p) => ({ ...p, end: p.end !== undefined && p.end <= asOf ? p.end : undefined })),
    documents: facts.documents.filter((d) => d.date <= asOf),
  };
}

/** A value a rule tests for but that is none of those it names: it equals nothing. */
export const OTHER_VALUE: Readonly<Record<string, never>> = Object.freeze({});

/** The values each read field is tested for (`where`), and the legal statuses the profile's schema or a rule names. */
interface TestedValues {
  byField: ReadonlyMap<string, ReadonlySet<unknown>>;
  legalStatuses: ReadonlySet<string>;
}

const testedOf = new WeakMap<ReadonlyMap<string, ReadPath[]>, TestedValues>();

function testedFieldValues(reads: ReadonlyMap<string, ReadPath[]>): TestedValues {
  return testedOf.get(reads) ?? { byField: new Map(), legalStatuses: new Set() };
}

/**
 * The fields a document type's rules read, each value reduced to what the rules can tell apart:
 * a date, true or false, a number, or a code a rule tests for; any other text becomes
 * OTHER_VALUE, which equals nothing (as the text equals none of the codes). An action keeps
 * `when` and `done`.
 */
function readData(data: Record<string, unknown>, paths: readonly ReadPath[], tested: TestedValues): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [field] of paths) {
    // The type and date are the fact's own.
    if (field === undefined || field === "type" || field === "date" || Object.hasOwn(kept, field) || data[field] === undefined) continue;
    const value = data[field];
    if (field === "actions" && Array.isArray(value)) {
      // An action's text is its title: the timeline reads it from the document when it shows it.
      kept.actions = value.map((action: Record<string, unknown>) => ({ when: reducedValue(action.when), ...(action.done === undefined ? {} : { done: reducedValue(action.done) }) }));
    } else {
      kept[field] = reducedValue(value, tested.byField.get(field));
    }
  }
  return kept;
}

export function reducedValue(value: unknown, tested?: ReadonlySet<unknown>): unknown {
  return typeof value === "boolean" || isIsoDate(value) || tested?.has(value) ? value : OTHER_VALUE;
}

function exclusion(file: string, field: string | undefined, wholeChild: boolean): Exclusion {
  return { file, problem: field === undefined ? "unreadable" : "field", field, wholeChild };
}

/**
 * The first field the engine reads that is missing or invalid (a dotted key, or undefined when
 * the front matter itself cannot be read), or false when the document can be used.
 */
function faultyField(document: CaseDocument, type: DocumentType | undefined, reads: ReadPath[], required: string[], whole: boolean): string | undefined | false {
  if (!document.data || !type) return undefined;
  for (const key of required) if (document.data[key] === undefined) return key;
  const fields = whole ? undefined : fieldsOf(reads);
  const errors = fields ? type.validateFields(document.data, fields) : type.validate(document.data);
  for (const error of errors) {
    const path = errorPath(error).map(String);
    if (reads.some((read) => overlaps(read, path))) return path.join(".");
  }
  return false;
}

const readFields = new WeakMap<ReadPath[], string[]>();

/** The fields the paths lie in (for a path into every field, none: the whole front matter is validated). */
function fieldsOf(reads: ReadPath[]): string[] | undefined {
  if (reads.some((read) => read.length === 0 || read[0] === "*")) return undefined;
  let fields = readFields.get(reads);
  if (!fields) readFields.set(reads, (fields = [...new Set(reads.map((read) => read[0]!))]));
  return fields;
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
