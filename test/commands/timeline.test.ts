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

describe("configuration errors exit 2, naming the key and what is allowed", () => {
  it.each([
    ["policy: [england, nowhere]", "`policy` names \"nowhere\", which is not a preset"],
    ["rules:\n  visit: { interval: 4, unit: fortnights }", "`rules.visit`: `unit` must be one of: working-days, days, weeks, months, years."],
    ["rules:\n  visit: { every: 4 }", "`rules.visit` has `every`, which the rule language does not have"],
    ["rules:\n  nonsense: { interval: 4 }", "`rules.nonsense` changes a rule that is not in force"],
    ["rules:\n  review.first: off", "counts from rule `review.first`, which is not in force"],
    ["rules:\n  mine: { kind: recurrence, title: Mine, type: letter, interval: 1, unit: months }", "names the document type \"letter\""],
    ["closures: [2026-02-30]", "`closures` must be a list of dates"],
    ["colour: red", "`colour` is not a setting of careplan.yaml"],
    ["policy: [", "not valid YAML"],
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
