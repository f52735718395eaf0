// The calendar: dates, months, ages and working days in England and Wales.
import { UTCDate } from "@date-fns/utc";
import { addMonths as addMonthsFns } from "date-fns";
import Holidays from "date-holidays";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import table from "../../src/timescales/bank-holidays.json" with { type: "json" };
import { addInterval, bankHolidays, createCalendar, derivedBankHolidays, easterSunday } from "../../src/timescales/calendar.js";
import { addDays, addMonths, dayOfWeek, daysBetween, isIsoDate } from "../../src/common/dates.js";

const calendar = createCalendar();

/** Any real date from 1990 to 2060, as YYYY-MM-DD. */
const isoDate = fc.integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2060, 11, 31) / 86_400_000 }).map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

describe("dates", () => {
  it.each([
    ["2026-02-28", true],
    ["2026-02-29", false],
    ["2024-02-29", true],
    ["2100-02-29", false],
    ["2000-02-29", true],
    ["2026-02-30", false],
    ["2026-11-31", false],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-1-5", false],
    ["20260105", false],
    [" 2026-01-05", false],
    ["2026-01-05T00:00", false],
  ])("isIsoDate(%j) is %s", (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it("agrees with a round trip through Date.UTC for any string of the form", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
        const real = m >= 1 && m <= 12 && d >= 1 && new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === text;
        expect(isIsoDate(text)).toBe(real);
      }),
    );
  });

  it.each([
    ["2025-08-31", 6, "2026-02-28"],
    ["2023-08-31", 6, "2024-02-29"],
    ["2026-01-31", 1, "2026-02-28"],
    ["2026-03-31", -1, "2026-02-28"],
    ["2026-10-31", 1, "2026-11-30"],
    ["2026-12-15", 1, "2027-01-15"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2010-06-02", 189, "2026-03-02"],
  ])("%s + %i months = %s (the month's last day when the day does not exist)", (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it("adds months as date-fns does on UTC dates", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -240, max: 240 }), (date, months) => {
        const [y, m, d] = date.split("-").map(Number) as [number, number, number];
        expect(addMonths(date, months)).toBe(addMonthsFns(new UTCDate(y, m - 1, d), months).toISOString().slice(0, 10));
      }),
    );
  });

  it("adds days across month, year and leap-day ends", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-01-05", "2026-03-02")).toBe(56);
    expect(dayOfWeek("2026-03-02")).toBe(1);
    expect(dayOfWeek("1970-01-01")).toBe(4);
  });
});

describe("bank holidays in England and Wales", () => {
  it.each([
    ["2026-04-03", "Good Friday"],
    ["2026-04-06", "Easter Monday"],
    ["2019-04-19", "Good Friday"], // a late Easter
    ["2024-03-29", "Good Friday"], // an early one
    ["2020-12-28", "Boxing Day (substitute day)"],
    ["2021-12-27", "Christmas Day (substitute day)"],
    ["2021-12-28", "Boxing Day (substitute day)"],
    ["2022-12-27", "Christmas Day (substitute day)"],
    ["2027-12-27", "Christmas Day (substitute day)"],
    ["2022-01-03", "New Year’s Day (substitute day)"],
    ["2023-01-02", "New Year’s Day (substitute day)"],
    ["2020-05-08", "Early May bank holiday (VE day)"],
    ["2022-06-02", "Spring bank holiday"],
    ["2022-06-03", "Platinum Jubilee bank holiday"],
    ["2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"],
    ["2023-05-08", "Bank holiday for the coronation of King Charles III"],
    ["2026-08-31", "Summer bank holiday"],
  ])("%s is %s", (date, title) => {
    expect(calendar.holiday(date)?.title).toBe(title);
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it.each(["2020-05-04", "2022-05-30", "2026-12-26", "2021-12-24", "2023-05-09"])("%s is a working day or a weekend, not a holiday", (date) => {
    expect(calendar.holiday(date)).toBeUndefined();
  });

  it.each([2016, 2019, 2024, 2025, 2026, 2027, 2038])("Easter Sunday %i agrees with date-holidays", (year) => {
    const hd = new Holidays("GB", "ENG");
    const easterMonday = hd.getHolidays(year).find((h) => h.name === "Easter Monday")!.date.slice(0, 10);
    expect(addDays(easterSunday(year), 1)).toBe(easterMonday);
  });

  it("the standing rules reproduce every published year but for its one-off days", () => {
    const oneOffs = new Set(["2011-04-29", "2012-06-04", "2012-06-05", "2020-05-08", "2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08"]);
    const moved = new Set(["2012-05-28", "2020-05-04", "2022-05-30"]);
    for (let year = 2010; year <= table.publishedThrough; year++) {
      const published = bankHolidays(year).map((h) => h.date).filter((d) => !oneOffs.has(d));
      const derived = derivedBankHolidays(year).map((h) => h.date).filter((d) => !moved.has(d));
      expect(published, String(year)).toEqual(derived);
    }
  });

  it("the published table's working-day effect agrees with date-holidays, but where date-holidays is wrong", () => {
    // date-holidays misses the 2011 royal wedding and keeps 2012's spring holiday on 28 May, which
    // was moved to 4 June for the Diamond Jubilee (GOV.UK's published dates).
    const corrections: Record<number, { add: string[]; remove: string[] }> = { 2011: { add: ["2011-04-29"], remove: [] }, 2012: { add: ["2012-06-04"], remove: ["2012-05-28"] } };
    const hd = new Holidays("GB", "ENG");
    for (let year = 2010; year <= table.publishedThrough; year++) {
      const theirs = hd
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10))
        .filter((d) => ![0, 6].includes(dayOfWeek(d)))
        .filter((d) => !corrections[year]?.remove.includes(d));
      const ours = bankHolidays(year).map((h) => h.date);
      expect(ours, String(year)).toEqual([...new Set([...theirs, ...(corrections[year]?.add ?? [])])].sort());
    }
  });

  it("years after the published table are derived and marked provisional", () => {
    expect(bankHolidays(table.publishedThrough).every((h) => !h.provisional)).toBe(true);
    const later = bankHolidays(table.publishedThrough + 1);
    expect(later).toHaveLength(8);
    expect(later.every((h) => h.provisional)).toBe(true);
  });
});

