// The terminal view: overdue first and marked, then what falls due, grouped by week or by child.
import { paint, type ColorLevel } from "../color.js";
import { addDays, dayOfWeek, daysBetween, type IsoDate } from "../../common/dates.js";
import type { TimelineItem } from "../../timescales/engine.js";
import type { TimelineReport } from "./report.js";

export interface TableOptions {
  group: "week" | "child";
  colorLevel: ColorLevel;
}

export function formatTimelineTable(report: TimelineReport, options: TableOptions): string {
  const c = paint(options.colorLevel);
  const scope = report.horizon === "all" ? "every item" : `overdue, and due in the next ${report.horizon} days`;
  const lines = [c.bold(`Timeline as of ${report.asOf} (policy ${report.policy}): ${scope}`), ""];
  if (report.items.length === 0) return [...lines, "Nothing is due.", ""].join("\n");

  // One set of column widths for the whole table, so that groups line up.
  const childWidth = Math.max(...report.items.map((i) => i.child.length));
  const titleWidth = Math.max(...report.items.map((i) => i.title.length));
  for (const [heading, items] of groups(report, options.group)) {
    lines.push(c.bold(heading));
    for (const item of items) {
      const when = whenText(item, report.asOf);
      const coloured = item.status === "overdue" ? c.red.bold(when) : item.status === "met" ? c.green(when) : daysBetween(report.asOf, item.due) <= 7 ? c.yellow(when) : when;
      const mark = item.status === "overdue" ? c.red.bold("!") : item.status === "met" ? c.green("✓") : " ";
      lines.push(`${mark} ${item.child.padEnd(childWidth)}  ${item.title.padEnd(titleWidth)}  ${longDate(item.due)}  ${coloured}  ${c.dim(item.rule)}`);
      lines.push(`  ${" ".repeat(childWidth)}  ${c.dim(`${item.reason}; ${item.file}`)}`);
    }
    lines.push("");
  }
  const overdue = report.items.filter((i) => i.status === "overdue").length;
  lines.push(`${report.items.length} item${report.items.length === 1 ? "" : "s"}, ${overdue > 0 ? c.red.bold(`${overdue} overdue`) : "none overdue"}.`, "");
  return lines.join("\n");
}

function groups(report: TimelineReport, by: "week" | "child"): [string, TimelineItem[]][] {
  const result = new Map<string, TimelineItem[]>();
  const push = (key: string, item: TimelineItem) => result.set(key, [...(result.get(key) ?? []), item]);
  if (by === "child") {
    for (const item of [...report.items].sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : 0))) push(`Child ${item.child}`, item);
    return [...result];
  }
  for (const item of report.items.filter((i) => i.status === "overdue")) push("Overdue", item);
  for (const item of report.items.filter((i) => i.status !== "overdue")) push(`Week of ${longDate(mondayOf(item.due))}`, item);
  return [...result];
}

function whenText(item: TimelineItem, asOf: IsoDate): string {
  if (item.status === "met") return item.met! > item.due ? `met late on ${item.met}` : `met on ${item.met}`;
  const days = daysBetween(asOf, item.due);
  if (item.status === "overdue") return `OVERDUE by ${-days} day${days === -1 ? "" : "s"}`;
  return days === 0 ? "due today" : `due in ${days} day${days === 1 ? "" : "s"}`;
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
