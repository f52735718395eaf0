// The core that `check` and `timeline` share: read the selected children and compute their timelines.
import type { Selection } from "../casefile/repository.js";
import { listChildFolders, readChild, type ChildCase } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { createCalendar } from "../timescales/calendar.js";
import type { IsoDate } from "../timescales/dates.js";
import { evaluateChild, type TimelineItem } from "../timescales/engine.js";
import { childFacts, fieldsRead, type Exclusion } from "../timescales/facts.js";
import type { Policy } from "../timescales/policy.js";

export function readCaseload(selection: Selection, types: ReadonlyMap<string, DocumentType>): ChildCase[] {
  const known = [...types.keys()];
  return listChildFolders(selection.repository)
    .filter((id) => selection.children === "all" || selection.children.has(id))
    .map((id) => readChild(selection.repository, id, known));
}

export interface Timeline {
  items: TimelineItem[];
  exclusions: Exclusion[];
}

/** Items sorted as the contract says: due, child, rule, file, title. */
export function computeTimeline(children: readonly ChildCase[], types: ReadonlyMap<string, DocumentType>, policy: Policy, closures: readonly IsoDate[], asOf: IsoDate): Timeline {
  const calendar = createCalendar(closures);
  const reads = fieldsRead(policy.rules);
  const items: TimelineItem[] = [];
  const exclusions: Exclusion[] = [];
  for (const child of children) {
    const { facts, exclusions: excluded } = childFacts(child, types, reads, asOf);
    exclusions.push(...excluded);
    if (facts) items.push(...evaluateChild(facts, policy.rules, asOf, calendar));
  }
  items.sort(compareItems);
  return { items, exclusions };
}

export function compareItems(a: TimelineItem, b: TimelineItem): number {
  return compare(a.due, b.due) || compare(a.child, b.child) || compare(a.rule, b.rule) || compare(a.file, b.file) || compare(a.title, b.title);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One warning line for each document (or child) the timeline leaves out: names the file and field, never a value. */
export function exclusionWarning(exclusion: Exclusion): string {
  const field =
    exclusion.problem === "no-profile" ? "the folder has no child.md"
    : exclusion.problem === "unreadable" ? "its front matter cannot be read"
    : `\`${exclusion.field}\` is missing or not valid`;
  const what = exclusion.wholeChild ? "the child is left out of the timeline" : "left out of the timeline";
  return `warning: ${exclusion.file}: ${what}: ${field}. Run \`careplan check\` for details.`;
}
