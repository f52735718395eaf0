// Every definition of CONTRACT.md section 7 and of the snapshot (docs/stats.md), on items made by
// hand; the CLI tests hold the same figures against the timeline itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChildCase } from "../../src/casefile/repository.js";
import {
  childProfile,
  compareCodePoints,
  lookedAfterOn,
  lookedAfterTwelveMonths,
  medianDays,
  NONE,
  outcomeOf,
  periodStats,
  recurringDuties,
  roundHalfEven,
  ruleFilter,
  ruleMatches,
  share,
  snapshotStats,
  STATS_BY,
  unknownRulePatterns,
  type ChildProfile,
  type StatsItem,
} from "../../src/core/stats.js";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { loadDocumentTypes } from "../../src/doctypes.js";
import { resolvePolicy } from "../../src/timescales/policy.js";
import type { RuleInForce } from "../../src/timescales/rule.js";

const FROM = "2026-01-01";
const TO = "2026-03-31";

const item = (due: string, met: string | null, rule = "visit", child = "AB-1", preset = "england"): StatsItem => ({ child, rule, due, met, preset });

const profile = (id: string, fields: Partial<ChildProfile> = {}): ChildProfile => ({
  id,
  worker: NONE,
  team: NONE,
  dob: "2015-01-01",
  lookedAfterSince: "2025-01-06",
  leftCare: undefined,
  ...fields,
});

const period = (items: StatsItem[], by: (typeof STATS_BY)[number] = "rule", profiles = new Map<string, ChildProfile>()) =>
  periodStats(items, profiles, { from: FROM, to: TO, by, keep: () => true, policy: "england" });

describe("the four outcomes (as of --to)", () => {
  it.each([
    ["met before the due day", "2026-02-10", "2026-02-09", "on_time"],
    ["met on the due day", "2026-02-10", "2026-02-10", "on_time"],
    ["met the day after", "2026-02-10", "2026-02-11", "late"],
    ["not met, due before --to", "2026-03-30", null, "overdue"],
    ["not met, due on --to: still in time", TO, null, "open"],
    ["met on --to, due on --to", TO, TO, "on_time"],
    ["due on --from, met a month later", FROM, "2026-02-01", "late"],
  ] as const)("%s", (_, due, met, outcome) => {
    expect(outcomeOf({ due, met }, TO)).toBe(outcome);
  });
});

describe("the population: every item due from --from to --to, both days included", () => {
  it("keeps the items due on --from and on --to, and none outside", () => {
    const stats = period([item("2025-12-31", null), item(FROM, FROM), item(TO, null), item("2026-04-01", null)]);
    expect(stats.total).toEqual({ due: 2, on_time: 1, late: 0, overdue: 0, open: 1, share_on_time: 1, median_days_late: null });
  });

  it("a period with no items: zero counts, no share, no median, no groups", () => {
    const stats = period([item("2025-06-01", null)]);
    expect(stats.groups).toEqual([]);
    expect(stats.total).toEqual({ due: 0, on_time: 0, late: 0, overdue: 0, open: 0, share_on_time: null, median_days_late: null });
  });

  it("only open items: a share of nothing is null", () => {
    expect(period([item(TO, null)]).total).toMatchObject({ due: 1, open: 1, share_on_time: null });
  });

  it("a late item counts once, in the month it was due, not the month it was met", () => {
    const stats = period([item("2026-01-30", "2026-02-03")], "month");
    expect(stats.groups).toEqual([{ key: "2026-01", due: 1, on_time: 0, late: 1, overdue: 0, open: 0, share_on_time: 0, median_days_late: 4 }]);
  });

  it("--rule keeps only the rules it names; the total covers what is kept", () => {
    const items = [item("2026-02-01", null, "visit"), item("2026-02-01", null, "visit.placement"), item("2026-02-01", null, "review.first")];
    const stats = periodStats(items, new Map(), { from: FROM, to: TO, by: "rule", keep: ruleFilter(["visit.*"]), policy: "england" });
    expect(stats.groups.map((g) => g.key)).toEqual(["visit", "visit.placement"]);
    expect(stats.total.due).toBe(2);
  });
});

