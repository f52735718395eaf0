// docs/rules.md, claim by claim: what the page says of the rule language that no other test
// pins. Each case builds a child's facts (or a repository) by hand and asserts what the page says.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { DEFAULT_CONFIG, parseConfig } from "../../src/config/config.js";
import { createCalendar } from "../../src/timescales/calendar.js";
import { evaluateChild, type TimelineItem } from "../../src/timescales/engine.js";
import type { ChildFacts, DocumentFact, PlacementFact } from "../../src/timescales/facts.js";
import { resolvePolicy } from "../../src/timescales/policy.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const TYPES = ["child", "care-plan", "placement-plan", "care-planning-meeting", "review", "visit", "health-assessment", "pep", "assessment", "pathway-plan"];
const calendar = createCalendar();

let counter = 0;
function doc(type: string, date: string, data: Record<string, unknown> = {}): DocumentFact {
  counter++;
  return { type, date, file: `children/C/${date}-${type}-${counter}.md`, data: { type, date, ...data } };
}

function child(overrides: Partial<ChildFacts> = {}): ChildFacts {
  return { id: "C", file: "children/C/child.md", dob: "2015-06-10", lookedAfterSince: "2026-01-05", leftCare: undefined, placements: [{ start: "2026-01-05", end: undefined, permanent: false }], documents: [], ...overrides };
}

function items(facts: ChildFacts, asOf: string, policy: string[], rules: Record<string, unknown> = {}): TimelineItem[] {
  return evaluateChild(facts, resolvePolicy({ ...DEFAULT_CONFIG, policy, rules }, TYPES).rules, asOf, calendar);
}

const dues = (list: TimelineItem[], rule: string) => list.filter((i) => i.rule === rule).map((i) => [i.anchor, i.due]);
const policyError = (rules: Record<string, unknown>, policy = ["england"]) => {
  try {
    resolvePolicy({ ...DEFAULT_CONFIG, policy, rules }, TYPES);
  } catch (error) {
    return (error as Error).message.replace(/\s+/g, " ");
  }
  return undefined;
};

describe("switching a rule off", () => {
  it("`false` is `off`; `no`, `Off` and other words are configuration errors", () => {
    const rulesOf = (yaml: string) => parseConfig(`rules:\n  pep: ${yaml}\n`, "careplan.yaml").rules;
    const without = resolvePolicy({ ...DEFAULT_CONFIG, rules: rulesOf("off") }, TYPES).rules.map((r) => r.id);
    expect(without).not.toContain("pep");
    expect(resolvePolicy({ ...DEFAULT_CONFIG, rules: rulesOf("false") }, TYPES).rules.map((r) => r.id)).toEqual(without);
    for (const word of ["no", "Off", "'false'"]) {
      expect(() => resolvePolicy({ ...DEFAULT_CONFIG, rules: rulesOf(word) }, TYPES)).toThrow("`rules.pep` must be `off` or a mapping of settings");
    }
  });

  it("switching off review.first names every rule counting from it, at once", () => {
    expect(policyError({ "review.first": "off" })).toBe(
      "careplan.yaml: rules `permanence-plan` (england) and `health-assessment` (england) count from rule `review.first`, which `rules.review.first` switches off: switch them off too, or keep `review.first`.",
    );
    expect(policyError({ "review.first": "off", "permanence-plan": "off", "health-assessment": false })).toBeUndefined();
  });

  it("under newcastle alone, nothing counts from its review.first", () => {
    expect(policyError({ "review.first": "off" }, ["newcastle"])).toBeUndefined();
  });
});

