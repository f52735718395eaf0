// The terminal view: what cannot be computed first, then overdue items marked, then what falls
// due, grouped by week or by child. On a terminal, long texts wrap to its width.
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import { paint, type ColorLevel } from "../color.js";
import { addDays, dayOfWeek, daysBetween, type IsoDate } from "../../common/dates.js";
import { count } from "../../common/words.js";
import type { TimelineItem } from "../../timescales/engine.js";
import { childProblems, problemsSummary, type TimelineReport } from "./report.js";
import { printable, printableProse } from "../../common/safe-text.js";
import { addToGroup } from "../../common/group.js";

export interface TableOptions {
  group: "week" | "child";
  colorLevel: ColorLevel;
  /** The columns there are (a terminal's width): texts wrap to fit. Undefined: lines as long as they are. */
  width?: number;
}

/** A title column narrower than this wraps too often to read: lines grow past the width instead. */
const MIN_TITLE_WIDTH = 20;
const DATE_WIDTH = "Sun 1 Feb 2026".length + 1;

export function formatTimelineTable(report: TimelineReport, options: TableOptions): string {
  const c = paint(options.colorLevel);
  const scope = report.horizon === "all" ? "every item" : `overdue, and due in the next ${count(report.horizon, "day")}`;
  const wrap = (text: string, width: number | undefined): string[] => (width === undefined ? [text] : wrapAnsi(text, Math.max(width, MIN_TITLE_WIDTH), { hard: true, trim: true }).split("\n"));
  const lines = [...wrap(`Timeline as of ${report.asOf} (policy ${report.policy}): ${scope}`, options.width).map((l) => c.bold(l)), ""];
  // Names and texts from the case files each keep to their place in one line.
  const problems = childProblems(report).map((p) => ({ ...p, child: printable(p.child), file: printable(p.file), problem: printableProse(p.problem) }));
  const items = report.items.map((i) => ({ ...i, child: printable(i.child), title: printableProse(i.title), reason: printableProse(i.reason), file: printable(i.file) }));
  const unresolved = problemsSummary(report.problems);
  if (items.length === 0 && unresolved === undefined) return [...lines, "Nothing is due.", ""].join("\n");

  // One set of column widths for the whole table, so that groups line up.
  const rows = items.map((item) => ({ item, title: item.title, when: whenText(item, report.asOf) }));
  const childWidth = Math.max(0, ...items.map((i) => stringWidth(i.child)), ...problems.map((p) => stringWidth(p.child)));
  const indent = 2 + childWidth + 2;
  const tailWidth = Math.max(0, ...rows.map((r) => 2 + DATE_WIDTH + 2 + stringWidth(r.when) + 2 + stringWidth(r.item.rule)));
  const longestTitle = Math.max(0, ...rows.map((r) => stringWidth(r.title)));
  const titleWidth = options.width === undefined ? longestTitle : Math.min(longestTitle, Math.max(MIN_TITLE_WIDTH, options.width - indent - tailWidth));
  const below = options.width === undefined ? undefined : options.width - indent;
  const margin = " ".repeat(indent);

  if (problems.length > 0) {
    lines.push(c.bold("Cannot be computed"));
    for (const problem of problems) {
      const [first = "", ...rest] = wrap(problem.problem, below);
      lines.push(`${c.red.bold("!")} ${pad(problem.child, childWidth)}  ${first}`, ...rest.map((l) => margin + l));
      lines.push(...wrap(`${problem.file}; run \`careplan check\` for details`, below).map((l) => margin + c.dim(l)));
    }
    lines.push("");
  }
  for (const [heading, items] of groups(rows, options.group)) {
    lines.push(c.bold(heading));
    for (const { item, title, when } of items) {
      const coloured = item.status === "overdue" ? c.red.bold(when) : item.status === "met" ? c.green(when) : daysBetween(report.asOf, item.due) <= 7 ? c.yellow(when) : when;
      const mark = item.status === "overdue" ? c.red.bold("!") : item.status === "met" ? c.green("✓") : " ";
      const [first = "", ...rest] = options.width === undefined ? [title] : wrap(title, titleWidth);
      lines.push(`${mark} ${pad(item.child, childWidth)}  ${pad(first, titleWidth)}  ${longDate(item.due)}  ${coloured}  ${c.dim(item.rule)}`);
      lines.push(...rest.map((l) => margin + l));
      lines.push(...wrap(`${item.reason}; ${item.file}`, below).map((l) => margin + c.dim(l)));
    }
    lines.push("");
  }
  const overdue = report.items.filter((i) => i.status === "overdue").length;
  const closing = report.items.length === 0 ? `Nothing is due in what could be read; ${unresolved}.` : `${count(report.items.length, "item")}, ${overdue > 0 ? `${overdue} overdue` : "none overdue"}${unresolved ? `; ${unresolved}` : ""}.`;
  lines.push(...wrap(closing, options.width).map((l) => l.replace(/\b\d+ overdue/, (text) => c.red.bold(text))), "");
  return lines.join("\n");
}

/** Pads to a width in terminal columns (a wide character takes two). */
function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}

interface Row {
  item: TimelineItem;
  title: string;
  when: string;
}

function groups(rows: Row[], by: "week" | "child"): [string, Row[]][] {
  const result = new Map<string, Row[]>();
  const push = (key: string, row: Row) => addToGroup(result, key, row);
  if (by === "child") {
    for (const row of [...rows].sort((a, b) => (a.item.child < b.item.child ? -1 : a.item.child > b.item.child ? 1 : 0))) push(`Child ${row.item.child}`, row);
    return [...result];
  }
  for (const row of rows.filter((r) => r.item.status === "overdue")) push("Overdue", row);
  for (const row of rows.filter((r) => r.item.status !== "overdue")) push(`Week of ${longDate(mondayOf(row.item.due))}`, row);
  return [...result];
}

function whenText(item: TimelineItem, asOf: IsoDate): string {
  if (item.status === "met") return item.met! > item.due ? `met late on ${item.met}` : `met on ${item.met}`;
  const days = daysBetween(asOf, item.due);
  if (item.status === "overdue") return `OVERDUE by ${count(-days, "day")}`;
  return days === 0 ? "due today" : `due in ${count(days, "day")}`;
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function longDate(date: IsoDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${DAY_NAMES[dayOfWeek(date)]} ${String(day).padStart(2, " ")} ${MONTH_NAMES[month - 1]} ${year}`;
}

function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}
