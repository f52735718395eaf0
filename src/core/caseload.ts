// The core that `check` and `timeline` share: read the selected children and compute their timelines.
import type { CaseDocument } from "../casefile/document.js";
import { fileNameReader, PROFILE_FILE, type FileName } from "../casefile/filename.js";
import { childFolder, listChildFolders, readChild, readDocumentFile, type ChildCase, type Repository, type Selection } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { createCalendar, type WorkingCalendar } from "../timescales/calendar.js";
import type { IsoDate } from "../common/dates.js";
import { evaluateChild, type TimelineItem } from "../timescales/engine.js";
import { factsOn, fieldsRead, type Exclusion } from "../timescales/facts.js";
import type { Policy } from "../timescales/policy.js";
import type { CaseCache } from "./cache.js";
import type { ChildKeys } from "./fingerprint.js";
import { unitOf, type CaseUnit, type RecordContext } from "./record.js";

/**
 * The selected children, read one at a time as the caller asks for them: a large authority's
 * caseload is checked child by child, never held in memory whole.
 */
export function* readCaseload(selection: Selection, types: ReadonlyMap<string, DocumentType>): Generator<ChildCase> {
  const readName = fileNameReader([...types.keys()]);
  for (const id of selectedChildren(selection)) yield readChild(selection.repository, id, readName);
}

/** The ids of the selected children, in the order of their folders' names. */
export function selectedChildren(selection: Selection): string[] {
  return listChildFolders(selection.repository).filter((id) => selection.children === "all" || selection.children.has(id));
}

/** Where a run's records come from besides the files: a cache, and the keys of the children's files. */
export interface RecordStore {
  cache: CaseCache;
  keys: ChildKeys;
}

/**
 * The selected children as units, one at a time: from the cache when a child's files are as they
 * were (its documents are then read again only when a view needs one), else read and parsed (and
 * kept in the cache when there is one).
 */
export function* caseUnits(selection: Selection, context: RecordContext, store?: RecordStore): Generator<CaseUnit> {
  const { repository } = selection;
  const readName = fileNameReader([...context.types.keys()]);
  for (const id of selectedChildren(selection)) {
    const key = store?.keys.key(id);
    const cached = key === undefined ? undefined : store!.cache.get(id, key);
    if (cached && cached.id === id && cached.folder === childFolder(repository, id)) {
      yield { record: cached, document: documentReader(repository, readName) };
      continue;
    }
    const unit = unitOf(readChild(repository, id, readName), context);
    // What could not be read may be readable to someone else, or in a moment: never kept.
    if (key !== undefined && !unit.record.findings.some((finding) => finding.rule === "read")) store!.cache.put(id, key, unit.record);
    yield unit;
  }
}

/** The documents of a child whose record came from the cache, each read again (once) when a view asks for it. */
function documentReader(repository: Repository, readName: (name: string) => FileName): (file: string) => CaseDocument | undefined {
  const read = new Map<string, CaseDocument | undefined>();
  return (file) => {
    if (!read.has(file)) read.set(file, readDocumentFile(repository, file, readName));
    return read.get(file);
  };
}

/** A child's profile as its unit has it (read again for a unit from the cache). */
export function profileOf(unit: CaseUnit): Pick<ChildCase, "id" | "profile"> {
  return { id: unit.record.id, profile: unit.record.profileRead ? unit.document(`${unit.record.folder}/${PROFILE_FILE}`) : undefined };
}

/** The same items, each shown to `see` as it passes (a profile noted as its child is read). */
export function* tap<T>(items: Iterable<T>, see: (item: T) => void): Generator<T> {
  for (const item of items) {
    see(item);
    yield item;
  }
}

export interface Timeline {
  items: TimelineItem[];
  exclusions: Exclusion[];
  /** The exclusions by child, for every view of the timeline: a gap is shown, never hidden. */
  problems: TimelineProblem[];
}

/** A child whose deadlines cannot be computed, or a document left out of them. */
export interface TimelineProblem {
  child: string;
  /** The file at fault (posix, from the repository's root). */
  file: string;
  /** Dotted key of the field at fault, or null. */
  field: string | null;
  /** "child": no deadline of the child could be computed; "document": that document is left out. */
  leftOut: "child" | "document";
  /** In the tool's words, naming fields only: never a value from the file. */
  problem: string;
}

