// `careplan timeline` end to end over fixtures/timeline/<scenario>: one repository per preset,
// each item's due date counted by hand from DOMAIN.md (the comment says how).
import { join } from "node:path";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { compareItems } from "../../src/core/caseload.js";
import { runCli } from "../cli-harness.js";

const FIXTURES = join(PACKAGE_ROOT, "fixtures/timeline");

interface Item {
  child: string;
  rule: string;
  title: string;
  due: string;
  status: string;
  met: string | null;
  file: string;
  preset: string;
  reason: string;
}

async function timeline(scenario: string, ...args: string[]): Promise<{ code: number; asOf: string; policy: string; items: Item[]; stderr: string }> {
  const run = await runCli(["timeline", join(FIXTURES, scenario), "--format", "json", ...args], { cwd: PACKAGE_ROOT });
  const output = run.code === 0 ? (JSON.parse(run.stdout) as { asOf: string; policy: string; items: Item[] }) : { asOf: "", policy: "", items: [] };
  return { code: run.code, stderr: run.stderr, ...output };
}

/** [due, rule, status, met, file name] of each item. */
const rows = (items: Item[]) => items.map((i) => [i.due, i.rule, i.status, i.met, i.file.split("/").at(-1)]);

describe("each preset, every item (--all)", () => {
  it("england (the default)", async () => {
    const result = await timeline("england", "--as-of", "2026-03-10", "--all");
    expect(result.policy).toBe("england");
    expect(rows(result.items)).toEqual([
      ["2026-01-12", "placement-plan", "met", "2026-01-08", "child.md"], // Mon 5 Jan + 5 working days
      ["2026-01-12", "visit.placement", "met", "2026-01-09", "child.md"], // 5 Jan + 1 week
      ["2026-01-19", "care-plan", "met", "2026-01-14", "child.md"], // 5 Jan + 10 working days
      ["2026-01-19", "pep.initial", "overdue", null, "child.md"], // same; aged 6
      ["2026-02-02", "health-assessment.initial", "overdue", null, "child.md"], // 5 Jan + 20 working days
      ["2026-02-02", "review.first", "met", "2026-01-30", "child.md"], // same
      ["2026-02-20", "visit", "met", "2026-02-18", "2026-01-09-visit.md"], // 9 Jan + 6 weeks
      ["2026-02-27", "action", "overdue", null, "2026-01-14-care-plan.md"], // its when
      ["2026-02-27", "review.record", "met", "2026-03-06", "2026-01-30-review.md"], // Fri 30 Jan + 20 working days; circulated late
      ["2026-04-01", "visit", "upcoming", null, "2026-02-18-visit.md"], // 18 Feb + 6 weeks
      ["2026-04-30", "permanence-plan", "upcoming", null, "2026-01-30-review.md"], // first review 30 Jan + 3 months
      ["2026-04-30", "review.second", "upcoming", null, "2026-01-30-review.md"], // same
      ["2035-06-15", "pathway-plan", "upcoming", null, "child.md"], // 16th birthday 15 Mar 2035 + 3 months
    ]);
    expect(result.items.find((i) => i.rule === "action")).toMatchObject({ title: "Register with a dentist", preset: "england", reason: "agreed in the care plan on 2026-01-14" });
    expect(result.items.find((i) => i.rule === "review.second")).toEqual({
      child: "EN-1",
      rule: "review.second",
      title: "Second statutory review",
      due: "2026-04-30",
      status: "upcoming",
      met: null,
      file: "children/EN-1/2026-01-30-review.md",
      preset: "england",
      reason: "3 months after the review on 2026-01-30",
    });
  });

  it("care-planning-meetings alone", async () => {
    const result = await timeline("care-planning-meetings", "--as-of", "2026-03-20", "--all");
    expect(result.policy).toBe("care-planning-meetings");
    expect(rows(result.items)).toEqual([
      ["2026-01-08", "cpm.placement", "met", "2026-01-07", "child.md"], // 5 Jan + 3 days (72 hours)
      ["2026-01-14", "cpm.minutes", "met", "2026-01-16", "2026-01-07-care-planning-meeting.md"], // Wed 7 Jan + 5 working days; distributed late
      ["2026-02-05", "cpm.placement", "met", "2026-02-04", "child.md"], // second placement 2 Feb + 3 days
      ["2026-02-11", "cpm.minutes", "met", "2026-02-06", "2026-02-04-care-planning-meeting.md"], // Wed 4 Feb + 5 working days
      ["2026-02-18", "cpm", "met", "2026-02-04", "2026-01-07-care-planning-meeting.md"], // 7 Jan + 6 weeks
      ["2026-03-18", "cpm", "overdue", null, "2026-02-04-care-planning-meeting.md"], // 4 Feb + 6 weeks
    ]);
  });

  it("newcastle alone", async () => {
    const result = await timeline("newcastle", "--as-of", "2026-03-10", "--all");
    expect(rows(result.items)).toEqual([
      ["2025-03-31", "review.first", "met", "2025-03-28", "child.md"], // 3 Mar 2025 + 28 days
      ["2025-04-04", "care-plan.after-review", "met", "2025-04-07", "2025-03-28-review.md"], // Fri 28 Mar + 5 working days; shared late
      ["2026-03-03", "assessment", "met", "2025-03-20", "child.md"], // care began 3 Mar 2025 + 12 months; met by the first assessment since
      ["2026-03-20", "assessment", "upcoming", null, "2025-03-20-assessment.md"], // 20 Mar 2025 + 12 months
      ["2026-03-27", "visit", "upcoming", null, "2026-02-27-visit.md"], // 27 Feb 2026 is within the first year: + 4 weeks
      ["2026-05-31", "assessment.pre-pathway", "upcoming", null, "child.md"], // born 31 Aug 2010 + 189 months
      ["2026-08-31", "pathway-plan", "upcoming", null, "child.md"], // the 16th birthday itself
    ]);
  });

  it("stoke-on-trent alone", async () => {
    const result = await timeline("stoke-on-trent", "--as-of", "2026-01-15", "--all");
    expect(rows(result.items)).toEqual([
      ["2025-07-04", "review.record", "met", "2025-07-10", "2025-06-20-review.md"], // 20 Jun + 14 days; sent late
      ["2025-12-08", "review.placement-change", "met", "2025-11-28", "child.md"], // new placement 10 Nov + 4 weeks
      ["2025-12-10", "pep", "met", "2025-12-01", "2025-06-10-pep.md"], // 10 Jun + 6 months
      ["2025-12-12", "review.record", "overdue", null, "2025-11-28-review.md"], // 28 Nov + 14 days, never sent
      ["2026-06-01", "pep", "upcoming", null, "2025-12-01-pep.md"], // 1 Dec + 6 months
    ]);
  });

  it("sparks-fostering alone", async () => {
    const result = await timeline("sparks-fostering", "--as-of", "2026-02-01", "--all");
    expect(rows(result.items)).toEqual([
      ["2026-01-01", "visit", "met", "2026-01-20", "2025-12-01-visit.md"], // 1 Dec 2025 + 1 month (not yet a year into the placement)
      ["2026-01-06", "visit.unannounced", "met", "2026-01-20", "child.md"], // first placement 6 Jan 2025 + 12 months
      ["2026-03-20", "visit", "upcoming", null, "2026-01-20-visit.md"], // over a year into a permanent placement: + 2 months
      ["2027-01-20", "visit.unannounced", "upcoming", null, "2026-01-20-visit.md"], // last unannounced visit + 12 months
    ]);
  });

  it("england with newcastle over it, changed and local rules, and closures", async () => {
    const result = await timeline("local", "--as-of", "2026-02-20", "--all");
    expect(result.policy).toBe("england+newcastle");
    expect(result.items.map((i) => [i.due, i.rule, i.status, i.preset])).toEqual([
      ["2026-01-12", "visit.placement", "met", "england"], // 5 Jan + 1 week (met late on 13 Jan)
      ["2026-01-14", "placement-plan", "met", "england"], // + 5 working days, 6 and 7 Jan closed
      ["2026-01-21", "care-plan", "met", "england"], // + 10 working days, 6 and 7 Jan closed
      ["2026-02-02", "review.first", "met", "newcastle"], // newcastle's 28 days
      ["2026-02-06", "care-plan.after-review", "met", "newcastle"], // Fri 30 Jan + 5 working days
      ["2026-02-10", "visit", "overdue", "newcastle"], // 13 Jan + 4 weeks (first year of care)
      ["2026-02-20", "review.record", "met", "england"], // interval changed to 15 working days
      ["2026-03-20", "sibling-time", "upcoming", "local"], // the local rule: meeting 20 Jan + 2 months
      ["2026-04-30", "permanence-plan", "met", "england"], // 28-day review held 30 Jan + 3 months; agreed already
      ["2026-04-30", "review.second", "upcoming", "england"],
    ]);
    expect(result.items.find((i) => i.rule === "review.record")?.title).toBe("IRO record sent");
  });
});