describe("share_on_time: on_time / (on_time + late + overdue), the exact fraction rounded half to even at 4 decimals", () => {
  it.each([
    [31, 39, 0.7949], // CONTRACT.md's example: 0.794871...
    [1, 3, 0.3333],
    [2, 3, 0.6667],
    [5, 16, 0.3125], // exact
    [1, 32, 0.0312], // 0.03125: a tie, to the even 2 (rounding half up would give 0.0313)
    [3, 32, 0.0938], // 0.09375: a tie, to the even 8
    [5, 32, 0.1562], // 0.15625: to the even 2
    [7, 32, 0.2188], // 0.21875: to the even 8
    [1, 80000, 0], // 0.0000125: below half
    [3, 80000, 0], // 0.0000375: below half of the last place
    [4, 80000, 0], // 0.00005: a tie, to the even 0.0000
    [12, 80000, 0.0002], // 0.00015: a tie, to the even 0.0002
    [0, 5, 0],
    [5, 5, 1],
  ])("%i / %i = %d", (part, whole, expected) => {
    expect(share(part, whole)).toBe(expected);
  });

  it("agrees with rounding the exact fraction by hand (integers only), for every fraction up to 200", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(200), (whole, raw) => {
        const part = raw % (whole + 1);
        const scaled = BigInt(part) * 10000n;
        const floor = scaled / BigInt(whole);
        const twice = 2n * (scaled - floor * BigInt(whole));
        const up = twice > BigInt(whole) || (twice === BigInt(whole) && floor % 2n === 1n);
        expect(share(part, whole)).toBe(Number(floor + (up ? 1n : 0n)) / 10000);
      }),
    );
  });

  it("is printed in JSON as the 4-decimal number", () => {
    expect(JSON.stringify(roundHalfEven(31, 39, 4))).toBe("0.7949");
    expect(JSON.stringify(roundHalfEven(2, 3, 4))).toBe("0.6667");
  });
});

describe("median_days_late: the median of (met - due) over the late items", () => {
  it.each([
    [[], null],
    [[9], 9],
    [[3, 1, 2], 2],
    [[1, 3], 2], // the mean of the two middle values
    [[1, 2], 2], // 1.5 rounds half up to 2
    [[2, 3, 10, 1], 3], // middle values 2 and 3: 2.5 rounds up to 3
    [[4, 4, 100, 1], 4],
    [[1, 4], 3], // 2.5 to 3
  ])("%j: %s", (days, expected) => {
    expect(medianDays(days)).toBe(expected);
  });

  it("counts calendar days and only late items", () => {
    const stats = period([item("2026-02-27", "2026-03-01"), item("2026-02-10", "2026-02-11"), item("2026-02-10", "2026-02-01"), item("2026-02-10", null)]);
    // late by 2 (27 Feb to 1 Mar 2026) and by 1: the median is 1.5, rounded half up to 2
    expect(stats.total).toMatchObject({ late: 2, on_time: 1, overdue: 1, median_days_late: 2 });
  });
});

describe("keys and their order", () => {
  const profiles = new Map([
    ["AB-1", profile("AB-1", { worker: "Jo Khan", team: "North" })],
    ["CD-2", profile("CD-2", { worker: "\u{1F600} Emoji", team: NONE })],
    ["EF-3", profile("EF-3", { worker: "\uFFFD Replacement" })],
  ]);
  const items = [item("2026-02-01", null, "visit", "AB-1"), item("2026-02-01", null, "visit", "CD-2"), item("2026-02-01", null, "visit", "EF-3"), item("2026-02-01", null, "visit", "GH-4", "local")];

  it("worker and team from the profile, (none) without one; child by id", () => {
    expect(period(items, "worker", profiles).groups.map((g) => g.key)).toEqual(["(none)", "Jo Khan", "\uFFFD Replacement", "\u{1F600} Emoji"]);
    expect(period(items, "team", profiles).groups.map((g) => [g.key, g.due])).toEqual([["(none)", 3], ["North", 1]]);
    expect(period(items, "child", profiles).groups.map((g) => g.key)).toEqual(["AB-1", "CD-2", "EF-3", "GH-4"]);
    expect(period(items, "preset", profiles).groups.map((g) => [g.key, g.due])).toEqual([["england", 3], ["local", 1]]);
  });

  it("sorts by code point, not by UTF-16 unit (U+FFFD before U+1F600)", () => {
    expect(compareCodePoints("\uFFFD", "\u{1F600}")).toBeLessThan(0);
    expect("\uFFFD" < "\u{1F600}").toBe(false); // what JavaScript's own comparison says
    expect(["b", "a", "B", "(none)", "ab", "a"].sort(compareCodePoints)).toEqual(["(none)", "B", "a", "a", "ab", "b"]);
  });

  const child = (data: Record<string, unknown> | undefined): ChildCase =>
    ({ id: "AB-1", folder: "children/AB-1", profile: data === undefined ? { file: "children/AB-1/child.md", sections: [] } : { file: "children/AB-1/child.md", data, sections: [] }, documents: [], misnamed: [] }) as unknown as ChildCase;

  it.each([
    ["a name and a team", { social_worker: { name: "Jo Khan", team: "North" } }, "Jo Khan", "North"],
    ["no social_worker", {}, NONE, NONE],
    ["social_worker: null", { social_worker: null }, NONE, NONE],
    ["a name, no team", { social_worker: { name: "Jo Khan" } }, "Jo Khan", NONE],
    ["name: null, team empty", { social_worker: { name: null, team: "" } }, NONE, NONE],
    ["blank name", { social_worker: { name: "   ", team: "North" } }, NONE, "North"],
    ["not text", { social_worker: { name: 42, team: ["North"] } }, NONE, NONE],
    ["social_worker a string", { social_worker: "Jo Khan" }, NONE, NONE],
    ["a profile whose front matter does not parse", undefined, NONE, NONE],
    ["kept as written", { social_worker: { name: " Jo  Khan ", team: "north" } }, " Jo  Khan ", "north"],
  ])("%s", (_, data, worker, team) => {
    expect(childProfile(child(data))).toMatchObject({ worker, team });
  });
});

