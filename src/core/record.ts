// A child's case as a record: every finding that holds whatever the as-of date, and the facts the
// rest is made from on any day (documents' dates, the timeline's facts, waivers). A record is what
// the cache keeps for a child whose files have not changed, and it never holds a document's free
// text: findings' messages are careplan's own words, facts are dates, true/false and codes.
import type { CaseDocument } from "../casefile/document.js";
import type { Position } from "../casefile/yaml.js";
import type { ChildCase } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { documentsOf, readRule } from "../rules/file-rules.js";
import { CHECK_RULES } from "../rules/registry.js";
import { TOP, type Locate } from "../rules/rule.js";
import type { WorkingCalendar } from "../timescales/calendar.js";
import { evaluateChild, type TimelineItem } from "../timescales/engine.js";
import { caseFacts, type ChildFacts, type Exclusion, type fieldsRead } from "../timescales/facts.js";
import type { RuleInForce } from "../timescales/rule.js";

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
  /**
   * The check's rules were run: `findings` are all a check finds. A timeline (or stats, or a
   * report) reads the front matter alone and makes a record of the facts, whose findings say only
   * what could not be read; a check reads such a child again.
   */
  checked: boolean;
  /** Posix path of the child's folder from the repository's root. */
  folder: string;
  /** The files a check of the whole child counts (posix, from the repository's root). */
  files: string[];
  findings: RecordFinding[];
  /** The documents with a real `date` (the profile and stray files aside). */
  dated: { file: string; date: IsoDate }[];
  waivers: Waiver[];
  /** What the timeline is made from, whatever the as-of date; undefined when the child is left out. */
  facts: ChildFacts | undefined;
  exclusions: Exclusion[];
  /** The profile was read and its front matter parsed (the timeline's --worker and --team look in it). */
  profileRead: boolean;
  /**
   * The last date of the child's documents and facts (a document's date, a placement, leaving
   * care, a date a rule reads): on any as-of date from then on, nothing a check looks at changes
   * but whether an item is overdue yet. Undefined when there is no date at all.
   */
  settled: IsoDate | undefined;
  /**
   * The timeline's items as on any as-of date from `settled` on (none without a timeline): each
   * `upcoming` here, overdue once its due date is past. Actions' titles are read from their
   * documents by the views that show them.
   */
  items: TimelineItem[];
  /** Those of them not met: all a check on such a day needs. */
  open: TimelineItem[];
  /**
   * Where each agreed action stands (`actions.<n>`), by the file it is in, for the finding an
   * overdue one makes: found once when the document is read, rather than read again each time one
   * is late.
   */
  actions: ReadonlyMap<string, readonly Position[]>;
}

/** What records are made with, once a run. */
export interface RecordContext {
  types: ReadonlyMap<string, DocumentType>;
  /** The as-of date: it picks the version of the profile's form (the only date a record depends on). */
  asOf: IsoDate;
  reads: ReturnType<typeof fieldsRead>;
  /** Whether the check's rules are run (`check`, `baseline`); else the facts alone are wanted, from the front matter. */
  checks: boolean;
  /** Every rule id a finding can carry: a waiver naming another waives nothing, and is not kept. */
  ruleIds: ReadonlySet<string>;
  /** The rules in force, and the working days they count, for the record's open items. */
  rules: readonly RuleInForce[];
  calendar: WorkingCalendar;
}

/** A child's record, and its documents (in memory while they are, else read again when asked for). */
export interface CaseUnit {
  record: ChildRecord;
  /** A document of the child by its path (posix, from the repository's root). */
  document(file: string): CaseDocument | undefined;
}

/** Where a field of one of the unit's documents stands (line 1 when the document or field is not there). */
export function locateIn(unit: CaseUnit): Locate {
  return (file, path) => {
    const action = path.length === 2 && path[0] === "actions" && typeof path[1] === "number" ? unit.record.actions.get(file)?.[path[1]] : undefined;
    return action ?? unit.document(file)?.locate(path) ?? TOP;
  };
}