describe("the caseload and its filters", () => {
  const AS_OF = ["--as-of", "2026-03-25"];

  it("leaves out a document whose field the timeline reads is invalid, with one warning naming the field", async () => {
    const result = await timeline("caseload", ...AS_OF);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("warning: children/BB-2/2026-01-10-review.md: left out of the timeline: `record_circulated` is missing or not valid. Run `careplan check` for details.\n");
    expect(result.items.some((i) => i.file === "children/BB-2/2026-01-10-review.md")).toBe(false);
    expect(result.items.some((i) => i.child === "BB-2" && i.rule === "review.first")).toBe(true);
  });

  it("sorts by due date, child, rule, file and title", async () => {
    const { items } = await timeline("caseload", ...AS_OF, "--all");
    const key = (i: Item) => [i.due, i.child, i.rule, i.file, i.title].join("\u0000");
    expect(items.map(key)).toEqual([...items.map(key)].sort());
    expect(new Set(items.map((i) => i.child))).toEqual(new Set(["AA-1", "BB-2", "CC-3"]));
  });

  it("shows overdue items and those due within 28 days by default; --within and --all change the window", async () => {
    const all = (await timeline("caseload", ...AS_OF, "--all")).items;
    const inWindow = (days: number) => all.filter((i) => i.status === "overdue" || (i.status === "upcoming" && i.due <= new Date(Date.UTC(2026, 2, 25 + days)).toISOString().slice(0, 10)));
    expect((await timeline("caseload", ...AS_OF)).items).toEqual(inWindow(28));
    expect((await timeline("caseload", ...AS_OF, "--within", "7")).items).toEqual(inWindow(7));
    expect((await timeline("caseload", ...AS_OF, "--within", "0")).items).toEqual(inWindow(0));
    expect(all.some((i) => i.status === "met")).toBe(true);
    expect(inWindow(28).length).toBeLessThan(all.length);
  });

  it.each([
    [["--child", "AA-1"], ["AA-1"]],
    [["--worker", "sam  LEE"], ["BB-2", "CC-3"]],
    [["--team", "west"], ["BB-2", "CC-3"]],
    [["--team", "East", "--worker", "Sam Lee"], []],
  ])("filters %j", async (filter, children) => {
    const { items } = await timeline("caseload", ...AS_OF, "--all", ...filter);
    expect([...new Set(items.map((i) => i.child))].sort()).toEqual(children);
  });

  it("an unknown --child exits 2", async () => {
    const run = await runCli(["timeline", join(FIXTURES, "caseload"), "--child", "ZZ-9"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--child ZZ-9");
  });

  it("is a snapshot: care, placements and documents after the as-of date have not happened", async () => {
    const early = (await timeline("caseload", "--as-of", "2026-02-28", "--all")).items;
    expect(early.some((i) => i.child === "CC-3")).toBe(false); // care begins 1 Mar
    expect(early.filter((i) => i.child === "BB-2" && i.rule === "placement-plan")).toHaveLength(1); // the 20 Mar placement is still to come
    expect(early.find((i) => i.child === "BB-2" && i.rule === "visit" && i.file.endsWith("2026-01-09-visit.md"))).toMatchObject({ status: "overdue", met: null }); // the 1 Mar visit has not happened
    const later = (await timeline("caseload", "--as-of", "2026-03-25", "--all")).items;
    expect(later.filter((i) => i.child === "BB-2" && i.rule === "placement-plan")).toHaveLength(2);
  });

  it("once left_care has happened, nothing falls due after it; earlier items stay", async () => {
    const before = (await timeline("caseload", "--as-of", "2026-03-25", "--all")).items.filter((i) => i.child === "BB-2");
    const after = (await timeline("caseload", "--as-of", "2026-04-05", "--all")).items.filter((i) => i.child === "BB-2");
    expect(before.some((i) => i.due > "2026-04-01")).toBe(true); // left_care (1 Apr) is not known yet on 25 Mar
    expect(after.some((i) => i.due > "2026-04-01")).toBe(false);
    expect(after.filter((i) => i.due <= "2026-04-01").map((i) => i.rule)).toEqual(before.filter((i) => i.due <= "2026-04-01").map((i) => i.rule));
  });
});

describe("other formats", () => {
  it("markdown: a table per group, a | in an action's text escaped", async () => {
    const run = await runCli(["timeline", join(FIXTURES, "caseload"), "--as-of", "2026-03-25", "--format", "markdown", "--child", "AA-1"], { cwd: PACKAGE_ROOT });
    expect(run.stdout).toContain("## Timeline as of 2026-03-25");
    expect(run.stdout).toContain("| Child | What | Due | Status | Rule | Why |");
    expect(run.stdout).toContain("| AA-1 | Family time \\| review the plan | 2026-02-10 | **overdue by 43 days** | `action` | agreed in the care plan on 2026-01-12 |");
  });

  it("table: overdue first and marked, then what falls due, by week; by child with --group child", async () => {
    const run = await runCli(["timeline", join(FIXTURES, "england"), "--as-of", "2026-03-10"], { cwd: PACKAGE_ROOT });
    const lines = run.stdout.split("\n");
    expect(lines[2]).toBe("Overdue");
    expect(lines[3]).toMatch(/^! EN-1 +Personal education plan initiated +Mon 19 Jan 2026 +OVERDUE by 50 days +pep\.initial$/);
    expect(run.stdout).toContain("Week of Mon 30 Mar 2026");
    expect(run.stdout).toMatch(/Statutory visit +Wed {2}1 Apr 2026 +due in 22 days +visit/);
    const byChild = await runCli(["timeline", join(FIXTURES, "caseload"), "--as-of", "2026-03-25", "--group", "child"], { cwd: PACKAGE_ROOT });
    expect(byChild.stdout.split("\n").filter((l) => l.startsWith("Child "))).toEqual(["Child AA-1", "Child BB-2", "Child CC-3"]);
  });

  it("ics: valid iCalendar, all-day events with an alarm a week before, CRLF, folded lines, stable UIDs", async () => {
    const ics = async (asOf: string) => (await runCli(["timeline", join(FIXTURES, "england"), "--as-of", asOf, "--all", "--format", "ics"], { cwd: PACKAGE_ROOT })).stdout;
    const text = await ics("2026-03-10");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent");
    expect(events).toHaveLength(13);
    const first = events[0]!;
    expect(first.getFirstPropertyValue("dtstart")?.toString()).toBe("2026-01-12");
    expect((first.getFirstPropertyValue("dtstart") as ICAL.Time).isDate).toBe(true);
    expect(first.getFirstSubcomponent("valarm")?.getFirstPropertyValue("trigger")?.toString()).toBe("-P7D");
    expect(String(first.getFirstPropertyValue("summary"))).toBe("EN-1: Placement plan for the placement");
    const uids = (t: string) => new ICAL.Component(ICAL.parse(t)).getAllSubcomponents("vevent").map((e) => String(e.getFirstPropertyValue("uid")));
    expect(new Set(uids(text)).size).toBe(13);
    const later = await ics("2026-04-15");
    expect(uids(later).filter((uid) => uids(text).includes(uid)).length).toBeGreaterThanOrEqual(12);
  });
});

/** A local deadline rule with the keys given. */
const local = (keys: string) => `rules:\n  mine: { kind: deadline, title: Mine, interval: 1, unit: weeks, met_by: { type: review }, ${keys} }`;

describe("configuration errors exit 2, naming the key and what is allowed", () => {
  it.each([
    ["policy: [england, nowhere]", "`policy` names \"nowhere\", which is not a preset"],
    ["rules:\n  visit: { interval: 4, unit: fortnights }", "`rules.visit`: `unit` must be one of: working-days, days, weeks, months, years."],
    ["rules:\n  visit: { every: 4 }", "`rules.visit` has `every`, which the rule language does not have"],
    ["rules:\n  nonsense: { interval: 4 }", "`rules.nonsense` changes a rule that is not in force"],
    ["rules:\n  review.first: off", "rules `permanence-plan` (england) and `health-assessment` (england) count from rule `review.first`, which `rules.review.first` switches off: switch them off too, or keep `review.first`."],
    ["rules:\n  review.first: off\n  permanence-plan: off", "rule `health-assessment` (england) counts from rule `review.first`, which `rules.review.first` switches off: switch `health-assessment` off too, or keep `review.first`."],
    ["rules:\n  action: { interval: 3 }", "`rules.action`: `interval` cannot be set: actions are due on their own `when` dates."],
    ["rules:\n  action: { unit: days }", "`rules.action`: `unit` cannot be set"],
    ["rules:\n  mine: { kind: recurrence, title: Mine, type: letter, interval: 1, unit: months }", "names the document type \"letter\""],
    ["closures: [2026-02-30]", "`closures` must be a list of dates"],
    ["colour: red", "`colour` is not a setting of careplan.yaml"],
    ["policy: [", "not valid YAML"],
    // the rule language of the second release
    [local("from: entered-care, applies_to: { legal_status: short-break }"), 'rule `mine` (local) names the legal status "short-break". The legal statuses are: interim-care-order, care-order,'],
    [local("from: entered-care, applies_to: { legal_status: { isnt: remand } }"), "`rules.mine`: `applies_to.legal_status` must be a legal status, a list of them, or { not: a legal status or a list }"],
    [local("from: entered-care, applies_to: { placement_type: foster-care }"), "`rules.mine`: `applies_to` has `placement_type`, which the rule language does not have"],
    [local("from: { eligible: { looked_after: { interval: 13, unit: weeks }, at_age: { years: 16 } } }"), "`rules.mine`: `from.eligible` needs `counted_from_age`"],
    [local("from: { placement: after-first, where: { emergency: 'no' } }"), "`rules.mine`: `from.where.emergency` must be true or false"],
    [local("from: whenever"), "`rules.mine`: `from` must be entered-care, { placement: all or after-first, where? }, { document: <type> }, { rule: <id> } or { eligible:"],
    ["rules:\n  pep: { applies_to: { legal_status: [remand, sectioned] } }", 'rule `pep` (england) names the legal status "sectioned"'],
  ])("%s", async (config, message) => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { temporaryFolder } = await import("../cli-harness.js");
    const folder = temporaryFolder();
    try {
      mkdirSync(join(folder.path, "children"));
      writeFileSync(join(folder.path, "careplan.yaml"), `${config}\n`);
      const run = await runCli(["timeline", "--as-of", "2026-03-01"], { cwd: folder.path });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("careplan.yaml");
      expect(run.stderr.replace(/\s+/g, " ")).toContain(message.replace(/\s+/g, " "));
    } finally {
      folder.remove();
    }
  });
});

describe("a child whose deadlines cannot be computed is shown in every format, never an all-clear", () => {
  // fixtures/timeline/problems: OK-1 well formed, TB-2 a tab in its profile's YAML, NP-3 no child.md.
  const PROBLEMS = join(FIXTURES, "problems");
  const run = (...args: string[]) => runCli(["timeline", PROBLEMS, "--as-of", "2026-01-06", ...args], { cwd: PACKAGE_ROOT });

  it("json: a top-level `problems` by child id and file, in the tool's words", async () => {
    const result = await run("--format", "json");
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { items: Item[]; problems: unknown[] };
    expect(output.problems).toEqual([
      { child: "NP-3", file: "children/NP-3/child.md", field: null, leftOut: "child", problem: "no deadline of this child can be computed: the folder has no child.md" },
      { child: "TB-2", file: "children/TB-2/child.md", field: null, leftOut: "child", problem: "no deadline of this child can be computed: the profile cannot be read" },
    ]);
    expect(new Set(output.items.map((i) => i.child))).toEqual(new Set(["OK-1"]));
  });

  it("json: a document left out is a problem too, and a clean timeline has an empty list", async () => {
    const caseload = JSON.parse((await runCli(["timeline", join(FIXTURES, "caseload"), "--as-of", "2026-03-25", "--format", "json"], { cwd: PACKAGE_ROOT })).stdout);
    expect(caseload.problems).toEqual([
      { child: "BB-2", file: "children/BB-2/2026-01-10-review.md", field: "record_circulated", leftOut: "document", problem: "the document is left out: `record_circulated` is missing or not valid" },
    ]);
    const clean = JSON.parse((await runCli(["timeline", join(FIXTURES, "england"), "--as-of", "2026-03-10", "--format", "json"], { cwd: PACKAGE_ROOT })).stdout);
    expect(clean.problems).toEqual([]);
  });

  it("table: a line for each such child and a closing line that says so, even when nothing else is due", async () => {
    const result = await run("--child", "TB-2");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "Timeline as of 2026-01-06 (policy england): overdue, and due in the next 28 days",
        "",
        "Cannot be computed",
        "! TB-2  no deadline of this child can be computed: the profile cannot be read",
        "        children/TB-2/child.md; run `careplan check` for details",
        "",
        "Nothing is due in what could be read; the deadlines of 1 child could not be computed: run `careplan check` for details.",
        "",
      ].join("\n"),
    );
    expect(result.stdout).not.toContain("Nothing is due.");
    const all = await run();
    expect(all.stdout).toMatch(/^! NP-3 +no deadline of this child can be computed: the folder has no child\.md$/m);
    expect(all.stdout).toMatch(/^\d+ items, none overdue; the deadlines of 2 children could not be computed: run `careplan check` for details\.$/m);
  });

  it("markdown: a table of the children that cannot be computed", async () => {
    const result = await run("--format", "markdown");
    expect(result.stdout).toContain("### Cannot be computed\n\n| Child | Problem | File |\n| --- | --- | --- |\n| NP-3 | no deadline of this child can be computed: the folder has no child.md | children/NP-3/child.md |");
    expect(result.stdout).toContain("the deadlines of 2 children could not be computed");
  });

  it("ics: an event on the as-of date for each such child, valid iCalendar", async () => {
    const result = await run("--format", "ics");
    const events = new ICAL.Component(ICAL.parse(result.stdout)).getAllSubcomponents("vevent");
    const problems = events.filter((e) => String(e.getFirstPropertyValue("summary")).endsWith("deadlines cannot be computed"));
    expect(problems.map((e) => [String(e.getFirstPropertyValue("summary")), e.getFirstPropertyValue("dtstart")?.toString()])).toEqual([
      ["NP-3: deadlines cannot be computed", "2026-01-06"],
      ["TB-2: deadlines cannot be computed", "2026-01-06"],
    ]);
    expect(events.length).toBeGreaterThan(problems.length);
  });

  it("--worker shows a child whose profile cannot be read: whose child it is cannot be told", async () => {
    const output = JSON.parse((await run("--format", "json", "--worker", "Jo Khan")).stdout);
    expect(output.problems.map((p: { child: string }) => p.child)).toEqual(["NP-3", "TB-2"]);
    expect(new Set(output.items.map((i: Item) => i.child))).toEqual(new Set(["OK-1"]));
  });
});

