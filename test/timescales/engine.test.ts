// The engine against DOMAIN.md's rules, one small case per row: each test builds a child's facts
// by hand, runs the rules of a policy and asserts the items a person would count by hand.
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { createCalendar } from "../../src/timescales/calendar.js";
import { evaluateChild, type TimelineItem } from "../../src/timescales/engine.js";
import type { ChildFacts, DocumentFact, PlacementFact } from "../../src/timescales/facts.js";
import { resolvePolicy } from "../../src/timescales/policy.js";

const TYPES = ["child", "care-plan", "placement-plan", "care-planning-meeting", "review", "visit", "health-assessment", "pep", "assessment", "pathway-plan"];
const calendar = createCalendar();

function rulesOf(policy: string[], rules: Record<string, unknown> = {}) {
  return resolvePolicy({ ...DEFAULT_CONFIG, policy, rules }, TYPES).rules;
}

let counter = 0;
function doc(type: string, date: string, data: Record<string, unknown> = {}): DocumentFact {
  counter++;
  return { type, date, file: `children/C/${date}-${type}-${counter}.md`, data: { type, date, ...data } };
}

function child(overrides: Partial<ChildFacts> & { documents?: DocumentFact[]; placements?: PlacementFact[] }): ChildFacts {
  const documents = [...(overrides.documents ?? [])].sort((a, b) => (a.date === b.date ? (a.file < b.file ? -1 : 1) : a.date < b.date ? -1 : 1));
  return {
    id: "C",
    file: "children/C/child.md",
    dob: "2015-06-10",
    lookedAfterSince: "2026-01-05",
    leftCare: undefined,
    placements: [{ start: "2026-01-05", end: undefined, permanent: false }],
    ...overrides,
    documents,
  };
}

function items(facts: ChildFacts, asOf: string, policy = ["england"], rules: Record<string, unknown> = {}): TimelineItem[] {
  return evaluateChild(facts, rulesOf(policy, rules), asOf, calendar);
}

function only(list: TimelineItem[], rule: string): Pick<TimelineItem, "due" | "status" | "met" | "file">[] {
  return list.filter((i) => i.rule === rule).map(({ due, status, met, file }) => ({ due, status, met, file }));
}

describe("deadlines after entering care (england)", () => {
  // Mon 5 Jan 2026 + 10 working days = Mon 19 Jan; + 20 = Mon 2 Feb.
  it.each([
    ["care-plan", "2026-01-19"],
    ["review.first", "2026-02-02"],
    ["health-assessment.initial", "2026-02-02"],
    ["pep.initial", "2026-01-19"],
  ])("%s is due on %s and pending with no document", (rule, due) => {
    expect(only(items(child({}), "2026-01-10"), rule)).toEqual([{ due, status: "upcoming", met: null, file: "children/C/child.md" }]);
  });

  it("is overdue the day after its due date, not on it", () => {
    expect(only(items(child({}), "2026-01-19"), "care-plan")[0]?.status).toBe("upcoming");
    expect(only(items(child({}), "2026-01-20"), "care-plan")[0]?.status).toBe("overdue");
  });

  it("a care plan up to 3 months before care began meets the rule; one earlier does not", () => {
    expect(only(items(child({ documents: [doc("care-plan", "2025-10-05")] }), "2026-03-01"), "care-plan")[0]).toMatchObject({ status: "met", met: "2025-10-05" });
    expect(only(items(child({ documents: [doc("care-plan", "2025-10-04")] }), "2026-03-01"), "care-plan")[0]).toMatchObject({ status: "overdue", met: null });
  });

  it("a late document meets the rule late: met holds its date, after due", () => {
    const [item] = only(items(child({ documents: [doc("care-plan", "2026-01-23")] }), "2026-03-01"), "care-plan");
    expect(item).toMatchObject({ status: "met", met: "2026-01-23", due: "2026-01-19" });
  });

  it("pep.initial applies only to children aged 3 or over on the due date", () => {
    expect(only(items(child({ dob: "2023-01-20" }), "2026-01-10"), "pep.initial")).toEqual([]);
    expect(only(items(child({ dob: "2023-01-19" }), "2026-01-10"), "pep.initial")).toHaveLength(1);
  });

  it("a child whose care begins after the as-of date has no items", () => {
    expect(items(child({ lookedAfterSince: "2026-02-01" }), "2026-01-31")).toEqual([]);
  });
});