export function recordChild(child: ChildCase, context: RecordContext): ChildRecord {
  const { facts, exclusions } = caseFacts(child, context.types, context.reads, context.checks);
  const ruleContext = { child, types: context.types, asOf: context.asOf, timeline: [], exclusions };
  const findings: RecordFinding[] = [];
  // Without the check's rules, what could not be read is still said: such a record is never kept.
  for (const rule of context.checks ? CHECK_RULES : [readRule]) {
    for (const raw of (rule.intrinsic ?? rule.check)(ruleContext)) {
      // A bug, not a user's mistake: every id is documented (docs/check.md) and names findings in baselines.
      if (!Object.hasOwn(rule.messages, raw.messageId)) throw new Error(`check rule ${rule.id} reported the undeclared messageId ${raw.messageId}`);
      const { file, line, column, message, messageId, subject } = raw;
      findings.push({ file, line, column, rule: raw.rule ?? rule.id, message, messageId, subject });
    }
  }
  const documents = documentsOf(child);
  const dated = child.documents.flatMap((d) => (isIsoDate(d.data?.date) ? [{ file: d.file, date: d.data.date }] : []));
  const settled = settledOn(facts, dated);
  // Worked out on the settled date: every later as-of date sees the same facts and the same items.
  const items = facts && settled !== undefined ? evaluateChild(facts, context.rules, settled, context.calendar).map((item) => ({ ...item, status: "upcoming" as const })) : [];
  const misnamedDocuments = child.strays.filter((stray) => typeof stray.data?.type === "string" && context.types.has(stray.data.type)).map((stray) => stray.file);
  return {
    id: child.id,
    checked: context.checks,
    folder: child.folder,
    files: [...new Set(documents.map((d) => d.file)), ...child.misnamed.map((m) => m.file), ...misnamedDocuments],
    findings,
    dated,
    waivers: documents.flatMap((d) => waiversOf(d, context.ruleIds)),
    facts,
    exclusions,
    profileRead: child.profile?.data !== undefined,
    actions: actionPlaces(child, facts),
    settled,
    items,
    open: items.filter((item) => item.met === null),
  };
}

/** The items of a record as on an as-of date from its settled date on. */
export function itemsOn(items: readonly TimelineItem[], asOf: IsoDate): TimelineItem[] {
  return items.map((item) => ({ ...item, status: item.met !== null ? "met" : item.due < asOf ? "overdue" : "upcoming" }));
}

/**
 * The last date the engine or a check compares with the as-of date: of the documents, and of the
 * facts (`when`, a due date, is none).
 */
function settledOn(facts: ChildFacts | undefined, dated: readonly { date: IsoDate }[]): IsoDate | undefined {
  let last: IsoDate | undefined;
  const see = (date: unknown) => {
    if (isIsoDate(date) && (last === undefined || date > last)) last = date;
  };
  for (const document of dated) see(document.date);
  if (facts) {
    see(facts.lookedAfterSince);
    see(facts.leftCare);
    for (const placement of facts.placements) [placement.start, placement.end].forEach(see);
    for (const document of facts.documents) {
      see(document.date);
      for (const [field, value] of Object.entries(document.data)) {
        if (field === "actions" && Array.isArray(value)) for (const action of value) see((action as { done?: unknown }).done);
        else see(value);
      }
    }
  }
  return last;
}

function actionPlaces(child: ChildCase, facts: ChildFacts | undefined): Map<string, Position[]> {
  const places = new Map<string, Position[]>();
  for (const fact of facts?.documents ?? []) {
    const actions = fact.data.actions;
    if (!Array.isArray(actions) || actions.length === 0) continue;
    const document = child.documents.find((d) => d.file === fact.file)!;
    places.set(
      fact.file,
      actions.map((_, index) => document.locate(["actions", index])),
    );
  }
  return places;
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