describe("changing a rule's interval or unit", () => {
  // Care from Mon 8 Jan 2024 in a placement marked permanent; a year into it is 8 Jan 2025.
  const permanent = child({ lookedAfterSince: "2024-01-08", placements: [{ start: "2024-01-08", end: undefined, permanent: true }], documents: [doc("visit", "2024-06-03"), doc("visit", "2025-03-03")] });

  it("keeps the rule's conditional intervals: england's 3 months over a year into a permanent placement", () => {
    expect(dues(items(permanent, "2025-03-10", ["england"], { visit: { interval: 4, unit: "weeks" } }), "visit")).toEqual([
      ["2024-06-03", "2024-07-01"], // 4 weeks: the new interval
      ["2025-03-03", "2025-06-03"], // 3 months: the condition still holds and wins
    ]);
  });

  it("keeps newcastle's 4 weeks in the first year of care", () => {
    const facts = child({ documents: [doc("visit", "2026-03-02"), doc("visit", "2027-02-01")] });
    expect(dues(items(facts, "2027-02-10", ["newcastle"], { visit: { interval: 8, unit: "weeks" } }), "visit")).toEqual([
      ["2026-03-02", "2026-03-30"], // first year: 4 weeks, as before
      ["2027-02-01", "2027-03-29"], // after it: 8 weeks
    ]);
  });

  it("a `unit` alone keeps the number: england's 6 weeks become 6 months", () => {
    const facts = child({ documents: [doc("visit", "2026-02-02")] });
    expect(dues(items(facts, "2026-03-01", ["england"], { visit: { unit: "months" } }), "visit")).toEqual([["2026-02-02", "2026-08-02"]]);
  });

  it("an action's interval or unit is refused, naming the key", () => {
    expect(policyError({ action: { interval: 5 } })).toBe("careplan.yaml: `rules.action`: `interval` cannot be set: actions are due on their own `when` dates. Only `title`, `description` and `applies_to` can change, or switch the rule off.");
    expect(policyError({ action: { unit: "days" } })).toContain("`rules.action`: `unit` cannot be set");
    expect(policyError({ action: { interval: 5, unit: "days" } })).toContain("`rules.action`: `interval` and `unit` cannot be set");
    expect(policyError({ action: { description: "Actions agreed with the family" } })).toBeUndefined();
  });
});

describe("retitling `action`", () => {
  it("renames the rule, not its items: each action keeps its own text as its title", () => {
    const plan = doc("care-plan", "2026-01-15", { actions: [{ action: "Book the dentist", who: "Carer", when: "2026-02-01" }] });
    const rules = resolvePolicy({ ...DEFAULT_CONFIG, rules: { action: { title: "Agreed task" } } }, TYPES).rules;
    expect(rules.find((r) => r.id === "action")).toMatchObject({ title: "Agreed task", preset: "england" });
    const list = evaluateChild(child({ documents: [plan] }), rules, "2026-03-01", calendar).filter((i) => i.rule === "action");
    expect(list.map((i) => [i.title, i.preset])).toEqual([["Book the dentist", "england"]]);
  });
});

describe("`applies_to` in an override", () => {
  it("replaces the rule's own condition: pathway-plan's `not: short-breaks` goes unless named again", () => {
    // born 31 Aug 2010, in care since 6 Jan 2025: eligible on the 16th birthday.
    const facts = (legalStatus: string) => child({ dob: "2010-08-31", lookedAfterSince: "2025-01-06", placements: [{ start: "2025-01-06", end: undefined, permanent: false }], legalStatus });
    const pathway = (legalStatus: string, applies_to: unknown) => items(facts(legalStatus), "2026-09-01", ["england"], { "pathway-plan": { applies_to } }).filter((i) => i.rule === "pathway-plan").length;
    expect(pathway("short-breaks", { legal_status: { not: "remand" } })).toBe(1);
    expect(pathway("short-breaks", { legal_status: { not: ["short-breaks", "remand"] } })).toBe(0);
    expect(pathway("remand", { legal_status: { not: ["short-breaks", "remand"] } })).toBe(0);
    expect(pathway("care-order", { legal_status: { not: ["short-breaks", "remand"] } })).toBe(1);
  });
});

describe("a local rule from the eligibility date", () => {
  it("gives a child on short breaks a date unless its `applies_to` leaves them out, as the page says", () => {
    const facts = child({ dob: "2010-08-31", lookedAfterSince: "2025-01-06", placements: [{ start: "2025-01-06", end: undefined, permanent: false }], legalStatus: "short-breaks" });
    const eligible = { looked_after: { interval: 13, unit: "weeks" }, counted_from_age: { years: 14 }, at_age: { years: 16 } };
    const local = (extra: Record<string, unknown>) => ({ "leaving-care.visit": { kind: "deadline", title: "Leaving care visit", from: { eligible }, interval: 1, unit: "months", met_by: { type: "visit" }, ...extra } });
    const count = (extra: Record<string, unknown>) => items(facts, "2026-12-01", ["england"], local(extra)).filter((i) => i.rule === "leaving-care.visit").length;
    expect(count({})).toBe(1);
    expect(count({ applies_to: { legal_status: { not: "short-breaks" } } })).toBe(0);
  });
});