describe("the review timetable", () => {
  it("first review met, second due 3 months after it, then 6-monthly from the actual dates", () => {
    const facts = child({ documents: [doc("review", "2026-01-30"), doc("review", "2026-05-15"), doc("review", "2026-11-01")] });
    const list = items(facts, "2026-12-01");
    expect(only(list, "review.first")).toEqual([{ due: "2026-02-02", status: "met", met: "2026-01-30", file: "children/C/child.md" }]);
    expect(only(list, "review.second").map((i) => [i.due, i.met])).toEqual([["2026-04-30", "2026-05-15"]]);
    expect(only(list, "review.subsequent").map((i) => [i.due, i.status, i.met])).toEqual([
      ["2026-11-15", "met", "2026-11-01"],
      ["2027-05-01", "upcoming", null],
    ]);
  });

  it("a review dated before care began starts no review cycle; the first review on or after it does", () => {
    const early = doc("review", "2025-12-15");
    const first = doc("review", "2026-01-30");
    const list = items(child({ documents: [early, first] }), "2026-02-10");
    expect(only(list, "review.first")[0]).toMatchObject({ met: "2026-01-30" });
    expect(only(list, "review.second")).toEqual([{ due: "2026-04-30", status: "upcoming", met: null, file: first.file }]);
    expect(only(list, "review.subsequent")).toEqual([]);
    // With no first review yet, there is no second to count.
    expect(only(items(child({ documents: [early] }), "2026-01-20"), "review.second")).toEqual([]);
  });

  it("the second review counts from the month end clamp: 31 Aug + 3 months = 30 Nov", () => {
    const facts = child({ lookedAfterSince: "2026-08-10", placements: [{ start: "2026-08-10", end: undefined, permanent: false }], documents: [doc("review", "2026-08-31")] });
    expect(only(items(facts, "2026-09-01"), "review.second")[0]?.due).toBe("2026-11-30");
  });

  it("review.record is due 20 working days after each review and met by record_circulated (stoke: 14 days)", () => {
    const review = doc("review", "2026-01-30", { record_circulated: "2026-02-20" });
    expect(only(items(child({ documents: [review] }), "2026-03-01"), "review.record")).toEqual([{ due: "2026-02-27", status: "met", met: "2026-02-20", file: review.file }]);
    expect(only(items(child({ documents: [review] }), "2026-03-01", ["england", "stoke-on-trent"]), "review.record")[0]).toMatchObject({ due: "2026-02-13", met: "2026-02-20" });
  });

  it("a record_circulated after the as-of date has not happened yet", () => {
    const review = doc("review", "2026-01-30", { record_circulated: "2026-02-20" });
    expect(only(items(child({ documents: [review] }), "2026-02-19"), "review.record")[0]).toMatchObject({ status: "upcoming", met: null });
  });

  it("stoke: a review after a change of placement restarts the cycle", () => {
    const facts = child({
      placements: [
        { start: "2026-01-05", end: "2026-06-01", permanent: false },
        { start: "2026-06-01", end: undefined, permanent: false },
      ],
      documents: [doc("review", "2026-01-30"), doc("review", "2026-04-20"), doc("review", "2026-06-20")],
    });
    const list = items(facts, "2026-07-01", ["england", "stoke-on-trent"]);
    // 1 Jun + 4 weeks = 29 Jun, met by the first review on or after 1 Jun.
    expect(only(list, "review.placement-change").map((i) => [i.due, i.met])).toEqual([["2026-06-29", "2026-06-20"]]);
    // 20 Jun began a new cycle: the next is a second review, 3 months on.
    expect(only(list, "review.second").map((i) => [i.due, i.met])).toEqual([
      ["2026-04-30", "2026-04-20"],
      ["2026-09-20", null],
    ]);
    // The 6-monthly item from 20 Apr was met by the review of 20 Jun.
    expect(only(list, "review.subsequent").map((i) => [i.due, i.met])).toEqual([["2026-10-20", "2026-06-20"]]);
  });

  it("permanence-plan counts from the first review, or its due date while it is not held", () => {
    expect(only(items(child({}), "2026-01-10"), "permanence-plan")[0]).toMatchObject({ due: "2026-05-02", file: "children/C/child.md" });
    const review = doc("review", "2026-01-28");
    expect(only(items(child({ documents: [review] }), "2026-02-10"), "permanence-plan")[0]).toMatchObject({ due: "2026-04-28", file: review.file });
    // under newcastle the first review is due 28 days after care began: 2 Feb, + 3 months = 2 May
    expect(only(items(child({}), "2026-01-10", ["england", "newcastle"]), "permanence-plan")[0]?.due).toBe("2026-05-02");
  });

  it("permanence-plan is met by the first care plan whose permanence_plan is agreed", () => {
    const list = items(
      child({ documents: [doc("care-plan", "2026-01-15", { permanence_plan: "not-yet-agreed" }), doc("care-plan", "2026-03-10", { permanence_plan: "return-home" })] }),
      "2026-04-01",
    );
    expect(only(list, "permanence-plan")[0]).toMatchObject({ status: "met", met: "2026-03-10" });
  });
});

