// What the manager's report is a pure function of, and the words and dates its parts share.
import { addDays, daysBetween, dayOfWeek, type IsoDate } from "../../common/dates.js";
import { count } from "../../common/words.js";
import type { TimelineProblem } from "../../core/caseload.js";
import { NONE, type PeriodStats } from "../../core/stats.js";
import type { TimelineItem } from "../../timescales/engine.js";

export interface ReportChild {
  id: string;
  /** The social worker's name and team as the profile gives them, or NONE. */
  worker: string;
  team: string;
}

export interface ReportPeriod {
  from: IsoDate;
  to: IsoDate;
  /** The default period (the 12 months to the as-of date), which the page says it is. */
  defaulted: boolean;
  byRule: PeriodStats;
  byMonth: PeriodStats;
}

export interface ReportData {
  asOf: IsoDate;
  policy: string;
  /** careplan's version, named in the footer. */
  version: string;
  /** Days ahead that "due soon" covers (the timeline's default, 28). */
  horizonDays: number;
  /** Every child whose profile could be read, with whose caseload they are on. */
  children: readonly ReportChild[];
  /** Every item `timeline --all` lists as of asOf, sorted as the timeline sorts them. */
  items: readonly TimelineItem[];
  /** What could not be computed: shown, never hidden. */
  problems: readonly TimelineProblem[];
  /** Each rule's title in the policy, for the figures by rule. */
  ruleTitles: Readonly<Record<string, string>>;
  period: ReportPeriod;
}

/** An item as the page tells it apart, by shape, word and colour. */
export type Mark = "on-time" | "late" | "overdue" | "upcoming";

export function markOf(item: Pick<TimelineItem, "status" | "met" | "due">): Mark {
  if (item.status === "met") return item.met! > item.due ? "late" : "on-time";
  return item.status;
}

export const MARK_WORDS: Record<Mark, string> = { "on-time": "met on time", late: "met late", overdue: "overdue", upcoming: "to come" };

/** "Overdue by 29 days", "Due in 4 days", "Met 3 days late on Thu 15 Jan 2026". */
export function statusText(item: TimelineItem, asOf: IsoDate): string {
  switch (markOf(item)) {
    case "on-time":
      return `Met on time, ${longDate(item.met!)}`;
    case "late":
      return `Met ${count(daysBetween(item.due, item.met!), "day")} late, ${longDate(item.met!)}`;
    case "overdue":
      return `Overdue by ${count(daysBetween(item.due, asOf), "day")}`;
    case "upcoming": {
      const days = daysBetween(asOf, item.due);
      return days === 0 ? "Due today" : `Due in ${count(days, "day")}`;
    }
  }
}

/** Overdue, or not met and due on or before the horizon: what the timeline shows by default. */
export function isDueSoon(item: TimelineItem, asOf: IsoDate, horizonDays: number): boolean {
  return item.status === "overdue" || (item.status === "upcoming" && item.due <= addDays(asOf, horizonDays));
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mon 2 Mar 2026" */
export function longDate(date: IsoDate): string {
  return `${WEEKDAYS[dayOfWeek(date)]} ${shortDate(date)}`;
}

/** "2 Mar 2026" */
export function shortDate(date: IsoDate): string {
  return `${Number(date.slice(8, 10))} ${monthName(date)}`;
}

/** "Mar 2026", of a date or a YYYY-MM month. */
export function monthName(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

export function workerName(worker: string): string {
  return worker === NONE ? "No social worker recorded" : worker;
}

export function teamName(team: string): string {
  return team === NONE ? "No team recorded" : team;
}
