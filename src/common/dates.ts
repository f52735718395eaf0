// Calendar-date arithmetic on ISO strings (YYYY-MM-DD), in plain integers: no Date object and no
// time zone take part, so no result depends on the TZ variable. The timescale engine does this
// arithmetic millions of times over a large caseload; the tests hold it to date-fns on UTC dates.

export type IsoDate = string;

/** A real calendar day written YYYY-MM-DD: 2026-02-30 is not one, and is never rolled over. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string" || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  for (const at of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const code = value.charCodeAt(at);
    if (code < 48 || code > 57) return false;
  }
  const month = monthOf(value);
  const day = dayOf(value);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(yearOf(value), month);
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_LENGTHS[month - 1]!;
}

/** The digits of a YYYY-MM-DD date read straight from its characters. */
const digit = (date: string, at: number) => date.charCodeAt(at) - 48;
const yearOf = (date: IsoDate) => digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
const monthOf = (date: IsoDate) => digit(date, 5) * 10 + digit(date, 6);
const dayOf = (date: IsoDate) => digit(date, 8) * 10 + digit(date, 9);

/** YYYY-MM-DD of a year, month and day. */
function format(year: number, month: number, day: number): IsoDate {
  const y = year >= 1000 ? String(year) : String(year).padStart(4, "0");
  return `${y}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

/** Days since 1970-01-01: plain integers for the hot paths (working days are counted one by one). */
export function toDayNumber(date: IsoDate): number {
  // Howard Hinnant's days_from_civil: the year counted from March, so a leap day ends it.
  const month = monthOf(date);
  const year = yearOf(date) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + dayOf(date) - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

export function fromDayNumber(day: number): IsoDate {
  // civil_from_days, the inverse of the above.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return format(yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return n === 0 ? date : fromDayNumber(toDayNumber(date) + n);
}

/** The same day number n months later, or the month's last day when it has none (as date-fns addMonths). */
export function addMonths(date: IsoDate, n: number): IsoDate {
  if (n === 0) return date;
  const months = yearOf(date) * 12 + monthOf(date) - 1 + n;
  const year = Math.floor(months / 12);
  const month = months - year * 12 + 1;
  return format(year, month, Math.min(dayOf(date), daysInMonth(year, month)));
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
