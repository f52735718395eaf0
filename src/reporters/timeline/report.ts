import type { IsoDate } from "../../common/dates.js";
import { count } from "../../common/words.js";
import type { TimelineItem } from "../../timescales/engine.js";
import type { TimelineProblem } from "../../core/caseload.js";

/** What every timeline format is a pure function of. */
export interface TimelineReport {
  asOf: IsoDate;
  policy: string;
  /** Already filtered and sorted (due, child, rule, file, title). */
  items: readonly TimelineItem[];
  /** Days ahead shown, or "all". */
  horizon: number | "all";
  /** Children whose deadlines could not be computed and documents left out: every format shows them. */
  problems?: readonly TimelineProblem[];
}

/** The children whose deadlines could not be computed: each gets a line of its own in a view. */
export function childProblems(report: TimelineReport): TimelineProblem[] {
  return (report.problems ?? []).filter((p) => p.leftOut === "child");
}

/**
 * What could not be computed, as the closing line says it ("the deadlines of 1 child could not
 * be computed and 2 documents were left out"), or undefined when everything was.
 */
export function problemsSummary(problems: readonly TimelineProblem[] = []): string | undefined {
  const children = problems.filter((p) => p.leftOut === "child").length;
  const documents = problems.length - children;
  const parts = [
    ...(children > 0 ? [`the deadlines of ${count(children, "child", "children")} could not be computed`] : []),
    ...(documents > 0 ? [`${count(documents, "document")} ${documents === 1 ? "was" : "were"} left out`] : []),
  ];
  return parts.length > 0 ? `${parts.join(" and ")}: run \`careplan check\` for details` : undefined;
}