describe("a retitled rule in every view", () => {
  it("the SARIF rule list names `action` by its new title; the timeline's items keep each action's text", async () => {
    const folder = temporaryFolder();
    try {
      const repo = join(folder.path, "example");
      cpSync(join(PACKAGE_ROOT, "fixtures/example"), repo, { recursive: true });
      const config = join(repo, "careplan.yaml");
      writeFileSync(config, readFileSync(config, "utf8").replace("rules: {}", "rules:\n  action: { title: Agreed task }\n  visit: { title: Social work visit }"));
      const sarif = await runCli(["check", repo, "--as-of", "2026-03-02", "--format", "sarif"], { cwd: repo });
      expect(sarif.stdout).toContain("Agreed task");
      const timeline = JSON.parse((await runCli(["timeline", repo, "--as-of", "2026-03-02", "--format", "json"], { cwd: repo })).stdout) as { items: { rule: string; title: string }[] };
      expect(timeline.items.filter((i) => i.rule === "action").map((i) => i.title)).not.toContain("Agreed task");
      expect(new Set(timeline.items.filter((i) => i.rule === "visit").map((i) => i.title))).toEqual(new Set(["Social work visit"]));
    } finally {
      folder.remove();
    }
  });
});

describe("the shape of an `intervals` entry", () => {
  const local = (intervals: unknown) => ({ mine: { kind: "recurrence", title: "Mine", type: "assessment", interval: 6, unit: "months", intervals } });

  it("is { when, interval, unit }; the first whose condition holds on the date counted from wins", () => {
    const rules = local([
      { when: { age_below: { years: 12 } }, interval: 3, unit: "months" },
      { when: { in_care_less_than: { interval: 12, unit: "months" } }, interval: 1, unit: "months" },
    ]);
    // born 10 Jun 2015: under 12 and in the first year of care on 2 Feb 2026; both hold, the first wins.
    expect(dues(items(child({ documents: [doc("assessment", "2026-02-02")] }), "2026-03-01", ["england"], rules), "mine")).toEqual([["2026-02-02", "2026-05-02"]]);
    // born 10 Jun 2013: 12 on 2 Feb 2026, so the second holds.
    expect(dues(items(child({ dob: "2013-06-10", documents: [doc("assessment", "2026-02-02")] }), "2026-03-01", ["england"], rules), "mine")).toEqual([["2026-02-02", "2026-03-02"]]);
  });

  it.each([
    [[{ when: { age_below: { years: 5 } }, interval: 3 }], "`rules.mine`: `intervals.0` needs `unit`"],
    [[{ interval: 3, unit: "months" }], "`rules.mine`: `intervals.0` needs `when`"],
    [[{ when: { age_below: { years: 5 } }, interval: 3, unit: "months", note: "x" }], "`rules.mine`: `intervals.0` has `note`, which the rule language does not have"],
    [{ when: { age_below: { years: 5 } }, interval: 3, unit: "months" }, "`rules.mine`: `intervals` must be a list"],
  ])("%j is refused", (intervals, message) => {
    expect(policyError(local(intervals))).toContain(message);
  });
});

describe("`from: { placement: all }`", () => {
  it("counts every placement of the period of care begun by the as-of date, ended or not; none begun before care or after the as-of date", () => {
    const placements: PlacementFact[] = [
      { start: "2025-11-03", end: "2026-01-04", permanent: false }, // before care began: history
      { start: "2026-01-05", end: "2026-02-01", permanent: false }, // ended
      { start: "2026-02-02", end: undefined, permanent: false },
      { start: "2026-04-06", end: undefined, permanent: false }, // after the as-of date
    ];
    expect(dues(items(child({ placements }), "2026-03-01", ["england"]), "placement-plan")).toEqual([
      ["2026-01-05", "2026-01-12"],
      ["2026-02-02", "2026-02-09"],
    ]);
  });
});