describe("placements", () => {
  const twoPlacements: PlacementFact[] = [
    { start: "2025-06-01", end: "2026-01-04", permanent: false }, // history: before this period of care
    { start: "2026-01-05", end: "2026-03-02", permanent: false },
    { start: "2026-03-02", end: undefined, permanent: false },
  ];

  it("placement-plan: each placement of the period, met by the plan whose placement_start matches", () => {
    const plan = doc("placement-plan", "2026-03-04", { placement_start: "2026-03-02" });
    const list = items(child({ placements: twoPlacements, documents: [plan] }), "2026-03-20");
    expect(only(list, "placement-plan").map((i) => [i.due, i.status, i.met])).toEqual([
      ["2026-01-12", "overdue", null],
      ["2026-03-09", "met", "2026-03-04"],
    ]);
  });

  it("visit.placement: a visit within a week of each placement's start, the first included", () => {
    const list = items(child({ placements: twoPlacements, documents: [doc("visit", "2026-03-05", { seen_alone: true })] }), "2026-03-20");
    expect(only(list, "visit.placement").map((i) => [i.due, i.status])).toEqual([
      ["2026-01-12", "met"],
      ["2026-03-09", "met"],
    ]);
  });

  it("a placement starting after the as-of date has not begun", () => {
    expect(only(items(child({ placements: twoPlacements }), "2026-02-01"), "placement-plan")).toHaveLength(1);
  });

  it("cpm.placement is 72 hours (3 days) after each placement", () => {
    const list = items(child({ placements: twoPlacements }), "2026-03-20", ["england", "care-planning-meetings"]);
    expect(only(list, "cpm.placement").map((i) => i.due)).toEqual(["2026-01-08", "2026-03-05"]);
  });
});