describe("--rule", () => {
  it.each([
    ["visit", "visit", true],
    ["visit", "visit.placement", false],
    ["visit.*", "visit", true],
    ["visit.*", "visit.placement", true],
    ["visit.*", "visitor", false],
    ["visit.*", "visit-extra", false],
    ["review.first.*", "review.first", true],
    ["review.*", "review.first", true],
    ["*", "visit", false],
  ])("%s keeps %s: %s", (pattern, rule, kept) => {
    expect(ruleMatches(pattern, rule)).toBe(kept);
  });

  it("names the patterns that keep no rule in force", () => {
    expect(unknownRulePatterns(["visit.*", "revew.first", "cpm.*", "action"], ["visit", "review.first", "action"])).toEqual(["revew.first", "cpm.*"]);
  });
});

describe("recurring duties", () => {
  const rule = (fields: Record<string, unknown>): RuleInForce => ({ title: "t", interval: 1, unit: "months", preset: "england", ...fields }) as RuleInForce;

  it("a recurrence's chain with every rule met by the same kind of document; none for a date field or a type nothing recurs on", () => {
    const duties = recurringDuties([
      rule({ id: "visit.placement", kind: "deadline", from: { placement: "all" }, met_by: { type: "visit" } }),
      rule({ id: "visit", kind: "recurrence", type: "visit" }),
      rule({ id: "visit.unannounced", kind: "recurrence", type: "visit", where: { unannounced: true }, preset: "sparks-fostering" }),
      rule({ id: "review.first", kind: "deadline", from: "entered-care", met_by: { type: "review" } }),
      rule({ id: "review.second", kind: "recurrence", type: "review", cycle: "first" }),
      rule({ id: "review.subsequent", kind: "recurrence", type: "review", cycle: "later" }),
      rule({ id: "review.record", kind: "deadline", from: { document: "review" }, met_by: { field: "record_circulated" } }),
      rule({ id: "care-plan", kind: "deadline", from: "entered-care", met_by: { type: "care-plan" } }),
      rule({ id: "checkup", kind: "recurrence", type: "health-assessment", preset: "local" }),
      rule({ id: "first-checkup", kind: "deadline", from: "entered-care", met_by: { type: "health-assessment" }, preset: "local" }),
      rule({ id: "action", kind: "actions", types: ["care-plan"] }),
    ]);
    expect(duties).toEqual([
      { id: "health-assessment", rules: ["checkup", "first-checkup"], preset: "local" }, // no common start: the type
      { id: "review", rules: ["review.first", "review.second", "review.subsequent"], preset: "england" },
      { id: "visit", rules: ["visit", "visit.placement"], preset: "england" },
      { id: "visit.unannounced", rules: ["visit.unannounced"], preset: "sparks-fostering" },
    ]);
  });

  it("comes from the policy in force, whatever its rules are called", () => {
    const types = [...loadDocumentTypes().keys()];
    const duties = recurringDuties(resolvePolicy({ ...DEFAULT_CONFIG, policy: ["england", "care-planning-meetings"] }, types).rules);
    expect(duties.find((d) => d.id === "review")?.rules).toEqual(expect.arrayContaining(["review.first", "review.second", "review.subsequent"]));
    expect(duties.find((d) => d.id === "cpm")).toMatchObject({ rules: ["cpm", "cpm.placement"], preset: "care-planning-meetings" });
    expect(duties.flatMap((d) => d.rules)).not.toContain("review.record");
    expect(duties.flatMap((d) => d.rules)).not.toContain("cpm.minutes");
  });
});

