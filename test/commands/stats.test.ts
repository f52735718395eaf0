// `careplan stats` end to end: figures counted by hand over fixtures/stats/caseload and the bundled
// example, every figure held equal to a count over `timeline --all` on the same repository,
// the formats, confidentiality and the exit codes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import type { PeriodFigures, PeriodStats, SnapshotStats } from "../../src/core/stats.js";
import { formatStatsCsv } from "../../src/reporters/stats/csv.js";
import { formatStatsJson } from "../../src/reporters/stats/json.js";
import { formatStatsMarkdown } from "../../src/reporters/stats/markdown.js";
import { formatStatsTable } from "../../src/reporters/stats/table.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const CASELOAD = join(PACKAGE_ROOT, "fixtures/stats/caseload");
const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
const PERIOD = ["--from", "2026-01-12", "--to", "2026-02-02"];

type Figures = PeriodFigures;
type Stats = PeriodStats;
interface TimelineItem {
  child: string;
  rule: string;
  due: string;
  status: string;
  met: string | null;
  preset: string;
}

async function json<T>(args: string[]): Promise<T> {
  const run = await runCli([...args, "--format", "json"], { cwd: PACKAGE_ROOT });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** [key, due, on_time, late, overdue, open, share_on_time, median_days_late] */
type Row = [string, number, number, number, number, number, number | null, number | null];
const rows = (stats: Stats): Row[] => stats.groups.map((g) => [g.key, g.due, g.on_time, g.late, g.overdue, g.open, g.share_on_time, g.median_days_late]);
const figures = ([, due, on_time, late, overdue, open, share_on_time, median_days_late]: Row): Figures => ({ due, on_time, late, overdue, open, share_on_time, median_days_late });

// fixtures/stats/caseload, items due from Mon 12 Jan to Mon 2 Feb 2026, as of 2 Feb (policy england).
// ST-1 entered care Mon 5 Jan 2026, aged 9:
//   placement-plan     5 Jan + 5 working days = Mon 12 Jan (= --from); plan dated 12 Jan: on time, on the due day
//   visit.placement    5 Jan + 1 week = Mon 12 Jan; first visit 13 Jan: late by 1 day
//   care-plan          5 Jan + 10 working days = Mon 19 Jan; care plan 21 Jan: late by 2 days
//   pep.initial        Mon 19 Jan; no PEP: overdue
//   action             its when, 30 Jan; done 30 Jan: on time
//   health-assessment.initial  5 Jan + 20 working days = Mon 2 Feb (= --to); none: open
//   review.first       Mon 2 Feb; review dated 2 Feb: on time
//   (visit 13 Jan + 6 weeks = 24 Feb, review.record, permanence-plan, review.second: after --to)
// ST-2 entered care Sun 4 Jan 2026 (no social worker's name; team `South, "East"`):
//   visit.placement    4 Jan + 1 week = Sun 11 Jan, the day before --from: not counted (nor placement-plan, Fri 9 Jan)
//   care-plan          4 Jan + 10 working days = Fri 16 Jan; care plan 16 Jan: on time
//   pep.initial        Fri 16 Jan; none: overdue
//   review.first       4 Jan + 20 working days = Fri 30 Jan; review 29 Jan: on time
//   health-assessment.initial  Fri 30 Jan; the assessment dated 3 Feb has not happened on 2 Feb: overdue
// ST-3 in care since 2025 (worker `=HYPERLINK(...)`, team `+44 North`):
//   action             its when, 20 Jan; not done: overdue
//   (visit 23 Dec 2025 + 6 weeks = Tue 3 Feb, the day after --to: not counted; the rest fell due in 2025)
// ST-5 left care on 31 Jan 2026: everything it has fell due in 2025. ST-4's profile does not parse: no items.
const BY_RULE: Row[] = [
  ["action", 2, 1, 0, 1, 0, 0.5, null], // ST-1 on time, ST-3 overdue
  ["care-plan", 2, 1, 1, 0, 0, 0.5, 2], // ST-2 on time, ST-1 2 days late
  ["health-assessment.initial", 2, 0, 0, 1, 1, 0, null], // ST-2 overdue, ST-1 open (not in the share)
  ["pep.initial", 2, 0, 0, 2, 0, 0, null],
  ["placement-plan", 1, 1, 0, 0, 0, 1, null],
  ["review.first", 2, 2, 0, 0, 0, 1, null],
  ["visit.placement", 1, 0, 1, 0, 0, 0, 1],
];
// 12 items: 5 on time, 2 late (1 and 2 days: the median 1.5 rounds half up to 2), 4 overdue, 1 open; 5/11 = 0.4545
const TOTAL: Row = ["", 12, 5, 2, 4, 1, 0.4545, 2];

describe("figures counted by hand (fixtures/stats/caseload)", () => {
  it("--by rule (the default)", async () => {
    const stats = await json<Stats>(["stats", CASELOAD, ...PERIOD]);
    expect(stats).toMatchObject({ from: "2026-01-12", to: "2026-02-02", policy: "england", by: "rule" });
    expect(rows(stats)).toEqual(BY_RULE);
    expect(stats.total).toEqual(figures(TOTAL));
    expect(Object.keys(stats)).toEqual(["from", "to", "policy", "by", "groups", "total"]);
    expect(Object.keys(stats.groups[0]!)).toEqual(["key", "due", "on_time", "late", "overdue", "open", "share_on_time", "median_days_late"]);
  });

  it.each([
    [
      "worker",
      [
        ["(none)", 4, 2, 0, 2, 0, 0.5, null], // ST-2: an empty name
        ['=HYPERLINK("https://example.org","x")', 1, 0, 0, 1, 0, 0, null], // ST-3
        ["Jo Khan", 7, 3, 2, 1, 1, 0.5, 2], // ST-1: 3 of 6
      ],
    ],
    [
      "team",
      [
        ["(none)", 7, 3, 2, 1, 1, 0.5, 2], // ST-1 has no team
        ["+44 North", 1, 0, 0, 1, 0, 0, null],
        ['South, "East"', 4, 2, 0, 2, 0, 0.5, null],
      ],
    ],
    [
      "child",
      [
        ["ST-1", 7, 3, 2, 1, 1, 0.5, 2],
        ["ST-2", 4, 2, 0, 2, 0, 0.5, null],
        ["ST-3", 1, 0, 0, 1, 0, 0, null],
      ],
    ],
    [
      "month",
      [
        ["2026-01", 10, 4, 2, 4, 0, 0.4, 2], // all but ST-1's two items due on 2 Feb; both late items were due in January
        ["2026-02", 2, 1, 0, 0, 1, 1, null],
      ],
    ],
    ["preset", [["england", 12, 5, 2, 4, 1, 0.4545, 2]]],
  ] as [string, Row[]][])("--by %s", async (by, expected) => {
    const stats = await json<Stats>(["stats", CASELOAD, ...PERIOD, "--by", by]);
    expect(rows(stats)).toEqual(expected);
    expect(stats.total).toEqual(figures(TOTAL));
  });

  it("--rule keeps a family, several --rule options add up", async () => {
    const visits = await json<Stats>(["stats", CASELOAD, ...PERIOD, "--rule", "visit.*"]);
    expect(rows(visits)).toEqual([["visit.placement", 1, 0, 1, 0, 0, 0, 1]]);
    expect(visits.total).toEqual(figures(["", 1, 0, 1, 0, 0, 0, 1]));
    const two = await json<Stats>(["stats", CASELOAD, ...PERIOD, "--rule", "review.first", "--rule", "care-plan", "--by", "child"]);
    expect(rows(two)).toEqual([
      ["ST-1", 2, 1, 1, 0, 0, 0.5, 2],
      ["ST-2", 2, 2, 0, 0, 0, 1, null],
    ]);
  });

  it("a one-day period: --from equal to --to", async () => {
    const stats = await json<Stats>(["stats", CASELOAD, "--from", "2026-02-02", "--to", "2026-02-02"]);
    // ST-1's first review held that day, its health assessment due that day and still open
    expect(rows(stats)).toEqual([
      ["health-assessment.initial", 1, 0, 0, 0, 1, null, null],
      ["review.first", 1, 1, 0, 0, 0, 1, null],
    ]);
  });

  it("a period in which nothing fell due", async () => {
    const stats = await json<Stats>(["stats", CASELOAD, "--from", "2030-01-01", "--to", "2030-01-31"]);
    expect(stats.groups).toEqual([]);
    expect(stats.total).toEqual({ due: 0, on_time: 0, late: 0, overdue: 0, open: 0, share_on_time: null, median_days_late: null });
  });

  it("paths combine as for timeline: a child's folder and one of its documents count the child once", async () => {
    const child = join(CASELOAD, "children/ST-1");
    const stats = await json<Stats>(["stats", child, join(child, "2026-01-13-visit.md"), join(CASELOAD, "children/ST-3"), ...PERIOD, "--by", "child"]);
    expect(rows(stats)).toEqual([
      ["ST-1", 7, 3, 2, 1, 1, 0.5, 2],
      ["ST-3", 1, 0, 0, 1, 0, 0, null],
    ]);
  });

  it("names the child left out in one warning line, and goes on", async () => {
    const run = await runCli(["stats", CASELOAD, ...PERIOD, "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("warning: children/ST-4/child.md: the child is left out of the timeline: its front matter cannot be read. Run `careplan check` for details.\n");
  });
});

// fixtures/example (fixtures/example/README.md), policy england + care-planning-meetings.
describe("figures counted by hand (the bundled example)", () => {
  it("February 2026 to 3 March, as of 3 March", async () => {
    const stats = await json<Stats>(["stats", EXAMPLE, "--from", "2026-02-01", "--to", "2026-03-03"]);
    expect(rows(stats)).toEqual([
      ["action", 5, 5, 0, 0, 0, 1, null], // JK 10 Feb, AB 13 and 16 Feb, JK 20 Feb, GH 27 Feb: each done by its when
      ["cpm", 4, 3, 0, 0, 1, 1, null], // EF 16 Feb (met that day), AB 18 Feb, JK 24 Feb; GH 20 Jan + 6 weeks = 3 Mar: open
      ["cpm.minutes", 3, 3, 0, 0, 0, 1, null], // EF and JK 23 Feb, AB 24 Feb
      ["cpm.placement", 2, 2, 0, 0, 0, 1, null], // JK 13 Feb + 3 days, CD 23 Feb + 3 days
      ["health-assessment.initial", 1, 1, 0, 0, 0, 1, null], // AB 5 Jan + 20 working days = 2 Feb, assessed 26 Jan
      ["pep", 1, 0, 0, 1, 0, 0, null], // GH 1 Oct 2025 + 4 months = 1 Feb: no PEP since
      ["placement-plan", 2, 2, 0, 0, 0, 1, null], // JK 13 Feb + 5 working days = 20 Feb, CD 23 Feb + 5 = 2 Mar
      ["review.first", 1, 1, 0, 0, 0, 1, null], // AB 2 Feb, held that day
      ["review.record", 3, 2, 0, 1, 0, 0.6667, null], // GH 3 Feb and AB 2 Mar circulated in time; JK 24 Feb not circulated
      ["review.subsequent", 1, 1, 0, 0, 0, 1, null], // JK 2 Sep 2025 + 6 months = 2 Mar, held 27 Jan
      ["visit", 4, 4, 0, 0, 0, 1, null], // EF 10 Feb, AB 20 Feb, GH 25 Feb, JK 20 Jan + 6 weeks = 3 Mar (visited 16 Feb)
      ["visit.placement", 2, 2, 0, 0, 0, 1, null], // JK 20 Feb, CD 2 Mar
    ]);
    // 29 items: 26 on time, 2 overdue, 1 open; 26 / 28 = 0.928571... = 0.9286
    expect(stats.total).toEqual(figures(["", 29, 26, 0, 2, 1, 0.9286, null]));
  });

  it("April to July 2025 by month: GH-5120's late items count in April, when they were due", async () => {
    const stats = await json<Stats>(["stats", EXAMPLE, "--from", "2025-04-01", "--to", "2025-07-31", "--by", "month"]);
    expect(rows(stats)).toEqual([
      // GH-5120's first review 14 Jan 2025: the second was due 14 Apr and held 8 Jul (85 days late); the
      // permanence plan was due 14 Apr and agreed in the care plan of 10 Jul (87 days): median (85 + 87) / 2 = 86
      ["2025-04", 2, 0, 2, 0, 0, 0, 86],
      // JK-7788 entered care Mon 12 May 2025: cpm.placement 15 May, placement-plan and visit.placement 19 May, minutes 21 May,
      // care plan and PEP 27 May (10 working days, 26 May a bank holiday): all met in time
      ["2025-05", 6, 6, 0, 0, 0, 1, null],
      // JK-7788: first review and health assessment 10 Jun (20 working days), meeting 25 Jun, visit 27 Jun: in time
      ["2025-06", 4, 4, 0, 0, 0, 1, null],
      // JK-7788: minutes of 25 Jun by 2 Jul, review record of 6 Jun by 4 Jul: in time
      ["2025-07", 2, 2, 0, 0, 0, 1, null],
    ]);
    expect(stats.total).toEqual(figures(["", 14, 12, 2, 0, 0, 0.8571, 86]));
  });
});

type Snapshot = SnapshotStats;
/** [key, counted, in_date, share_in_date, 12 months: counted, in_date] */
const snapshotRows = (stats: Snapshot) =>
  stats.groups.map((g) => [g.key, g.counted, g.in_date, g.share_in_date, g.looked_after_12_months.counted, g.looked_after_12_months.in_date]);

describe("the snapshot, counted by hand", () => {
  it("the example on 2 March 2026: five children in care, GH-5120 for 12 months or more", async () => {
    const stats = await json<Snapshot>(["stats", EXAMPLE, "--snapshot", "2026-03-02"]);
    expect(stats).toMatchObject({ snapshot: "2026-03-02", policy: "england+care-planning-meetings", by: "rule", looked_after: 5, looked_after_12_months: 1 });
    expect(stats.duties.map((d) => d.duty)).toEqual(["cpm", "health-assessment", "pep", "review", "visit"]);
    expect(snapshotRows(stats)).toEqual([
      ["cpm", 5, 5, 1, 1, 1], // GH-5120's next meeting is due 3 Mar: not yet due
      ["health-assessment", 5, 5, 1, 1, 1], // CD-2210's initial one is due 23 Mar: not yet due
      ["pep", 4, 3, 0.75, 1, 0], // EF-0317 (aged 2) has no PEP deadline; GH-5120's PEP due 1 Feb is overdue
      ["review", 5, 5, 1, 1, 1],
      ["visit", 5, 5, 1, 1, 1],
    ]);
    // 24 child-duties, 23 in date: 0.958333... = 0.9583; GH-5120's 5 duties, 4 in date
    expect(stats.total).toEqual({ counted: 24, in_date: 23, not_in_date: 1, share_in_date: 0.9583, looked_after_12_months: { counted: 5, in_date: 4, not_in_date: 1, share_in_date: 0.8 } });
  });

  it("fixtures/stats/caseload: a day later, a late assessment puts a child in date; who has left care is not counted", async () => {
    // On 2 Feb: ST-1, ST-2, ST-3 in care (ST-5 left on 31 Jan); ST-3 for 12 months or more.
    // health-assessment: ST-1 due that day (in date), ST-2 overdue since 30 Jan, ST-3 overdue since 2025
    // pep: all three overdue; review: ST-3's first review overdue; visit: all in date (ST-3's next on 3 Feb)
    const onSecond = await json<Snapshot>(["stats", CASELOAD, "--snapshot", "2026-02-02"]);
    expect(onSecond).toMatchObject({ looked_after: 3, looked_after_12_months: 1 });
    expect(snapshotRows(onSecond)).toEqual([
      ["health-assessment", 3, 1, 0.3333, 1, 0],
      ["pep", 3, 0, 0, 1, 0],
      ["review", 3, 2, 0.6667, 1, 0],
      ["visit", 3, 3, 1, 1, 1],
    ]);
    // On 3 Feb ST-2's assessment dated that day meets its initial one, late: in date. ST-1's, due on 2 Feb, is now
    // overdue. ST-3's visit, due that day, is not yet due: in date.
    const onThird = await json<Snapshot>(["stats", CASELOAD, "--snapshot", "2026-02-03", "--rule", "health-assessment.*", "--rule", "visit.*", "--by", "child"]);
    expect(snapshotRows(onThird)).toEqual([
      ["ST-1", 2, 1, 0.5, 0, 0],
      ["ST-2", 2, 2, 1, 0, 0],
      ["ST-3", 2, 1, 0.5, 2, 1],
    ]);
    // On 31 Jan ST-5 is still in care (the day of leaving counts): its visit, review, assessment and PEP all overdue.
    const onLeaving = await json<Snapshot>(["stats", CASELOAD, "--snapshot", "2026-01-31", "--by", "child"]);
    expect(onLeaving.looked_after).toBe(4);
    expect(snapshotRows(onLeaving).find(([key]) => key === "ST-5")).toEqual(["ST-5", 4, 0, 0, 0, 0]);
  });
});

/** Every figure of stats, counted again from timeline --all --as-of <to> (and, per worker or team, with timeline's own filters). */
describe("stats counts the timeline's items", () => {
  const outcome = (item: TimelineItem, to: string) => (item.met !== null ? (item.met <= item.due ? "on_time" : "late") : item.due < to ? "overdue" : "open");
  const count = (items: TimelineItem[], to: string) => {
    const tally = { due: items.length, on_time: 0, late: 0, overdue: 0, open: 0 };
    for (const item of items) tally[outcome(item, to)]++;
    return tally;
  };
  const keyOf: Record<string, (item: TimelineItem) => string> = {
    rule: (i) => i.rule,
    child: (i) => i.child,
    month: (i) => i.due.slice(0, 7),
    preset: (i) => i.preset,
  };

  it.each([
    [CASELOAD, "2026-01-12", "2026-02-02"],
    [CASELOAD, "2025-01-01", "2026-06-30"],
    [EXAMPLE, "2025-04-01", "2026-03-31"],
    [EXAMPLE, "2023-01-01", "2026-03-02"],
    [join(PACKAGE_ROOT, "fixtures/timeline/caseload"), "2025-10-01", "2026-03-31"],
  ])("%s from %s to %s", async (repository, from, to) => {
    const timeline = await json<{ items: TimelineItem[] }>(["timeline", repository, "--all", "--as-of", to]);
    const inPeriod = timeline.items.filter((item) => item.due >= from && item.due <= to);
    for (const by of ["rule", "child", "month", "preset"]) {
      const stats = await json<Stats>(["stats", repository, "--from", from, "--to", to, "--by", by]);
      const keys = [...new Set(inPeriod.map(keyOf[by]!))];
      expect(stats.groups.map((g) => g.key).sort()).toEqual(keys.sort());
      for (const group of stats.groups) expect(group).toMatchObject(count(inPeriod.filter((item) => keyOf[by]!(item) === group.key), to));
      expect(stats.total).toMatchObject(count(inPeriod, to));
    }
    for (const [by, filter] of [["worker", "--worker"], ["team", "--team"]] as const) {
      const stats = await json<Stats>(["stats", repository, "--from", from, "--to", to, "--by", by]);
      for (const group of stats.groups.filter((g) => g.key !== "(none)")) {
        const mine = await json<{ items: TimelineItem[] }>(["timeline", repository, "--all", "--as-of", to, filter, group.key]);
        expect(group).toMatchObject(count(mine.items.filter((item) => item.due >= from && item.due <= to), to));
      }
    }
  });

  it("and so does the snapshot: a child's duty is in date when none of its items is overdue", async () => {
    // Every child of the example is in care on the day (none has left, none is 18).
    const day = "2026-03-02";
    const timeline = await json<{ items: TimelineItem[] }>(["timeline", EXAMPLE, "--all", "--as-of", day]);
    const stats = await json<Snapshot>(["stats", EXAMPLE, "--snapshot", day, "--by", "child"]);
    const byChild = new Map<string, { counted: number; in_date: number }>();
    for (const duty of stats.duties) {
      for (const child of new Set(timeline.items.map((item) => item.child))) {
        const items = timeline.items.filter((item) => item.child === child && duty.rules.includes(item.rule));
        if (items.length === 0) continue;
        const tally = byChild.get(child) ?? { counted: 0, in_date: 0 };
        tally.counted++;
        if (!items.some((item) => item.status === "overdue")) tally.in_date++;
        byChild.set(child, tally);
      }
    }
    expect(stats.groups.map((g) => [g.key, g.counted, g.in_date])).toEqual([...byChild].sort().map(([child, t]) => [child, t.counted, t.in_date]));
  });
});

describe("formats", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it("csv: the JSON keys as headers, a row per group then the total, CRLF, RFC 4180 quoting, formulas neutralised", async () => {
    const run = await runCli(["stats", CASELOAD, ...PERIOD, "--by", "team", "--format", "csv"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "key,due,on_time,late,overdue,open,share_on_time,median_days_late",
        "(none),7,3,2,1,1,0.5,2",
        "'+44 North,1,0,0,1,0,0,", // a cell that begins with + would be a formula
        '"South, ""East""",4,2,0,2,0,0.5,', // a comma and quotes: quoted, quotes doubled
        "(total),12,5,2,4,1,0.4545,2",
        "",
      ].join("\r\n"),
    );
    const workers = await runCli(["stats", CASELOAD, ...PERIOD, "--by", "worker", "--format", "csv"], { cwd: PACKAGE_ROOT });
    expect(workers.stdout.split("\r\n")[2]).toBe(`"'=HYPERLINK(""https://example.org"",""x"")",1,0,0,1,0,0,`);
  });

  it("csv: months stay ISO (YYYY-MM); the snapshot flattens its 12-month figures", async () => {
    const months = await runCli(["stats", CASELOAD, ...PERIOD, "--by", "month", "--format", "csv"], { cwd: PACKAGE_ROOT });
    expect(months.stdout.split("\r\n").map((line) => line.split(",")[0])).toEqual(["key", "2026-01", "2026-02", "(total)", ""]);
    const snapshot = await runCli(["stats", EXAMPLE, "--snapshot", "2026-03-02", "--format", "csv"], { cwd: PACKAGE_ROOT });
    expect(snapshot.stdout.split("\r\n").slice(0, 2)).toEqual([
      "key,counted,in_date,not_in_date,share_in_date,looked_after_12_months.counted,looked_after_12_months.in_date,looked_after_12_months.not_in_date,looked_after_12_months.share_in_date",
      "cpm,5,5,0,1,1,1,0,1",
    ]);
  });

  it("table: aligned, the total last, shares as percentages with a bar; colour only when asked or on a terminal", async () => {
    const run = await runCli(["stats", CASELOAD, ...PERIOD, "--by", "month"], { cwd: PACKAGE_ROOT });
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("Timeliness of what fell due from 2026-01-12 to 2026-02-02, by month (policy england)");
    expect(lines.slice(2, 7)).toEqual([
      "Month    Due  On time  Late  Overdue  Open  % on time  Median days late",
      "2026-01   10        4     2        4     0      40.0%                 2  ████████░░░░░░░░░░░░",
      "2026-02    2        1     0        0     1     100.0%                 -  ████████████████████",
      "-".repeat(93),
      "Total     12        5     2        4     1      45.5%                 2  █████████░░░░░░░░░░░",
    ]);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    const coloured = await runCli(["stats", CASELOAD, ...PERIOD], { cwd: PACKAGE_ROOT, tty: true, env: { CI: undefined } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
    const noColor = await runCli(["stats", CASELOAD, ...PERIOD, "--no-color"], { cwd: PACKAGE_ROOT, tty: true, env: { CI: undefined } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
  });

  it("table and markdown say so when nothing fell due", async () => {
    const table = await runCli(["stats", CASELOAD, "--from", "2030-01-01", "--to", "2030-01-31"], { cwd: PACKAGE_ROOT });
    expect(table.stdout).toContain("Nothing fell due in the period.");
    const markdown = await runCli(["stats", CASELOAD, "--from", "2030-01-01", "--to", "2030-01-31", "--format", "markdown"], { cwd: PACKAGE_ROOT });
    expect(markdown.stdout).toContain("Nothing fell due in the period.");
  });

  it("markdown: one table, the total in bold, a | in a key escaped", async () => {
    const run = await runCli(["stats", CASELOAD, ...PERIOD, "--by", "child", "--format", "markdown"], { cwd: PACKAGE_ROOT });
    expect(run.stdout.split("\n").slice(4)).toEqual([
      "| Child | Due | On time | Late | Overdue | Open | % on time | Median days late |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      "| ST-1 | 7 | 3 | 2 | 1 | 1 | 50.0% | 2 |",
      "| ST-2 | 4 | 2 | 0 | 2 | 0 | 50.0% | - |",
      "| ST-3 | 1 | 0 | 0 | 1 | 0 | 0.0% | - |",
      "| **Total** | 12 | 5 | 2 | 4 | 1 | 45.5% | 2 |",
      "",
      "**Not counted: the deadlines of 1 child could not be computed: run \\`careplan check\\` for details (ST-4).**",
      "",
    ]);
  });

  it("-o writes the report to the file named", async () => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    const run = await runCli(["stats", CASELOAD, ...PERIOD, "--format", "json", "-o", join(folder.path, "stats.json")], { cwd: PACKAGE_ROOT });
    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(JSON.parse(readFileSync(join(folder.path, "stats.json"), "utf8")).total).toEqual(figures(TOTAL));
  });
});

describe("children whose deadlines cannot be computed are said to be missing from the figures", () => {
  // fixtures/timeline/problems: OK-1 well formed, TB-2 a tab in its profile's YAML, NP-3 no child.md.
  const PROBLEMS = join(PACKAGE_ROOT, "fixtures/timeline/problems");
  const run = (format: string) => runCli(["stats", PROBLEMS, "--from", "2025-10-01", "--to", "2026-01-06", "--format", format], { cwd: PACKAGE_ROOT });

  it("json keeps to CONTRACT 7's keys; stderr names each child left out", async () => {
    const result = await run("json");
    expect(result.code).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout))).toEqual(["from", "to", "policy", "by", "groups", "total"]);
    expect(result.stderr).toContain("children/NP-3/child.md: the child is left out");
    expect(result.stderr).toContain("children/TB-2/child.md: the child is left out");
  });

  it.each(["table", "markdown"])("%s: a closing line names the children not counted", async (format) => {
    const result = await run(format);
    expect(result.code).toBe(0);
    // Markdown escapes the backticks it did not write.
    expect(result.stdout.replaceAll("\\`", "`")).toContain("Not counted: the deadlines of 2 children could not be computed: run `careplan check` for details (NP-3, TB-2).");
  });

  it("table: nothing is said when everything was counted", async () => {
    expect((await runCli(["stats", EXAMPLE, ...PERIOD], { cwd: PACKAGE_ROOT })).stdout).not.toContain("Not counted");
  });
});

describe("confidentiality", () => {
  // fixtures/stats/caseload plants SENTINEL in children's names, an IRO, a provider, action texts, their `who`,
  // headings and free text, and in a profile that does not parse. Workers and teams are keys, and hold none.
  const formats = ["table", "json", "csv", "markdown"];
  const runs = [
    ...["rule", "child", "worker", "team", "month", "preset"].map((by) => [...PERIOD, "--by", by]),
    ["--snapshot", "2026-02-02"],
    ["--snapshot", "2026-02-02", "--by", "child"],
  ];
  it.each(formats.flatMap((format) => runs.map((args) => [format, args.join(" ")] as const)))("--format %s %s shows no name and no text", async (format, args) => {
    const run = await runCli(["stats", CASELOAD, ...args.split(" "), "--format", format], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(100);
    expect(run.stdout).not.toMatch(/SENTINEL/i);
    expect(run.stderr).not.toMatch(/SENTINEL/i);
  });

  it("the sentinels are there to be found: the fixture is not vacuous", () => {
    for (const file of ["ST-1/child.md", "ST-1/2026-01-21-care-plan.md", "ST-3/2025-12-01-care-plan.md", "ST-4/child.md"]) {
      expect(readFileSync(join(CASELOAD, "children", file), "utf8")).toMatch(/SENTINEL/);
    }
  });
});

describe("exit codes", () => {
  it.each([
    ["no period", [], /--from and --to/],
    ["--from without --to", ["--from", "2026-01-01"], /--from and --to/],
    ["--to without --from", ["--to", "2026-01-01"], /--from and --to/],
    ["an impossible --from", ["--from", "2026-02-30", "--to", "2026-03-31"], /--from must be a real date/],
    ["an impossible --to", ["--from", "2026-02-01", "--to", "2026-11-31"], /--to must be a real date/],
    ["a date not written YYYY-MM-DD", ["--from", "1/2/2026", "--to", "2026-03-31"], /--from must be a real date/],
    ["--from after --to", ["--from", "2026-03-02", "--to", "2026-03-01"], /is after --to/],
    ["an unknown --by", [...PERIOD, "--by", "week"], /Allowed choices are rule, child, worker, team, month, preset/],
    ["an unknown --format", [...PERIOD, "--format", "xlsx"], /Allowed choices are table, json, csv, markdown/],
    ["a rule not in force", [...PERIOD, "--rule", "revew.first"], /--rule revew\.first: the policy in force \(england\) has no such rule\. Did you mean review\.first\?/],
    ["a rule of another preset", [...PERIOD, "--rule", "cpm"], /--rule cpm: the policy in force \(england\) has no such rule\. The rules in force are: .*review\.first/],
    ["a family not in force", [...PERIOD, "--rule", "vist.*"], /--rule vist\.\*: the policy in force \(england\) has no rule of the family `vist`\. Did you mean visit\.\*\?/],
    ["an id that is only a family", [...PERIOD, "--rule", "review"], /Did you mean review\.\*\?/],
    ["one bad --rule among good ones", [...PERIOD, "--rule", "visit.*", "--rule", "pep.inital"], /--rule pep\.inital: .*Did you mean pep\.initial\?/],
    ["--snapshot with a period", ["--snapshot", "2026-02-02", "--from", "2026-01-01"], /give one or the other/],
    ["--snapshot on an impossible day", ["--snapshot", "2026-02-29"], /--snapshot must be a real date/],
    ["--snapshot by month", ["--snapshot", "2026-02-02", "--by", "month"], /--by month has no meaning for a snapshot/],
    ["--as-of, which stats does not take", [...PERIOD, "--as-of", "2026-02-02"], /unknown option '--as-of'/],
  ] as [string, string[], RegExp][])("%s: exit 2", async (_, args, message) => {
    const run = await runCli(["stats", CASELOAD, ...args], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("a path that is no repository: exit 2", async () => {
    const folder = temporaryFolder();
    try {
      const run = await runCli(["stats", folder.path, ...PERIOD], { cwd: folder.path });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no case-file repository/);
    } finally {
      folder.remove();
    }
  });

  it("the real rules: --rule action and a family of one id are fine", async () => {
    for (const rule of ["action", "action.*", "review.first.*"]) {
      const run = await runCli(["stats", CASELOAD, ...PERIOD, "--rule", rule], { cwd: PACKAGE_ROOT });
      expect(run.code, run.stderr).toBe(0);
    }
  });
});

describe("control characters in a key (a worker's name) never reach a terminal", () => {
  const name = "Jo\u001b[31mKhan\u009b\u202e";
  const report = {
    from: "2026-01-01",
    to: "2026-01-31",
    policy: "england",
    by: "worker" as const,
    groups: [{ key: name, due: 1, on_time: 1, late: 0, overdue: 0, open: 0, share_on_time: 1, median_days_late: null }],
    total: { due: 1, on_time: 1, late: 0, overdue: 0, open: 0, share_on_time: 1, median_days_late: null },
  };
  const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it.each([
    ["table", () => formatStatsTable(report, { colorLevel: 0 })],
    ["markdown", () => formatStatsMarkdown(report)],
    ["csv", () => formatStatsCsv(report).replace(/\r\n/g, "\n")],
    ["json", () => formatStatsJson(report)],
  ])("%s", (_, format) => {
    const output = format();
    expect(output).not.toMatch(controls);
    expect(output).toContain("Khan");
  });

  it("json keeps the name itself: the escapes read back as the same text", () => {
    expect(JSON.parse(formatStatsJson(report)).groups[0].key).toBe(name);
  });
});