describe("visits", () => {
  it("england: 6 weeks after the actual previous visit; nothing due before the first", () => {
    expect(only(items(child({}), "2026-01-10"), "visit")).toEqual([]);
    const list = items(child({ documents: [doc("visit", "2026-01-08"), doc("visit", "2026-02-25")] }), "2026-03-01");
    expect(only(list, "visit").map((i) => [i.due, i.met])).toEqual([
      ["2026-02-19", "2026-02-25"],
      ["2026-04-08", null],
    ]);
  });

  it("england: 3 months once a visit is over a year into a permanent placement (not on the anniversary)", () => {
    const placements = [{ start: "2026-01-05", end: undefined, permanent: true }];
    const onAnniversary = items(child({ placements, documents: [doc("visit", "2027-01-05")] }), "2027-01-06");
    expect(only(onAnniversary, "visit")[0]?.due).toBe("2027-02-16");
    const dayAfter = items(child({ placements, documents: [doc("visit", "2027-01-06")] }), "2027-01-07");
    expect(only(dayAfter, "visit")[0]?.due).toBe("2027-04-06");
  });

  it("newcastle: 4 weeks in the first year of care, 6 weeks after", () => {
    const policy = ["england", "newcastle"];
    expect(only(items(child({ documents: [doc("visit", "2027-01-04")] }), "2027-01-05", policy), "visit")[0]?.due).toBe("2027-02-01");
    expect(only(items(child({ documents: [doc("visit", "2027-01-05")] }), "2027-01-06", policy), "visit")[0]?.due).toBe("2027-02-16");
  });

  it("sparks: monthly visits, and an unannounced one 12 months from the first placement", () => {
    const list = items(child({ documents: [doc("visit", "2026-01-31", { unannounced: false })] }), "2026-02-01", ["sparks-fostering"]);
    expect(only(list, "visit")[0]?.due).toBe("2026-02-28");
    expect(only(list, "visit.unannounced")).toEqual([{ due: "2027-01-05", status: "upcoming", met: null, file: "children/C/child.md" }]);
  });
});

describe("health assessments", () => {
  it("6-monthly under 5, 12-monthly from 5, by age on the previous assessment's date", () => {
    const young = child({ dob: "2022-03-01", documents: [doc("health-assessment", "2026-01-20")] });
    expect(only(items(young, "2026-02-01"), "health-assessment")[0]?.due).toBe("2026-07-20");
    const five = child({ dob: "2021-01-20", documents: [doc("health-assessment", "2026-01-20")] });
    expect(only(items(five, "2026-02-01"), "health-assessment")[0]?.due).toBe("2027-01-20");
  });

  it("a first assessment made before care began: the cycle counts from the first review", () => {
    const before = doc("health-assessment", "2025-12-01");
    expect(only(items(child({ documents: [before] }), "2026-01-20"), "health-assessment")).toEqual([]);
    const review = doc("review", "2026-01-30");
    const list = items(child({ documents: [before, review] }), "2026-02-10");
    expect(only(list, "health-assessment")).toEqual([{ due: "2027-01-30", status: "upcoming", met: null, file: review.file }]);
    expect(only(list, "health-assessment.initial")[0]).toMatchObject({ status: "met", met: "2025-12-01" });
  });
});

