// The core that `check` and `timeline` share: read the selected children and compute their timelines.
import type { Selection } from "../casefile/repository.js";
import { fileNameReader } from "../casefile/filename.js";
import { listChildFolders, readChild, type ChildCase } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { createCalendar, type WorkingCalendar } from "../timescales/calendar.js";
import type { IsoDate } from "../common/dates.js";
import { evaluateChild, type TimelineItem } from "../timescales/engine.js";
import { childFacts, fieldsRead, type Exclusion } from "../timescales/facts.js";
import type { Policy } from "../timescales/policy.js";
import { printable } from "../common/safe-text.js";

/**
 * The selected children, read one at a time as the caller asks for them: a large authority's
 * caseload is checked child by child, never held in memory whole.
 */
export function* readCaseload(selection: Selection, types: ReadonlyMap<string, DocumentType>): Generator<ChildCase> {
  const readName = fileNameReader([...types.keys()]);
  for (const id of listChildFolders(selection.repository)) {
    if (selection.children === "all" || selection.children.has(id)) yield readChild(selection.repository, id, readName);
  }
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
  const { facts, exclusions } = childFacts(child, context.types, context.reads, context.asOf);
  const items = facts ? evaluateChild(facts, context.policy.rules, context.asOf, context.calendar) : [];
  return { items, exclusions, problems: exclusions.map((exclusion) => timelineProblem(child.id, exclusion)) };
}

/** Items sorted as the contract says: due, child, rule, file, title. */
export function computeTimeline(children: Iterable<ChildCase>, context: TimelineContext): Timeline {
  const items: TimelineItem[] = [];
  const exclusions: Exclusion[] = [];
  const problems: TimelineProblem[] = [];
  for (const child of children) {
    const timeline = childTimeline(child, context);
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
  return `warning: ${printable(exclusion.file)}: ${what}: ${printable(exclusionCause(exclusion))}. Run \`careplan check\` for details.`;
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