describe("looked after on a day", () => {
  it.each([
    ["care began that day", { lookedAfterSince: "2026-03-02" }, true],
    ["care begins the day after", { lookedAfterSince: "2026-03-03" }, false],
    ["left care that day (the day still counts)", { leftCare: "2026-03-02" }, true],
    ["left care the day before", { leftCare: "2026-03-01" }, false],
    ["the 18th birthday", { dob: "2008-03-02" }, false],
    ["the day before the 18th birthday", { dob: "2008-03-03" }, true],
    ["no valid dates", { lookedAfterSince: undefined }, false],
  ])("%s", (_, fields, expected) => {
    expect(lookedAfterOn(profile("AB-1", fields), "2026-03-02")).toBe(expected);
  });

  it.each([
    ["12 months to the day", "2025-03-02", true],
    ["a day short", "2025-03-03", false],
    ["31 Aug + 12 months is 31 Aug", "2025-08-31", false],
  ])("12 months or more: %s", (_, since, expected) => {
    expect(lookedAfterTwelveMonths(profile("AB-1", { lookedAfterSince: since }), "2026-03-02")).toBe(expected);
  });
});

describe("the snapshot", () => {
  const D = "2026-03-02";
  const duties = [
    { id: "review", rules: ["review.first", "review.second"], preset: "england" },
    { id: "visit", rules: ["visit", "visit.placement"], preset: "england" },
  ];
  const profiles = new Map([
    ["AB-1", profile("AB-1", { worker: "Jo Khan", lookedAfterSince: "2026-01-05" })],
    ["CD-2", profile("CD-2", { worker: "Jo Khan", lookedAfterSince: "2024-06-01" })],
    ["EF-3", profile("EF-3", { leftCare: "2026-02-01" })],
    ["GH-4", profile("GH-4", { lookedAfterSince: "2025-03-02" })],
  ]);
  const items = [
    // AB-1: the first review met late and the second to come: in date. The first visit overdue while the chain's next is to come: not in date.
    item("2026-02-02", "2026-02-05", "review.first", "AB-1"),
    item("2026-05-05", null, "review.second", "AB-1"),
    item("2026-01-12", null, "visit.placement", "AB-1"),
    item("2026-03-20", null, "visit", "AB-1"),
    // CD-2: a visit due on the day itself, not met: not yet due, so in date. No review item: no review duty.
    item("2026-01-19", "2026-01-19", "visit", "CD-2"),
    item(D, null, "visit", "CD-2"),
    // EF-3 left care before the day: not counted, overdue or not.
    item("2026-01-19", null, "visit", "EF-3"),
    // GH-4: 12 months on the day; the review overdue since the day before.
    item("2026-03-01", null, "review.second", "GH-4"),
    // A rule of no duty is no part of the snapshot.
    item("2026-01-01", null, "review.record", "GH-4"),
  ];

  it("counts each child's duties: in date when none of its items is overdue", () => {
    const stats = snapshotStats(items, profiles, duties, { date: D, by: "rule", keep: () => true, policy: "england" });
    expect(stats).toMatchObject({ snapshot: D, looked_after: 3, looked_after_12_months: 2 });
    expect(stats.groups).toEqual([
      { key: "review", counted: 2, in_date: 1, not_in_date: 1, share_in_date: 0.5, looked_after_12_months: { counted: 1, in_date: 0, not_in_date: 1, share_in_date: 0 } },
      { key: "visit", counted: 2, in_date: 1, not_in_date: 1, share_in_date: 0.5, looked_after_12_months: { counted: 1, in_date: 1, not_in_date: 0, share_in_date: 1 } },
    ]);
    expect(stats.total).toEqual({ counted: 4, in_date: 2, not_in_date: 2, share_in_date: 0.5, looked_after_12_months: { counted: 2, in_date: 1, not_in_date: 1, share_in_date: 0.5 } });
  });

  it("groups by worker and by child; --rule narrows the duties", () => {
    const byWorker = snapshotStats(items, profiles, duties, { date: D, by: "worker", keep: () => true, policy: "england" });
    expect(byWorker.groups.map((g) => [g.key, g.counted, g.in_date])).toEqual([["(none)", 1, 0], ["Jo Khan", 3, 2]]);
    const visits = snapshotStats(items, profiles, duties, { date: D, by: "child", keep: ruleFilter(["visit"]), policy: "england" });
    // AB-1's first visit in the placement is no longer counted: only the chain of `visit`
    expect(visits.groups.map((g) => [g.key, g.counted, g.in_date])).toEqual([["AB-1", 1, 1], ["CD-2", 1, 1]]);
    expect(visits.duties).toEqual([{ duty: "visit", rules: ["visit"], preset: "england" }]);
  });

  it("nothing to count: null shares", () => {
    const stats = snapshotStats([], profiles, duties, { date: D, by: "rule", keep: () => true, policy: "england" });
    expect(stats.total).toEqual({ counted: 0, in_date: 0, not_in_date: 0, share_in_date: null, looked_after_12_months: { counted: 0, in_date: 0, not_in_date: 0, share_in_date: null } });
  });
});

