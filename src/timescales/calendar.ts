// Working days in England and Wales: weekends, bank holidays (the published table, and the
// standing rules for years not yet published, marked provisional) and configured closures.
import table from "./bank-holidays.json" with { type: "json" };
import { addDays, addMonths, dayOfWeek, dayOfWeekOf, fromDayNumber, isWeekend, toDayNumber, type IsoDate } from "../common/dates.js";
import { addToGroup } from "../common/group.js";

export interface Holiday {
  date: IsoDate;
  title: string;
  provisional: boolean;
}

export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
  holiday(date: IsoDate): Holiday | undefined;
  /** N working days after D (D is day 0, working day or not); N < 0: the N-th working day before. */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
}

export type IntervalUnit = "working-days" | "days" | "weeks" | "months" | "years";

const published = new Map<number, Holiday[]>();
for (const { date, title } of table.holidays) {
  const year = Number(date.slice(0, 4));
  addToGroup(published, year, { date, title, provisional: false });
}
const FIRST_PUBLISHED = Math.min(...published.keys());

export function bankHolidays(year: number): Holiday[] {
  if (year >= FIRST_PUBLISHED && year <= table.publishedThrough) return published.get(year) ?? [];
  return derivedBankHolidays(year);
}

/** The standing rules, for years the table does not cover. One-off days cannot be foreseen. */
export function derivedBankHolidays(year: number): Holiday[] {
  const y = String(year).padStart(4, "0");
  const easter = easterSunday(year);
  const holidays: [IsoDate, string][] = [
    [weekdayOnOrAfter(`${y}-01-01`), isWeekend(`${y}-01-01`) ? "New Year’s Day (substitute day)" : "New Year’s Day"],
    [addDays(easter, -2), "Good Friday"],
    [addDays(easter, 1), "Easter Monday"],
    [weekdayOfMonth(year, 5, "first"), "Early May bank holiday"],
    [weekdayOfMonth(year, 5, "last"), "Spring bank holiday"],
    [weekdayOfMonth(year, 8, "last"), "Summer bank holiday"],
  ];
  // Christmas Day and Boxing Day at a weekend move to the next weekdays; the one that fell on a
  // weekday keeps its day (25 Sun, 26 Mon: Boxing Day 26, Christmas substitute 27).
  const christmas = `${y}-12-25`;
  const boxing = `${y}-12-26`;
  let christmasObserved = weekdayOnOrAfter(christmas);
  let boxingObserved = weekdayOnOrAfter(boxing);
  if (christmasObserved === boxingObserved) {
    if (boxingObserved === boxing) christmasObserved = weekdayOnOrAfter(addDays(boxing, 1));
    else boxingObserved = weekdayOnOrAfter(addDays(christmasObserved, 1));
  }
  holidays.push([christmasObserved, christmasObserved === christmas ? "Christmas Day" : "Christmas Day (substitute day)"]);
  holidays.push([boxingObserved, boxingObserved === boxing ? "Boxing Day" : "Boxing Day (substitute day)"]);
  return holidays.map(([date, title]) => ({ date, title, provisional: true })).sort((a, b) => (a.date < b.date ? -1 : 1));
}

function weekdayOnOrAfter(date: IsoDate): IsoDate {
  let day = date;
  while (isWeekend(day)) day = addDays(day, 1);
  return day;
}

/** The first or last Monday of a month. */
function weekdayOfMonth(year: number, month: number, which: "first" | "last"): IsoDate {
  const first = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
  if (which === "first") return addDays(first, (8 - dayOfWeek(first)) % 7);
  const last = addDays(addMonths(first, 1), -1);
  return addDays(last, -((dayOfWeek(last) + 6) % 7));
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function createCalendar(closures: readonly IsoDate[] = []): WorkingCalendar {
  const byYear = new Map<number, Map<IsoDate, Holiday>>();
  const closed = new Set(closures);
  const holidaysOf = (year: number): Map<IsoDate, Holiday> => {
    let holidays = byYear.get(year);
    if (!holidays) {
      holidays = new Map(bankHolidays(year).map((h) => [h.date, h]));
      byYear.set(year, holidays);
    }
    return holidays;
  };
  const holiday = (date: IsoDate) => holidaysOf(Number(date.slice(0, 4))).get(date);
  const isWorkingDay = (date: IsoDate) => !isWeekend(date) && !closed.has(date) && holiday(date) === undefined;
  // Counting runs on day numbers: the weekdays that are not working days (bank holidays and
  // closures) as a set of day numbers, over a run of whole years that grows as counting reaches it.
  const closedDays = new Set<number>(closures.map(toDayNumber));
  let firstYear = 0;
  let lastYear = -1;
  let first = 0;
  let last = -1;
  const cover = (day: number) => {
    const year = Number(fromDayNumber(day).slice(0, 4));
    const from = lastYear < firstYear ? year - 1 : Math.min(firstYear, year - 1);
    const to = lastYear < firstYear ? year + 1 : Math.max(lastYear, year + 1);
    for (let y = from; y <= to; y++) {
      if (y >= firstYear && y <= lastYear) continue;
      for (const h of holidaysOf(y).values()) closedDays.add(toDayNumber(h.date));
    }
    [firstYear, lastYear] = [from, to];
    first = toDayNumber(`${String(from).padStart(4, "0")}-01-01`);
    last = toDayNumber(`${String(to).padStart(4, "0")}-12-31`);
  };
  const isWorkingDayNumber = (day: number) => {
    const weekday = dayOfWeekOf(day);
    if (weekday === 0 || weekday === 6) return false;
    if (day < first || day > last) cover(day);
    return !closedDays.has(day);
  };
  return {
    isWorkingDay,
    holiday,
    addWorkingDays(date, n) {
      const step = n < 0 ? -1 : 1;
      let day = toDayNumber(date);
      for (let left = Math.abs(n); left > 0; ) {
        day += step;
        if (isWorkingDayNumber(day)) left--;
      }
      return n === 0 ? date : fromDayNumber(day);
    },
  };
}

export function addInterval(calendar: WorkingCalendar, date: IsoDate, n: number, unit: IntervalUnit): IsoDate {
  switch (unit) {
    case "working-days":
      return calendar.addWorkingDays(date, n);
    case "days":
      return addDays(date, n);
    case "weeks":
      return addDays(date, 7 * n);
    case "months":
      return addMonths(date, n);
    case "years":
      return addMonths(date, 12 * n);
  }
}
