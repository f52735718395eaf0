// A child's case as a record: every finding that holds whatever the as-of date, and the facts the
// rest is made from on any day (documents' dates, the timeline's facts, waivers). A record is what
// the cache keeps for a child whose files have not changed, and it never holds a document's free
// text: findings' messages are careplan's own words, facts are dates, true/false and codes.
import type { CaseDocument } from "../casefile/document.js";
import type { ChildCase } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { documentsOf } from "../rules/file-rules.js";
import { CHECK_RULES } from "../rules/registry.js";
import { TOP, type Locate } from "../rules/rule.js";
import { caseFacts, type ChildFacts, type Exclusion, type fieldsRead } from "../timescales/facts.js";

/** A finding whatever the as-of date, before careplan.yaml gives it a severity. */
export interface RecordFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  messageId: string;
  subject: string;
}

/** A waiver that can waive something: it has a reason, names a rule careplan knows, and its `until` (if any) is a date. */
export interface Waiver {
  file: string;
  rule: string;
  until: IsoDate | undefined;
}

export interface ChildRecord {
  id: string;
  /** Posix path of the child's folder from the repository's root. */
  folder: string;
  /** How many files a check of the whole child counts. */
  files: number;
  findings: RecordFinding[];
  /** The documents with a real `date` (the profile and stray files aside). */
  dated: { file: string; date: IsoDate }[];
  waivers: Waiver[];
  /** What the timeline is made from, whatever the as-of date; undefined when the child is left out. */
  facts: ChildFacts | undefined;
  exclusions: Exclusion[];
  /** The profile was read and its front matter parsed (the timeline's --worker and --team look in it). */
  profileRead: boolean;
}

/** What records are made with, once a run. */
export interface RecordContext {
  types: ReadonlyMap<string, DocumentType>;
  /** The as-of date: it picks the version of the profile's form (the only date a record depends on). */
  asOf: IsoDate;
  reads: ReturnType<typeof fieldsRead>;
  /** Every rule id a finding can carry: a waiver naming another waives nothing, and is not kept. */
  ruleIds: ReadonlySet<string>;
}

/** A child's record, and its documents (in memory while they are, else read again when asked for). */
export interface CaseUnit {
  record: ChildRecord;
  /** A document of the child by its path (posix, from the repository's root). */
  document(file: string): CaseDocument | undefined;
}

/** Where a field of one of the unit's documents stands (line 1 when the document or field is not there). */
export function locateIn(unit: CaseUnit): Locate {
  return (file, path) => unit.document(file)?.locate(path) ?? TOP;
}

export function recordChild(child: ChildCase, context: RecordContext): ChildRecord {
  const { facts, exclusions } = caseFacts(child, context.types, context.reads);
  const ruleContext = { child, types: context.types, asOf: context.asOf, timeline: [], exclusions };
  const findings: RecordFinding[] = [];
  for (const rule of CHECK_RULES) {
    for (const raw of (rule.intrinsic ?? rule.check)(ruleContext)) {
      // A bug, not a user's mistake: every id is documented (docs/check.md) and names findings in baselines.
      if (!Object.hasOwn(rule.messages, raw.messageId)) throw new Error(`check rule ${rule.id} reported the undeclared messageId ${raw.messageId}`);
      const { file, line, column, message, messageId, subject } = raw;
      findings.push({ file, line, column, rule: raw.rule ?? rule.id, message, messageId, subject });
    }
  }
  const documents = documentsOf(child);
  const misnamedDocuments = child.strays.filter((stray) => typeof stray.data?.type === "string" && context.types.has(stray.data.type)).length;
  return {
    id: child.id,
    folder: child.folder,
    files: new Set(documents.map((d) => d.file)).size + child.misnamed.length + misnamedDocuments,
    findings,
    dated: child.documents.flatMap((d) => (isIsoDate(d.data?.date) ? [{ file: d.file, date: d.data.date }] : [])),
    waivers: documents.flatMap((d) => waiversOf(d, context.ruleIds)),
    facts,
    exclusions,
    profileRead: child.profile?.data !== undefined,
  };
}

/** A unit whose documents are in memory: fields are located in them. */
export function unitOf(child: ChildCase, context: RecordContext): CaseUnit {
  const documents = new Map<string, CaseDocument>(documentsOf(child).map((d) => [d.file, d]));
  return { record: recordChild(child, context), document: (file) => documents.get(file) };
}

/**
 * A document's `waivers` that can waive a finding on some day: with a reason (its text is not
 * kept, only that there is one), naming a rule careplan reports, `until` absent or a real date.
 */
function waiversOf(document: CaseDocument, ruleIds: ReadonlySet<string>): Waiver[] {
  const waivers = document.data?.waivers;
  if (!Array.isArray(waivers)) return [];
  return waivers.flatMap((waiver: Record<string, unknown> | null) => {
    if (typeof waiver !== "object" || waiver === null) return [];
    const { rule, reason, until } = waiver;
    if (typeof reason !== "string" || reason.trim() === "" || typeof rule !== "string" || !ruleIds.has(rule)) return [];
    if (until !== undefined && !isIsoDate(until)) return [];
    return [{ file: document.file, rule, until }];
  });
}