describe("groups always add up to the total", () => {
  const day = fc.integer({ min: 0, max: 120 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const children = ["AB-1", "CD-2", "EF-3", "GH-4"];
  const arbitraryItem = fc.record({
    child: fc.constantFrom(...children),
    rule: fc.constantFrom("visit", "visit.placement", "review.first", "review.second", "action", "cpm"),
    due: day,
    met: fc.option(day, { nil: null }),
    preset: fc.constantFrom("england", "care-planning-meetings", "local"),
  });
  const arbitraryProfile = (id: string) =>
    fc.record({
      worker: fc.constantFrom(NONE, "Jo Khan", "Sam Lee", "=x"),
      team: fc.constantFrom(NONE, "North", "South"),
      lookedAfterSince: fc.constantFrom("2025-01-01", "2026-02-01", "2026-05-01"),
      leftCare: fc.constantFrom(undefined, "2026-02-15"),
    }).map((fields) => profile(id, fields));
  const arbitraryProfiles = fc.tuple(...children.map(arbitraryProfile)).map((list) => new Map(list.map((p) => [p.id, p])));
  const period = fc.tuple(day, day).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

  it.each(STATS_BY.map((by) => [by]))("period, --by %s", (by) => {
    fc.assert(
      fc.property(fc.array(arbitraryItem, { maxLength: 60 }), arbitraryProfiles, period, (items, profiles, [from, to]) => {
        const stats = periodStats(items, profiles, { from: from!, to: to!, by, keep: () => true, policy: "p" });
        for (const figure of ["due", "on_time", "late", "overdue", "open"] as const) {
          expect(stats.groups.reduce((sum, g) => sum + g[figure], 0)).toBe(stats.total[figure]);
        }
        expect(stats.total.due).toBe(items.filter((i) => i.due >= from! && i.due <= to!).length);
        expect(stats.total.on_time + stats.total.late + stats.total.overdue + stats.total.open).toBe(stats.total.due);
        expect(new Set(stats.groups.map((g) => g.key)).size).toBe(stats.groups.length);
      }),
    );
  });

  it.each(STATS_BY.filter((by) => by !== "month").map((by) => [by]))("snapshot, --by %s", (by) => {
    const duties = [
      { id: "review", rules: ["review.first", "review.second"], preset: "england" },
      { id: "visit", rules: ["visit", "visit.placement"], preset: "england" },
      { id: "cpm", rules: ["cpm"], preset: "care-planning-meetings" },
    ];
    fc.assert(
      fc.property(fc.array(arbitraryItem, { maxLength: 60 }), arbitraryProfiles, day, (items, profiles, date) => {
        const stats = snapshotStats(items, profiles, duties, { date, by: by as Exclude<typeof by, "month">, keep: () => true, policy: "p" });
        for (const figure of ["counted", "in_date", "not_in_date"] as const) {
          expect(stats.groups.reduce((sum, g) => sum + g[figure], 0)).toBe(stats.total[figure]);
          expect(stats.groups.reduce((sum, g) => sum + g.looked_after_12_months[figure], 0)).toBe(stats.total.looked_after_12_months[figure]);
        }
      }),
    );
  });
});
