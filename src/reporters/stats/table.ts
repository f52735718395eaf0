// The terminal view: one aligned row per group, the total last, shares as percentages with a bar
// drawn in text, so that a trend down the months reads at a glance.
import type { ChalkInstance } from "chalk";
import type { PeriodFigures, PeriodStats, SnapshotGroupFigures, SnapshotStats } from "../../core/stats.js";
import { paint, type ColorLevel } from "../color.js";
import { bar, isSnapshot, keyHeading, lookedAfterText, notCounted, percent, type StatsReport } from "./report.js";
import { printableProse } from "../../common/safe-text.js";

const BAR_WIDTH = 20;

interface Cell {
  text: string;
  style?: (text: string) => string;
}

/** A column: its heading, and whether its cells line up on the left (names, bars) or the right (figures). */
type Column = [heading: string, align: "left" | "right"];

export function formatStatsTable(report: StatsReport, options: { colorLevel: ColorLevel }): string {
  const c = paint(options.colorLevel);
  const lines = isSnapshot(report) ? snapshotTable(report, c) : periodTable(report, c);
  const missing = notCounted(report);
  if (missing !== undefined) lines.push("", c.red.bold("! ") + printableProse(missing));
  return lines.join("\n") + "\n";
}

function periodTable(report: PeriodStats, c: ChalkInstance): string[] {
  const title = c.bold(`Timeliness of what fell due from ${report.from} to ${report.to}, by ${report.by} (policy ${report.policy})`);
  if (report.total.due === 0) return [title, "", "Nothing fell due in the period."];
  const row = (key: string, f: PeriodFigures, style?: (text: string) => string): Cell[] => {
    const shown = bar(f.on_time, f.on_time + f.late + f.overdue, BAR_WIDTH);
    return [
      { text: printableProse(key), style },
      ...[f.due, f.on_time].map((n) => ({ text: String(n), style })),
      { text: String(f.late), style: f.late > 0 ? c.yellow : style },
      { text: String(f.overdue), style: f.overdue > 0 ? c.red.bold : style },
      { text: String(f.open), style },
      { text: percent(f.on_time, f.on_time + f.late + f.overdue), style },
      { text: f.median_days_late === null ? "-" : String(f.median_days_late), style },
      barCell(shown, c),
    ];
  };
  const columns: Column[] = [[keyHeading(report), "left"], ...figures(["Due", "On time", "Late", "Overdue", "Open", "% on time", "Median days late"]), ["", "left"]];
  const lines = render(columns, report.groups.map((group) => row(group.key, group)), row("Total", report.total, c.bold), c);
  return [
    title,
    "",
    ...lines,
    "",
    c.dim(`% on time: on time / (on time + late + overdue). Open: due on ${report.to}, not met and still in time. Median days late: over the late items.`),
  ];
}

function snapshotTable(report: SnapshotStats, c: ChalkInstance): string[] {
  const title = c.bold(`In date on ${report.snapshot}, by ${report.by === "rule" ? "duty" : report.by} (policy ${report.policy})`);
  const children = `${lookedAfterText(report)}.`;
  if (report.total.counted === 0) return [title, "", children, "No child looked after on that day has a recurring duty."];
  const row = (key: string, f: SnapshotGroupFigures, style?: (text: string) => string): Cell[] => {
    const shown = bar(f.in_date, f.counted, BAR_WIDTH);
    const twelve = f.looked_after_12_months;
    return [
      { text: printableProse(key), style },
      ...[f.counted, f.in_date].map((n) => ({ text: String(n), style })),
      { text: String(f.not_in_date), style: f.not_in_date > 0 ? c.red.bold : style },
      { text: percent(f.in_date, f.counted), style },
      barCell(shown, c),
      { text: String(twelve.counted), style },
      { text: percent(twelve.in_date, twelve.counted), style },
    ];
  };
  const columns: Column[] = [[keyHeading(report), "left"], ...figures(["Counted", "In date", "Not in date", "% in date"]), ["", "left"], ...figures(["12 months+", "% in date"])];
  const lines = render(columns, report.groups.map((group) => row(group.key, group)), row("Total", report.total, c.bold), c);
  const counted = report.by === "rule" ? "the children looked after on the day whom the duty concerns" : "each duty of each child looked after on the day";
  return [
    title,
    "",
    children,
    "",
    ...lines,
    "",
    c.dim(`Counted: ${counted}. In date: none of its deadlines overdue. 12 months+: children looked after for 12 months or more (the national figures count health assessments for them).`),
  ];
}

const figures = (headings: string[]): Column[] => headings.map((heading) => [heading, "right"]);

/** The bar's filled part green, the rest dim. */
function barCell(shown: { filled: string; empty: string }, c: ChalkInstance): Cell {
  return { text: shown.filled + shown.empty, style: (padded) => c.green(shown.filled) + c.dim(padded.slice(shown.filled.length)) };
}

/** Aligned columns two spaces apart, headed in bold; the total ruled off below the groups. */
function render(columns: Column[], groups: Cell[][], total: Cell[], c: ChalkInstance): string[] {
  const widths = columns.map(([heading], i) => Math.max(heading.length, ...[...groups, total].map((row) => row[i]!.text.length)));
  const line = (cells: Cell[]) =>
    cells
      .map((cell, i) => {
        const padded = columns[i]![1] === "left" ? cell.text.padEnd(widths[i]!) : cell.text.padStart(widths[i]!);
        return cell.style ? cell.style(padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const rule = c.dim("-".repeat(widths.reduce((sum, width) => sum + width, 2 * (widths.length - 1))));
  return [line(columns.map(([text]) => (text === "" ? { text } : { text, style: c.bold }))), ...groups.map(line), rule, line(total)];
}