/** What every child's timeline is computed with, made once a run. */
export interface TimelineContext {
  types: ReadonlyMap<string, DocumentType>;
  policy: Policy;
  asOf: IsoDate;
  calendar: WorkingCalendar;
  reads: ReturnType<typeof fieldsRead>;
}

export function timelineContext(types: ReadonlyMap<string, DocumentType>, policy: Policy, closures: readonly IsoDate[], asOf: IsoDate): TimelineContext {
  return { types, policy, asOf, calendar: createCalendar(closures), reads: fieldsRead(policy.rules) };
}

/** One child's items (unsorted) and what was left out. */
export function childTimeline(child: ChildCase, context: TimelineContext): Timeline {
  return unitTimeline(unitOf(child, { ...context, ruleIds: new Set() }), context);
}

/** Which items a view keeps, and whether it shows actions' titles (which are read from their documents). */
export interface TimelineView {
  keep?: (item: TimelineItem) => boolean;
  titles?: boolean;
}

/** A unit's items (unsorted) and what was left out. */
export function unitTimeline(unit: CaseUnit, context: TimelineContext, { keep = () => true, titles = true }: TimelineView = {}): Timeline {
  const { record } = unit;
  const items = record.facts ? evaluateChild(factsOn(record.facts, context.asOf), context.policy.rules, context.asOf, context.calendar).filter(keep) : [];
  if (titles) for (const item of items) if (item.path) item.title = actionTitle(unit, item);
  return { items, exclusions: record.exclusions, problems: record.exclusions.map((exclusion) => timelineProblem(record.id, exclusion)) };
}

/** An action's title is its text, in the document that holds it. */
function actionTitle(unit: CaseUnit, item: TimelineItem): string {
  const actions = unit.document(item.file)?.data?.actions;
  const action: unknown = Array.isArray(actions) ? actions[item.path![1] as number] : undefined;
  return String(typeof action === "object" && action !== null ? (action as Record<string, unknown>).action : undefined);
}

/** Items sorted as the contract says: due, child, rule, file, title (those the view keeps). */
export function computeTimeline(units: Iterable<CaseUnit>, context: TimelineContext, view?: TimelineView): Timeline {
  const items: TimelineItem[] = [];
  const exclusions: Exclusion[] = [];
  const problems: TimelineProblem[] = [];
  for (const unit of units) {
    const timeline = unitTimeline(unit, context, view);
    items.push(...timeline.items);
    exclusions.push(...timeline.exclusions);
    problems.push(...timeline.problems);
  }
  items.sort(compareItems);
  return { items, exclusions, problems };
}

export function compareItems(a: TimelineItem, b: TimelineItem): number {
  return compare(a.due, b.due) || compare(a.child, b.child) || compare(a.rule, b.rule) || compare(a.file, b.file) || compare(a.title, b.title);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One warning line for each document (or child) the timeline leaves out: names the file and field, never a value. */
export function exclusionWarning(exclusion: Exclusion): string {
  const what = exclusion.wholeChild ? "the child is left out of the timeline" : "left out of the timeline";
  return `warning: ${exclusion.file}: ${what}: ${exclusionCause(exclusion)}. Run \`careplan check\` for details.`;
}

function exclusionCause(exclusion: Exclusion): string {
  return exclusion.problem === "no-profile" ? "the folder has no child.md"
    : exclusion.problem === "unreadable" ? "its front matter cannot be read"
    : `\`${exclusion.field}\` is missing or not valid`;
}

export function timelineProblem(child: string, exclusion: Exclusion): TimelineProblem {
  const cause = exclusionCause(exclusion);
  return {
    child,
    file: exclusion.file,
    field: exclusion.field ?? null,
    leftOut: exclusion.wholeChild ? "child" : "document",
    problem: exclusion.wholeChild
      ? `no deadline of this child can be computed: ${exclusion.problem === "no-profile" ? cause : exclusion.problem === "unreadable" ? "the profile cannot be read" : `${cause} in the profile`}`
      : `the document is left out: ${cause}`,
  };
}