describe("working days", () => {
  it.each([
    ["2024-12-02", 20, "2025-01-02"], // DOMAIN.md: Mon 2 Dec 2024 + 20 working days = Thu 2 Jan 2025
    ["2026-01-05", 10, "2026-01-19"],
    ["2026-01-05", 20, "2026-02-02"],
    ["2026-03-31", 5, "2026-04-09"], // Good Friday and Easter Monday skipped
    ["2026-12-23", 3, "2026-12-30"], // Christmas, Boxing Day substitute (28 Dec) skipped
    ["2022-09-16", 1, "2022-09-20"], // the State Funeral
    ["2023-05-05", 1, "2023-05-09"], // the Coronation
    ["2026-02-28", 1, "2026-03-02"], // from a Saturday: day 0 need not be a working day
    ["2026-01-05", 0, "2026-01-05"],
    ["2026-01-19", -10, "2026-01-05"],
    ["2025-01-02", -20, "2024-12-02"],
  ])("%s + %i working days = %s", (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toBe(expected);
  });

  it("skips the configured closures", () => {
    const closed = createCalendar(["2026-12-29", "2026-12-30", "2026-12-31"]);
    expect(closed.addWorkingDays("2026-12-24", 1)).toBe("2027-01-04");
    expect(closed.isWorkingDay("2026-12-29")).toBe(false);
  });

  it("adding N ≥ 1 working days lands on a working day", () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 1, max: 60 }), (date, n) => calendar.isWorkingDay(calendar.addWorkingDays(date, n))));
  });

  it("is strictly increasing in N", () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 0, max: 60 }), (date, n) => calendar.addWorkingDays(date, n + 1) > calendar.addWorkingDays(date, n)));
  });

  it("agrees with counting day by day", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 45 }), (date, n) => {
        let day = date;
        for (let counted = 0; counted < n; ) {
          day = addDays(day, 1);
          if (![0, 6].includes(dayOfWeek(day)) && !bankHolidays(Number(day.slice(0, 4))).some((h) => h.date === day)) counted++;
        }
        expect(calendar.addWorkingDays(date, n)).toBe(day);
      }),
    );
  });

  it("counting back undoes counting forward from a working day", () => {
    fc.assert(
      fc.property(isoDate.filter((d) => calendar.isWorkingDay(d)), fc.integer({ min: 1, max: 40 }), (date, n) => {
        expect(calendar.addWorkingDays(calendar.addWorkingDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it.each([
    ["2026-01-31", 1, "months", "2026-02-28"],
    ["2026-01-05", 2, "weeks", "2026-01-19"],
    ["2026-01-05", 3, "days", "2026-01-08"],
    ["2024-02-29", 1, "years", "2025-02-28"],
    ["2026-01-05", 10, "working-days", "2026-01-19"],
  ] as const)("addInterval(%s, %i %s) = %s", (date, n, unit, expected) => {
    expect(addInterval(calendar, date, n, unit)).toBe(expected);
  });
});