describe("an empty calendar", () => {
  it("holds one journal entry on the as-of date (RFC 5545 wants a component), the same on every run", async () => {
    const args = ["timeline", join(FIXTURES, "problems"), "--child", "OK-1", "--as-of", "2025-12-01", "--format", "ics"];
    const first = (await runCli(args, { cwd: PACKAGE_ROOT })).stdout;
    const calendar = new ICAL.Component(ICAL.parse(first));
    expect(calendar.getAllSubcomponents().map((c) => c.name)).toEqual(["vjournal"]);
    const journal = calendar.getFirstSubcomponent("vjournal")!;
    expect(journal.getFirstPropertyValue("dtstart")?.toString()).toBe("2025-12-01");
    expect(String(journal.getFirstPropertyValue("summary"))).toBe("careplan timeline as of 2025-12-01: nothing is due in the next 28 days");
    expect(journal.getFirstPropertyValue("uid")).toBeTruthy();
    expect((await runCli(args, { cwd: PACKAGE_ROOT })).stdout).toBe(first);
  });
});

describe("names on the command line", () => {
  it.each([
    [["--worker", "Jo Kahn"], '--worker Jo Kahn: no child in the selected folders has this social worker. Did you mean "Jo Khan"?'],
    [["--team", "Wset"], '--team Wset: no child in the selected folders has this team. Did you mean "West"?'],
    [["--worker", "Nobody At All"], "--worker Nobody At All: no child in the selected folders has this social worker."],
    [["--child", "AA-2"], "Did you mean `AA-1`?"],
  ])("%j naming nobody known exits 2 with the nearest names", async (filter, message) => {
    const run = await runCli(["timeline", join(FIXTURES, "caseload"), "--as-of", "2026-03-25", ...filter], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });

  it("a known worker and a known team that share no child: nothing is due, exit 0", async () => {
    const run = await runCli(["timeline", join(FIXTURES, "caseload"), "--as-of", "2026-03-25", "--team", "East", "--worker", "Sam Lee"], { cwd: PACKAGE_ROOT });
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain("Nothing is due.");
  });

  it.each([
    ["--child", "AA-1", "BB-2"],
    ["--worker", "Jo Khan", "Sam Lee"],
    ["--format", "json", "table"],
    ["--as-of", "2026-03-25", "2026-03-26"],
    ["--within", "7", "14"],
  ])("%s given twice is a usage error", async (flag, first, second) => {
    const run = await runCli(["timeline", join(FIXTURES, "caseload"), flag, first, flag, second], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${flag} was given twice`);
  });
});

describe("paths", () => {
  it("paths in two repositories are refused, naming both", async () => {
    const run = await runCli(["timeline", join(FIXTURES, "caseload"), join(FIXTURES, "england"), "--as-of", "2026-03-25"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(FIXTURES, "caseload")} and ${join(FIXTURES, "england")} are in two case-file repositories`);
  });

  it("paths within one repository combine, each child once; the repository itself means every child", async () => {
    const items = async (...paths: string[]) => {
      const run = await runCli(["timeline", ...paths.map((p) => join(FIXTURES, "caseload", p)), "--as-of", "2026-03-25", "--all", "--format", "json"], { cwd: PACKAGE_ROOT });
      return (JSON.parse(run.stdout) as { items: Item[] }).items;
    };
    const both = await items("children/AA-1", "children/BB-2/2026-01-09-visit.md", "children/AA-1");
    expect([...new Set(both.map((i) => i.child))].sort()).toEqual(["AA-1", "BB-2"]);
    expect(both).toEqual([...(await items("children/AA-1")), ...(await items("children/BB-2"))].sort(compareItems));
    expect(await items("children/AA-1", ".")).toEqual(await items("."));
  });
});

describe("the table on a terminal", () => {
  it("wraps long texts to the terminal's width, losing no word; off a terminal, lines are whole", async () => {
    const example = join(PACKAGE_ROOT, "fixtures/example");
    const wide = await runCli(["timeline", example, "--as-of", "2026-03-02"], { cwd: PACKAGE_ROOT });
    expect(Math.max(...wide.stdout.split("\n").map((l) => l.length))).toBeGreaterThan(100);
    const narrow = await runCli(["timeline", example, "--as-of", "2026-03-02"], { cwd: PACKAGE_ROOT, tty: true, columns: 100, env: { NO_COLOR: "1" } });
    const lines = narrow.stdout.split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    const words = (text: string) => text.split(/\s+/).filter((w) => w !== "").sort();
    expect(words(narrow.stdout)).toEqual(words(wide.stdout));
    const at = lines.findIndex((l) => /^ {2}JK-7788 {2}Arrange transport to Castle +Fri {2}6 Mar 2026 {2}due in 4 days {2}action$/.test(l));
    expect(lines.slice(at + 1, at + 3)).toEqual(["           Hill School from the new home", "           agreed in the review on 2026-01-27; children/JK-7788/2026-01-27-review.md"]);
  });
});

// DOMAIN.md, "Regimes of the second release": one fixture repository per regime, every date
// counted by hand (2026 calendar; 13 weeks = 91 days; Spring bank holiday Mon 25 May 2026).
describe("short breaks (fixtures/timeline/short-breaks): SB-1 on short breaks, CO-2 its twin on a care order", () => {
  // Both: born 1 Mar 2010, in care from Mon 1 Sep 2025, moved on Mon 2 Mar 2026; reviews Mon 24 Nov 2025 and Wed 20 May 2026.
  const AS_OF = ["--as-of", "2026-06-01", "--all"];
  const policy = (name: string) => ["--config", join(FIXTURES, "short-breaks", `${name}.yaml`)];
  const reviews = (items: Item[]) => items.filter((i) => i.rule.startsWith("review.") || i.rule === "pathway-plan");

  it("england: every item of SB-1", async () => {
    const result = await timeline("short-breaks", ...AS_OF, "--child", "SB-1");
    expect(result.policy).toBe("england");
    expect(rows(result.items)).toEqual([
      ["2025-09-08", "placement-plan", "met", "2025-09-03", "child.md"], // Mon 1 Sep + 5 working days
      ["2025-09-08", "visit.placement", "met", "2025-09-05", "child.md"], // 1 Sep + 1 week
      ["2025-09-15", "care-plan", "met", "2025-09-10", "child.md"], // 1 Sep + 10 working days
      ["2025-09-15", "pep.initial", "overdue", null, "child.md"], // same
      ["2025-09-29", "health-assessment.initial", "overdue", null, "child.md"], // 1 Sep + 20 working days
      ["2025-10-17", "visit", "met", "2026-03-04", "2025-09-05-visit.md"], // Fri 5 Sep + 6 weeks; visited late
      ["2025-12-01", "review.first", "met", "2025-11-24", "child.md"], // short breaks: 1 Sep + 3 months (not 20 working days)
      ["2025-12-22", "review.record", "met", "2025-12-10", "2025-11-24-review.md"], // Mon 24 Nov + 20 working days
      ["2026-02-24", "permanence-plan", "met", "2025-09-10", "2025-11-24-review.md"], // that first review + 3 months
      ["2026-03-09", "placement-plan", "overdue", null, "child.md"], // the move, Mon 2 Mar + 5 working days
      ["2026-03-09", "visit.placement", "met", "2026-03-04", "child.md"], // 2 Mar + 1 week
      ["2026-04-15", "visit", "overdue", null, "2026-03-04-visit.md"], // Wed 4 Mar + 6 weeks
      ["2026-05-24", "review.subsequent", "met", "2026-05-20", "2025-11-24-review.md"], // 24 Nov + 6 months: no second review at 3 months
      ["2026-06-18", "review.record", "upcoming", null, "2026-05-20-review.md"], // Wed 20 May + 20 working days, 25 May a bank holiday
      ["2026-11-20", "review.subsequent", "upcoming", null, "2026-05-20-review.md"], // 20 May + 6 months
      // no pathway-plan: a child on short breaks is never eligible (the twin's is due 1 Jun, below)
    ]);
    expect(result.items.find((i) => i.rule === "review.first")).toMatchObject({ title: "First review of the short breaks", preset: "england", reason: "short breaks: 3 months after entering care on 2025-09-01" });
    expect(result.items.find((i) => i.rule === "review.subsequent")?.reason).toBe("short breaks: 6 months after the review on 2025-11-24");
  });

  it("england: the twin on a care order keeps the statutory timetable and is eligible for a pathway plan", async () => {
    expect(rows(reviews((await timeline("short-breaks", ...AS_OF, "--child", "CO-2")).items))).toEqual([
      ["2025-09-29", "review.first", "met", "2025-11-24", "child.md"], // 1 Sep + 20 working days; held late
      ["2025-12-22", "review.record", "met", "2025-12-10", "2025-11-24-review.md"],
      ["2026-02-24", "review.second", "met", "2026-05-20", "2025-11-24-review.md"], // 24 Nov + 3 months; held late
      ["2026-06-01", "pathway-plan", "upcoming", null, "child.md"], // 16 on 1 Mar 2026, in care since long before: + 3 months
      ["2026-06-18", "review.record", "upcoming", null, "2026-05-20-review.md"],
      ["2026-11-20", "review.subsequent", "upcoming", null, "2026-05-20-review.md"], // 20 May + 6 months
    ]);
  });

  it("newcastle alone: its 28-day review gives way as well (every item of SB-1)", async () => {
    const result = await timeline("short-breaks", ...AS_OF, "--child", "SB-1", ...policy("newcastle"));
    expect(result.policy).toBe("newcastle");
    expect(rows(result.items)).toEqual([
      ["2025-10-03", "visit", "met", "2026-03-04", "2025-09-05-visit.md"], // 5 Sep + 4 weeks (first year of care)
      ["2025-12-01", "assessment.pre-pathway", "overdue", null, "child.md"], // 1 Mar 2010 + 189 months, as for any child
      ["2025-12-01", "care-plan.after-review", "overdue", null, "2025-11-24-review.md"], // Mon 24 Nov + 5 working days
      ["2025-12-01", "review.first", "met", "2025-11-24", "child.md"], // 1 Sep + 3 months, not 28 days
      ["2026-04-01", "visit", "overdue", null, "2026-03-04-visit.md"], // 4 Mar + 4 weeks
      ["2026-05-24", "review.subsequent", "met", "2026-05-20", "2025-11-24-review.md"], // 24 Nov + 6 months
      ["2026-05-28", "care-plan.after-review", "overdue", null, "2026-05-20-review.md"], // Wed 20 May + 5 working days, 25 May a bank holiday
      ["2026-09-01", "assessment", "upcoming", null, "child.md"], // 1 Sep 2025 + 12 months
      ["2026-11-20", "review.subsequent", "upcoming", null, "2026-05-20-review.md"],
    ]);
    expect(new Set(result.items.filter((i) => i.rule.startsWith("review.")).map((i) => i.preset))).toEqual(new Set(["newcastle"]));
  });

  it("stoke-on-trent alone: no review after the change of placement for SB-1, its twin has one", async () => {
    const sb = await timeline("short-breaks", ...AS_OF, "--child", "SB-1", ...policy("stoke-on-trent"));
    expect(rows(sb.items)).toEqual([
      ["2025-12-01", "review.first", "met", "2025-11-24", "child.md"], // 1 Sep + 3 months
      ["2025-12-08", "review.record", "met", "2025-12-10", "2025-11-24-review.md"], // 24 Nov + 14 days; sent late
      ["2026-05-24", "review.subsequent", "met", "2026-05-20", "2025-11-24-review.md"], // 24 Nov + 6 months
      ["2026-06-03", "review.record", "upcoming", null, "2026-05-20-review.md"], // 20 May + 14 days
      ["2026-11-20", "review.subsequent", "upcoming", null, "2026-05-20-review.md"],
    ]);
    const twin = await timeline("short-breaks", ...AS_OF, "--child", "CO-2", ...policy("stoke-on-trent"));
    expect(rows(twin.items)).toEqual([
      ["2025-12-08", "review.record", "met", "2025-12-10", "2025-11-24-review.md"],
      ["2026-03-30", "review.placement-change", "met", "2026-05-20", "child.md"], // the move 2 Mar + 4 weeks; reviewed late
      ["2026-06-03", "review.record", "upcoming", null, "2026-05-20-review.md"],
    ]);
  });

  it("sparks-fostering alone: no review timetable to replace; the review before the move applies as for any child", async () => {
    const result = await timeline("short-breaks", ...AS_OF, "--child", "SB-1", ...policy("sparks-fostering"));
    expect(rows(result.items)).toEqual([
      ["2025-10-05", "visit", "met", "2026-03-04", "2025-09-05-visit.md"], // 5 Sep + 1 month
      ["2026-03-02", "review.before-move", "met", "2026-05-20", "child.md"], // the move; no review from 2 Feb, so the next (20 May) meets it late
      ["2026-04-04", "visit", "overdue", null, "2026-03-04-visit.md"], // 4 Mar + 1 month
      ["2026-09-01", "visit.unannounced", "upcoming", null, "child.md"], // first placement 1 Sep 2025 + 12 months
    ]);
  });

  it("care-planning-meetings alone: meetings after each placement, no reviews", async () => {
    const result = await timeline("short-breaks", ...AS_OF, "--child", "SB-1", ...policy("care-planning-meetings"));
    expect(rows(result.items)).toEqual([
      ["2025-09-04", "cpm.placement", "overdue", null, "child.md"], // 1 Sep + 3 days
      ["2026-03-05", "cpm.placement", "overdue", null, "child.md"], // 2 Mar + 3 days
    ]);
  });
});

describe("eligibility for a pathway plan (fixtures/timeline/eligibility)", () => {
  // E = the later of the 16th birthday and (the later of looked_after_since and the 14th birthday) + 13 weeks.
  const pathway = (items: Item[]) => items.filter((i) => i.rule === "pathway-plan").map((i) => [i.due, i.child, i.status, i.met]);
  const newcastle = ["--config", join(FIXTURES, "eligibility", "newcastle.yaml")];

  it("england: due E + 3 months", async () => {
    const { items } = await timeline("eligibility", "--as-of", "2026-07-01", "--all");
    expect(pathway(items)).toEqual([
      // EL-2: 16 on 1 Dec 2025, in care from Mon 3 Nov 2025 (4 weeks before): E = 3 Nov + 91 days = Mon 2 Feb 2026; + 3 months = Sat 2 May
      ["2026-05-02", "EL-2", "overdue", null],
      // EL-9: in care since 2023, 16 on Thu 30 Apr 2026 = E (as the first release); + 3 months; a plan from E - 3 months (30 Jan) counts
      ["2026-07-30", "EL-9", "met", "2026-01-30"],
      // EL-1: 16 on Mon 4 May 2026, in care from Mon 2 Feb 2026, exactly 13 weeks before: E = 4 May, the birthday
      ["2026-08-04", "EL-1", "upcoming", null],
      // EL-3: 16 and a half on Tue 10 Feb 2026 when care began: E = 10 Feb + 18 = 28 Feb, + 31 = 31 Mar, + 30 = 30 Apr, + 12 = Tue 12 May
      ["2026-08-12", "EL-3", "upcoming", null],
      // EL-4: E = its 18th birthday (none). EL-5: E = Sun 14 Jun 2026, the day before 18, but 14 Sep is after it.
      // EL-6 left care on E (12 May): eligible, but 12 Aug is after leaving. EL-7 left on 11 May, before E. EL-8: short breaks.
    ]);
    expect(items.find((i) => i.child === "EL-2" && i.rule === "pathway-plan")?.reason).toBe("3 months after becoming eligible on 2026-02-02: 13 weeks in care since 2025-11-03");
    expect(items.find((i) => i.child === "EL-9" && i.rule === "pathway-plan")?.reason).toBe("3 months after reaching 16 on 2026-04-30");
  });

  it("newcastle: due on E itself", async () => {
    const { items } = await timeline("eligibility", "--as-of", "2026-07-01", "--all", ...newcastle);
    expect(pathway(items)).toEqual([
      ["2026-02-02", "EL-2", "overdue", null], // E, 13 weeks after care began on 3 Nov 2025
      ["2026-04-30", "EL-9", "met", "2026-01-30"], // the 16th birthday
      ["2026-05-04", "EL-1", "overdue", null], // the 16th birthday, exactly 13 weeks into care
      ["2026-05-12", "EL-3", "overdue", null], // 13 weeks after care began at 16 and a half
      ["2026-05-12", "EL-6", "overdue", null], // left care on E itself: still eligible
      ["2026-06-14", "EL-5", "overdue", null], // Sun 15 Mar + 91 days = Sun 14 Jun, the day before the 18th birthday
      // EL-4: care from Mon 16 Mar: + 15 = 31 Mar, + 30 = 30 Apr, + 31 = 31 May, + 15 = Mon 15 Jun, the 18th birthday: none.
      // EL-7 left care on 11 May, the day before E: none. EL-8 is on short breaks: none.
    ]);
    expect(items.find((i) => i.child === "EL-2" && i.rule === "pathway-plan")?.reason).toBe("on becoming eligible on 2026-02-02: 13 weeks in care since 2025-11-03");
  });

  it("a left_care after the as-of date is not known yet: the child is assumed to stay", async () => {
    const { items } = await timeline("eligibility", "--as-of", "2026-05-01", "--all", ...newcastle);
    expect(pathway(items).filter(([, child]) => child === "EL-6" || child === "EL-7")).toEqual([
      ["2026-05-12", "EL-6", "upcoming", null],
      ["2026-05-12", "EL-7", "upcoming", null],
    ]);
  });
});

describe("the review before a planned move (fixtures/timeline/before-move, sparks-fostering)", () => {
  // Every child in care from Mon 2 Jun 2025. The move on Tue 3 Mar 2026: - 28 days = Tue 3 Feb.
  it("due on the move, met by a review from 4 weeks before; none for an emergency move", async () => {
    const { items } = await timeline("before-move", "--as-of", "2026-03-10", "--all");
    expect(items.map((i) => [i.due, i.child, i.rule, i.status, i.met])).toEqual([
      ["2026-03-03", "MV-1", "review.before-move", "met", "2026-02-03"], // reviewed exactly 4 weeks before
      ["2026-03-03", "MV-2", "review.before-move", "overdue", null], // reviewed on 2 Feb, a day too early
      ["2026-03-03", "MV-3", "review.before-move", "met", "2026-02-10"], // the planned move after an emergency one (12 Jan), which needs none
      ["2026-06-02", "MV-1", "visit.unannounced", "upcoming", null], // first placement + 12 months
      ["2026-06-02", "MV-2", "visit.unannounced", "upcoming", null],
      ["2026-06-02", "MV-3", "visit.unannounced", "upcoming", null],
      ["2026-06-02", "MV-4", "visit.unannounced", "upcoming", null], // MV-4 moves on 20 Mar: not yet
    ]);
  });

  it("a move is known once it has happened: due on its day, overdue the day after", async () => {
    const move = async (asOf: string) => (await timeline("before-move", "--as-of", asOf, "--all", "--child", "MV-4")).items.filter((i) => i.rule === "review.before-move");
    expect(await move("2026-03-19")).toEqual([]);
    expect((await move("2026-03-20")).map((i) => [i.due, i.status])).toEqual([["2026-03-20", "upcoming"]]);
    expect((await move("2026-03-21")).map((i) => [i.due, i.status])).toEqual([["2026-03-20", "overdue"]]);
  });
});

describe("which profile fields the timeline reads follows the rules in force (fixtures/timeline/fields-read)", () => {
  // BAD-1's legal_status is not a value of the list (never a reason to leave a child out); BAD-2's second placement says `emergency: yes`, not a boolean.
  const warning = (child: string, field: string) => `warning: children/${child}/child.md: the child is left out of the timeline: \`${field}\` is missing or not valid. Run \`careplan check\` for details.\n`;
  const config = (name: string) => ["--config", join(FIXTURES, "fields-read", `${name}.yaml`)];
  const children = (items: Item[]) => [...new Set(items.map((i) => i.child))].sort();

  it.each([
    // A misspelt legal_status is no status a rule names: the child stays, as in the first release (check reports it).
    ["england (short breaks ask only whether legal_status is short-breaks)", [], "", ["BAD-1", "BAD-2"]],
    ["sparks-fostering (a move before which a review is due depends on emergency)", config("sparks-fostering"), warning("BAD-2", "placements.1.emergency"), ["BAD-1"]],
    ["care-planning-meetings (neither)", config("care-planning-meetings"), "", ["BAD-1", "BAD-2"]],
  ])("%s", async (_, args, stderr, kept) => {
    const result = await timeline("fields-read", "--as-of", "2026-03-02", "--all", ...args);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(stderr);
    expect(children(result.items)).toEqual(kept);
  });
});
