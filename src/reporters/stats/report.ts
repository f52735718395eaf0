// What every stats format is a pure function of: the period measure or the snapshot, and the
// helpers the human-readable formats share.
import { roundHalfEven, type PeriodStats, type SnapshotStats, type StatsBy } from "../../core/stats.js";
import type { TimelineProblem } from "../../core/caseload.js";
import { problemsSummary } from "../timeline/report.js";

/**
 * The figures, and (only when there are any) the children whose deadlines could not be computed
 * and the documents left out: they are missing from the figures, and the human views say so.
 */
export type StatsReport = (PeriodStats | SnapshotStats) & { problems?: readonly TimelineProblem[] };

/** The closing sentence on what the figures leave out, or undefined when they leave out nothing. */
export function notCounted(report: StatsReport): string | undefined {
  const summary = problemsSummary(report.problems);
  if (summary === undefined) return undefined;
  const children = (report.problems ?? []).filter((p) => p.leftOut === "child").map((p) => p.child);
  return `Not counted: ${summary}${children.length > 0 ? ` (${children.join(", ")})` : ""}.`;
}

export function isSnapshot(report: StatsReport): report is SnapshotStats {
  return "snapshot" in report;
}

/** What the key of a group is, for a column heading; a snapshot groups duties, not rules. */
export function keyHeading(report: StatsReport): string {
  const headings: Record<StatsBy, string> = { rule: "Rule", child: "Child", worker: "Worker", team: "Team", month: "Month", preset: "Preset" };
  return isSnapshot(report) && report.by === "rule" ? "Duty" : headings[report.by];
}

/** "5 children looked after, 1 of them for 12 months or more" */
export function lookedAfterText(report: SnapshotStats): string {
  return `${report.looked_after} ${report.looked_after === 1 ? "child" : "children"} looked after, ${report.looked_after_12_months} of them for 12 months or more`;
}

/** A share as a percentage to one decimal, rounded from the exact fraction (no double rounding). */
export function percent(part: number, whole: number): string {
  return whole === 0 ? "-" : `${roundHalfEven(part * 100, whole, 1).toFixed(1)}%`;
}

/** A bar `width` characters long, filled in proportion: the eye reads a trend down a column of them. */
export function bar(part: number, whole: number, width: number): { filled: string; empty: string } {
  if (whole === 0) return { filled: "", empty: "" };
  const filled = Math.round((part * width) / whole);
  return { filled: "█".repeat(filled), empty: "░".repeat(width - filled) };
}
