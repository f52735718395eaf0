// For pasting into a report or a team update: a heading, a sentence saying what is counted, one table.
import type { PeriodFigures, PeriodStats, SnapshotGroupFigures, SnapshotStats } from "../../core/stats.js";
import { isSnapshot, keyHeading, lookedAfterText, notCounted, percent, type StatsReport } from "./report.js";
import { markdownText } from "../markdown.js";

export function formatStatsMarkdown(report: StatsReport): string {
  const lines = isSnapshot(report) ? snapshotMarkdown(report) : periodMarkdown(report);
  const missing = notCounted(report);
  if (missing !== undefined) lines.push("", `**${markdownText(missing)}**`);
  return lines.join("\n") + "\n";
}

function periodMarkdown(report: PeriodStats): string[] {
  const lines = [
    `## Timeliness from ${report.from} to ${report.to}`,
    "",
    `Every deadline that fell due in the period, by ${report.by}. Policy: ${report.policy}. ` +
      `% on time is on time / (on time + late + overdue); open items fell due on ${report.to} and are still in time.`,
    "",
  ];
  if (report.total.due === 0) return [...lines, "Nothing fell due in the period."];
  const row = (key: string, f: PeriodFigures) => {
    const denominator = f.on_time + f.late + f.overdue;
    return tableRow([key, f.due, f.on_time, f.late, f.overdue, f.open, percent(f.on_time, denominator), f.median_days_late ?? "-"]);
  };
  return [
    ...lines,
    tableRow([keyHeading(report), "Due", "On time", "Late", "Overdue", "Open", "% on time", "Median days late"]),
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.groups.map((group) => row(markdownText(group.key), group)),
    row("**Total**", report.total),
  ];
}

function snapshotMarkdown(report: SnapshotStats): string[] {
  const lines = [
    `## Recurring duties in date on ${report.snapshot}`,
    "",
    `${lookedAfterText(report)}; by ${report.by === "rule" ? "duty" : report.by}. ` +
      `Policy: ${report.policy}. A duty is in date when none of its deadlines is overdue.`,
    "",
  ];
  if (report.total.counted === 0) return [...lines, "No child looked after on that day has a recurring duty."];
  const row = (key: string, f: SnapshotGroupFigures) => {
    const twelve = f.looked_after_12_months;
    return tableRow([key, f.counted, f.in_date, f.not_in_date, percent(f.in_date, f.counted), twelve.counted, percent(twelve.in_date, twelve.counted)]);
  };
  return [
    ...lines,
    tableRow([keyHeading(report), "Counted", "In date", "Not in date", "% in date", "Looked after 12 months+", "% in date (12 months+)"]),
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.groups.map((group) => row(markdownText(group.key), group)),
    row("**Total**", report.total),
  ];
}

function tableRow(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}