describe("`since` in an age rule's `met_by`", () => {
  // born 10 Jun 2015: 11 on Wed 10 Jun 2026, due a month later.
  const rule = (since?: unknown) => ({ eleven: { kind: "age", title: "At 11", age: { years: 11 }, interval: 1, unit: "months", met_by: { type: "assessment", ...(since === undefined ? {} : { since }) } } });
  const met = (date: string, since?: unknown) => items(child({ documents: [doc("assessment", date, { kind: "child-and-family" })] }), "2026-08-01", ["england"], rule(since)).find((i) => i.rule === "eleven")?.met ?? null;

  it.each([
    ["2026-06-10", undefined, "2026-06-10"], // the default, `trigger`: on or after the birthday itself
    ["2026-06-20", undefined, "2026-06-20"], // ... before the due date too
    ["2026-06-09", undefined, null],
    ["2026-03-10", { before: 3, unit: "months" }, "2026-03-10"], // counted back from the birthday, not the due date
    ["2026-03-09", { before: 3, unit: "months" }, null],
    ["2025-12-10", { age: { years: 10, months: 6 } }, "2025-12-10"],
    ["2025-12-09", { age: { years: 10, months: 6 } }, null],
    ["2025-10-05", "period", "2025-10-05"], // anywhere in the period of care: from 3 months before it began
    ["2025-10-04", "period", null],
  ])("an assessment on %s with since %j: met %s", (date, since, expected) => {
    expect(met(date, since)).toBe(expected);
  });
});

describe("paths and filters of `careplan timeline`", () => {
  const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
  const json = async (...args: string[]) => JSON.parse((await runCli(["timeline", ...args, "--as-of", "2026-03-02", "--all", "--format", "json"], { cwd: PACKAGE_ROOT })).stdout) as { items: { child: string }[] };

  it("a path naming one document selects that document's child, whole", async () => {
    const byDocument = await json(join(EXAMPLE, "children/AB-1042/2026-01-12-care-plan.md"));
    expect(byDocument.items.length).toBeGreaterThan(5);
    expect(byDocument.items).toEqual((await json(EXAMPLE, "--child", "AB-1042")).items);
  });

  it("check, given one document, reports that document's findings only", async () => {
    const run = await runCli(["check", join(EXAMPLE, "children/JK-7788/2026-01-27-review.md"), "--as-of", "2026-03-02", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect((JSON.parse(run.stdout) as { findings: { file: string; rule: string }[] }).findings.map((f) => [f.file, f.rule])).toEqual([["children/JK-7788/2026-01-27-review.md", "timescale/review.record"]]);
  });

  it("--team matches whatever the case and spacing; a child with no team is in no team's list", async () => {
    const folder = temporaryFolder();
    try {
      const repo = join(folder.path, "caseload");
      cpSync(join(PACKAGE_ROOT, "fixtures/timeline/caseload"), repo, { recursive: true });
      const profile = join(repo, "children/AA-1/child.md");
      writeFileSync(profile, readFileSync(profile, "utf8").replace("  team: East\n", ""));
      const children = async (...filter: string[]) => [...new Set((await json(repo, ...filter)).items.map((i) => i.child))].sort();
      expect(await children()).toEqual(["AA-1", "BB-2", "CC-3"]);
      expect(await children("--team", "  WEST ")).toEqual(["BB-2", "CC-3"]);
      expect(await children("--worker", "jo khan")).toEqual(["AA-1"]);
      const east = await runCli(["timeline", repo, "--as-of", "2026-03-02", "--team", "East"], { cwd: PACKAGE_ROOT });
      expect(east.code).toBe(2);
      expect(east.stderr).toContain("--team East: no child in the selected folders has this team.");
    } finally {
      folder.remove();
    }
  });
});

describe("a local rule counting visits of one kind", () => {
  it("`where` on the visit's visitor_role keeps the supervising social worker's visits apart", () => {
    const rules = { "visit.supervising": { kind: "recurrence", title: "Supervising social worker's visit", type: "visit", where: { visitor_role: "supervising-social-worker" }, interval: 1, unit: "months" } };
    const facts = child({ documents: [doc("visit", "2026-01-20", { visitor_role: "supervising-social-worker" }), doc("visit", "2026-02-03", { visitor_role: "social-worker" })] });
    expect(dues(items(facts, "2026-03-01", ["england"], rules), "visit.supervising")).toEqual([["2026-01-20", "2026-02-20"]]);
    expect(dues(items(facts, "2026-03-01", ["england"], rules), "visit")).toEqual([
      ["2026-01-20", "2026-03-03"],
      ["2026-02-03", "2026-03-17"],
    ]);
  });
});
