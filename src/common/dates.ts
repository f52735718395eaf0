// Calendar-date arithmetic on ISO strings (YYYY-MM-DD). Dates go through UTC only, never local
// midnight, so no result depends on the TZ variable.
import { UTCDate } from "@date-fns/utc";
import { addMonths as addMonthsFns } from "date-fns";

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: IsoDate): UTCDate {
  const [, y, m, d] = ISO_DATE.exec(date) as unknown as [string, string, string, string];
  return new UTCDate(Number(y), Number(m) - 1, Number(d));
}

function fromUtc(date: Date): IsoDate {
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  return `${String(date.getUTCFullYear()).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

/** A real calendar day written YYYY-MM-DD: 2026-02-30 is not one, and is never rolled over. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string") return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(match[1]), month);
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_LENGTHS[month - 1]!;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01: plain integers for the hot paths (working days are counted one by one). */
export function toDayNumber(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function fromDayNumber(day: number): IsoDate {
  return fromUtc(new Date(day * DAY_MS));
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return n === 0 ? date : fromDayNumber(toDayNumber(date) + n);
}


/** The same day number n months later, or the month's last day when it has none (date-fns addMonths). */
export function addMonths(date: IsoDate, n: number): IsoDate {
  return fromUtc(addMonthsFns(toUtc(date), n));
}


/** 0 Sunday ... 6 Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(date: IsoDate): number {
  return dayOfWeekOf(toDayNumber(date));
}

export function dayOfWeekOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

/** b − a in days. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}