describe("ages and cut-offs", () => {
  it("pathway-plan: 16th birthday + 3 months for a child looked after on that birthday", () => {
    const facts = child({ dob: "2010-08-31", lookedAfterSince: "2025-01-06", placements: [{ start: "2025-01-06", end: undefined, permanent: false }] });
    expect(only(items(facts, "2026-09-01"), "pathway-plan")[0]).toMatchObject({ due: "2026-11-30", status: "upcoming" });
    // a pathway plan from 3 months before the birthday counts
    const withPlan = { ...facts, documents: [doc("pathway-plan", "2026-05-31")] };
    expect(only(items(withPlan, "2026-09-01"), "pathway-plan")[0]).toMatchObject({ status: "met", met: "2026-05-31" });
  });

  it("pathway-plan: not for a child who left care before the 16th birthday; a left_care on the day counts", () => {
    const base = { dob: "2010-08-31", lookedAfterSince: "2025-01-06", placements: [{ start: "2025-01-06", end: undefined, permanent: false }] };
    expect(only(items(child({ ...base, leftCare: "2026-08-30" }), "2026-09-01"), "pathway-plan")).toEqual([]);
    // left care on the birthday: still looked after that day, but the item (due 30 Nov) falls after left_care
    expect(only(items(child({ ...base, leftCare: "2026-08-31" }), "2026-12-01"), "pathway-plan")).toEqual([]);
  });

  it("newcastle: pre-pathway assessment at 15 years 9 months (189 months, clamped to the month's end)", () => {
    const facts = child({ dob: "2011-05-31", lookedAfterSince: "2026-01-05" });
    expect(only(items(facts, "2027-01-01", ["newcastle"]), "assessment.pre-pathway")[0]?.due).toBe("2027-02-28");
  });

  it("nothing is due on or after the 18th birthday", () => {
    const facts = child({ dob: "2008-02-10", documents: [doc("visit", "2026-01-06")] });
    expect(only(items(facts, "2026-01-10"), "visit")).toEqual([]); // due 17 Feb 2026, after the 18th birthday
  });

  it("nothing is due after left_care, but an item due before it stays listed", () => {
    const facts = child({ leftCare: "2026-01-25" });
    const list = items(facts, "2026-03-01");
    expect(only(list, "care-plan")[0]).toMatchObject({ status: "overdue" }); // due 19 Jan, before leaving
    expect(only(list, "review.first")).toEqual([]); // due 2 Feb, after leaving
  });
});

describe("documents of an earlier period", () => {
  it("a document more than 3 months before care began meets nothing and starts no chain", () => {
    const list = items(child({ documents: [doc("visit", "2025-09-01")] }), "2026-01-10");
    expect(only(list, "visit")).toEqual([]);
  });
});

describe("actions", () => {
  it("come from the latest care plan, meeting and review; a newer document supersedes older actions", () => {
    const old = doc("review", "2026-01-30", { actions: [{ action: "Old", who: "SW", when: "2026-02-10" }] });
    const latest = doc("review", "2026-04-20", {});
    const plan = doc("care-plan", "2026-01-15", { actions: [{ action: "Book dentist", who: "Carer", when: "2026-02-01", done: "2026-01-30" }, { action: "Referral", who: "SW", when: "2026-02-05" }] });
    const list = items(child({ documents: [old, latest, plan] }), "2026-05-01").filter((i) => i.rule === "action");
    expect(list.map(({ title, due, status, met, file }) => ({ title, due, status, met, file }))).toEqual([
      { title: "Book dentist", due: "2026-02-01", status: "met", met: "2026-01-30", file: plan.file },
      { title: "Referral", due: "2026-02-05", status: "overdue", met: null, file: plan.file },
    ]);
  });

  it("exist only under a preset that has the action rule", () => {
    const plan = doc("care-plan", "2026-01-15", { actions: [{ action: "Referral", who: "SW", when: "2026-02-05" }] });
    expect(items(child({ documents: [plan] }), "2026-05-01", ["newcastle"]).filter((i) => i.rule === "action")).toEqual([]);
  });
});

describe("configuration", () => {
  it("changes a rule's interval and unit; the reason says so", () => {
    const [item] = items(child({}), "2026-01-10", ["england"], { "care-plan": { interval: 5, unit: "days" } }).filter((i) => i.rule === "care-plan");
    expect(item).toMatchObject({ due: "2026-01-10", preset: "england", reason: "5 days after entering care on 2026-01-05" });
  });

  it("switches a rule off and adds a local rule", () => {
    const list = items(child({ documents: [doc("assessment", "2026-01-20", { kind: "child-and-family" })] }), "2026-02-01", ["england"], {
      pep: "off",
      "assessment.six-monthly": { kind: "recurrence", title: "Assessment updated", type: "assessment", interval: 6, unit: "months" },
    });
    expect(list.some((i) => i.rule === "pep")).toBe(false);
    expect(list.filter((i) => i.rule === "assessment.six-monthly")).toMatchObject([{ due: "2026-07-20", preset: "local" }]);
  });
});
