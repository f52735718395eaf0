// The engine against DOMAIN.md's rules, one small case per row: each test builds a child's facts
// by hand, runs the rules of a policy and asserts the items a person would count by hand.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths } from "../../src/common/dates.js";
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

// DOMAIN.md, "Regimes of the second release". Weekdays from the 2026 calendar; 13 weeks = 91 days.
describe("eligibility for a pathway plan: E = later of the 16th birthday and (later of care beginning and the 14th birthday) + 13 weeks", () => {
  const inCare = (dob: string, lookedAfterSince: string, more: Partial<ChildFacts> = {}) =>
    child({ dob, lookedAfterSince, placements: [{ start: lookedAfterSince, end: undefined, permanent: false }], ...more });
  const pathway = (facts: ChildFacts, asOf: string, policy = ["england"]) => items(facts, asOf, policy).filter((i) => i.rule === "pathway-plan");

  it("in care long before 16: E is the 16th birthday, the same item as the first release gave", () => {
    // born 31 Aug 2010, in care since 6 Jan 2025: 6 Jan + 13 weeks = 7 Apr 2025, before the 16th birthday (Mon 31 Aug 2026).
    const [item] = pathway(inCare("2010-08-31", "2025-01-06"), "2026-09-01");
    expect(item).toMatchObject({ due: "2026-11-30", status: "upcoming", file: "children/C/child.md", reason: "3 months after reaching 16 on 2026-08-31" });
  });

  it("E on the 16th birthday: care began exactly 13 weeks before it", () => {
    // born 4 May 2010: 16 on Mon 4 May 2026; care from Mon 2 Feb 2026: 2 Feb + 26 days = 28 Feb, + 31 = 31 Mar, + 30 = 30 Apr, + 4 = 4 May (91 days).
    expect(pathway(inCare("2010-05-04", "2026-02-02"), "2026-03-01")[0]).toMatchObject({ due: "2026-08-04", reason: "3 months after reaching 16 on 2026-05-04" });
    // newcastle: due on E itself
    expect(pathway(inCare("2010-05-04", "2026-02-02"), "2026-03-01", ["newcastle"])[0]).toMatchObject({ due: "2026-05-04", reason: "on reaching 16 on 2026-05-04" });
  });

  it("E after the 16th birthday: care began a day later, so E is a day later too", () => {
    // care from Tue 3 Feb 2026 + 91 days = Tue 5 May 2026; + 3 months = Wed 5 Aug. The first release said 4 Aug.
    expect(pathway(inCare("2010-05-04", "2026-02-03"), "2026-03-01")[0]).toMatchObject({
      due: "2026-08-05",
      reason: "3 months after becoming eligible on 2026-05-05: 13 weeks in care since 2026-02-03",
    });
    expect(pathway(inCare("2010-05-04", "2026-02-03"), "2026-03-01", ["newcastle"])[0]).toMatchObject({
      due: "2026-05-05",
      reason: "on becoming eligible on 2026-05-05: 13 weeks in care since 2026-02-03",
    });
  });

  it("care starting a few weeks before 16: E is 13 weeks after care began, and a plan from E - 3 months meets it", () => {
    // born 15 Mar 2010 (16 on Sun 15 Mar 2026); care from Mon 2 Feb 2026: E = Mon 4 May; due Tue 4 Aug (the first release said 15 Jun).
    const facts = inCare("2010-03-15", "2026-02-02");
    expect(pathway(facts, "2026-03-01")[0]).toMatchObject({ due: "2026-08-04", status: "upcoming", met: null });
    // E - 3 months = Wed 4 Feb 2026: a plan that day counts, one on Tue 3 Feb does not.
    expect(pathway({ ...facts, documents: [doc("pathway-plan", "2026-02-04")] }, "2026-03-01")[0]).toMatchObject({ status: "met", met: "2026-02-04" });
    expect(pathway({ ...facts, documents: [doc("pathway-plan", "2026-02-03")] }, "2026-03-01")[0]).toMatchObject({ status: "upcoming", met: null });
  });

  it("care starting at 16 and a half: eligible 13 weeks later (the first release gave nothing)", () => {
    // born 10 Sep 2009; care from Tue 10 Mar 2026: + 21 days = 31 Mar, + 30 = 30 Apr, + 31 = 31 May, + 9 = Tue 9 Jun (91 days).
    const facts = inCare("2009-09-10", "2026-03-10");
    expect(pathway(facts, "2026-03-20")[0]).toMatchObject({ due: "2026-09-09", status: "upcoming", reason: "3 months after becoming eligible on 2026-06-09: 13 weeks in care since 2026-03-10" });
    expect(pathway(facts, "2026-03-20", ["newcastle"])[0]).toMatchObject({ due: "2026-06-09", status: "upcoming" });
  });

  it("none when E is on or after the 18th birthday", () => {
    // born 20 Aug 2008: 18 on Thu 20 Aug 2026. Care from Thu 21 May 2026: + 10 days = 31 May, + 30 = 30 Jun, + 31 = 31 Jul, + 20 = 20 Aug: E on the 18th birthday.
    expect(pathway(inCare("2008-08-20", "2026-05-21"), "2026-06-01", ["newcastle"])).toEqual([]);
    // a day earlier, care from Wed 20 May: E = Wed 19 Aug, the day before; newcastle's item is due on it
    expect(pathway(inCare("2008-08-20", "2026-05-20"), "2026-06-01", ["newcastle"])[0]).toMatchObject({ due: "2026-08-19" });
    // england's, 3 months later (19 Nov), falls after the 18th birthday: nothing is due then
    expect(pathway(inCare("2008-08-20", "2026-05-20"), "2026-06-01")).toEqual([]);
  });

  it("left_care on E still counts, the day before does not; a left_care after the as-of date is not known yet", () => {
    // care from 10 Mar 2026 at 16 and a half: E = Tue 9 Jun 2026 (above); newcastle's item is due on E.
    const left = (leftCare: string) => inCare("2009-09-10", "2026-03-10", { leftCare });
    expect(pathway(left("2026-06-09"), "2026-07-01", ["newcastle"])[0]).toMatchObject({ due: "2026-06-09", status: "overdue" });
    expect(pathway(left("2026-06-08"), "2026-07-01", ["newcastle"])).toEqual([]);
    // england: eligible on 9 Jun, but the item (due 9 Sep) falls after leaving care on 9 Jun
    expect(pathway(left("2026-06-09"), "2026-07-01")).toEqual([]);
    // on 1 Jun the departure of 8 Jun has not happened: the child is assumed to stay
    expect(pathway(inCare("2009-09-10", "2026-03-10", { leftCare: undefined }), "2026-06-01", ["newcastle"])[0]).toMatchObject({ due: "2026-06-09", status: "upcoming" });
  });

  it("not for a child on short breaks, under either preset", () => {
    const facts = inCare("2010-08-31", "2025-01-06", { legalStatus: "short-breaks" });
    expect(pathway(facts, "2026-09-01")).toEqual([]);
    expect(pathway(facts, "2026-09-01", ["newcastle"])).toEqual([]);
    // newcastle's assessment at 15 years 9 months stays as it is: 31 Aug 2010 + 189 months = 31 May 2026
    expect(only(items(facts, "2026-09-01", ["newcastle"]), "assessment.pre-pathway")[0]?.due).toBe("2026-05-31");
  });
});

describe("review before a planned move (sparks-fostering): due on each later placement's start, met by a review from 4 weeks before", () => {
  // Care from Mon 5 Jan 2026; the move on Mon 2 Mar. 2 Mar - 28 days: - 2 = 28 Feb, - 26 more = Mon 2 Feb.
  const moved = (second: Partial<PlacementFact> = {}, documents: DocumentFact[] = []) =>
    child({
      placements: [
        { start: "2026-01-05", end: "2026-03-01", permanent: false },
        { start: "2026-03-02", end: undefined, permanent: false, ...second },
      ],
      documents,
    });
  const beforeMove = (facts: ChildFacts, asOf = "2026-03-10", policy = ["sparks-fostering"]) => only(items(facts, asOf, policy), "review.before-move");

  it("a review exactly 4 weeks before the move meets it; a day earlier does not", () => {
    expect(beforeMove(moved({}, [doc("review", "2026-02-02")]))).toEqual([{ due: "2026-03-02", status: "met", met: "2026-02-02", file: "children/C/child.md" }]);
    expect(beforeMove(moved({}, [doc("review", "2026-02-01")]))).toEqual([{ due: "2026-03-02", status: "overdue", met: null, file: "children/C/child.md" }]);
  });

  it("a review after the move meets it late; the first placement of the period makes no item", () => {
    expect(beforeMove(moved({}, [doc("review", "2026-03-05")]))).toEqual([{ due: "2026-03-02", status: "met", met: "2026-03-05", file: "children/C/child.md" }]);
    expect(beforeMove(child({}))).toEqual([]);
  });

  it("not for a move marked emergency; a planned move after it still has one", () => {
    expect(beforeMove(moved({ emergency: true }))).toEqual([]);
    const facts = child({
      placements: [
        { start: "2026-01-05", end: "2026-03-01", permanent: false },
        { start: "2026-03-02", end: "2026-04-19", permanent: false, emergency: true },
        { start: "2026-04-20", end: undefined, permanent: false },
      ],
    });
    expect(beforeMove(facts, "2026-05-01")).toEqual([{ due: "2026-04-20", status: "overdue", met: null, file: "children/C/child.md" }]);
  });

  it("a move after the as-of date has not happened; on the day of the move it is due, not yet overdue", () => {
    expect(beforeMove(moved(), "2026-03-01")).toEqual([]);
    expect(beforeMove(moved(), "2026-03-02")).toEqual([{ due: "2026-03-02", status: "upcoming", met: null, file: "children/C/child.md" }]);
  });

  it("the reason names the move", () => {
    expect(items(moved(), "2026-03-10", ["sparks-fostering"]).find((i) => i.rule === "review.before-move")).toMatchObject({ preset: "sparks-fostering", reason: "on the placement that began on 2026-03-02" });
  });
});

describe("short breaks: the review timetable gives way to a first review within 3 months, then 6-monthly", () => {
  // Care (the series of short breaks) from Mon 5 Jan 2026: + 3 months = Sun 5 Apr. Reviews held Mon 2 Mar and Fri 28 Aug.
  const reviews = () => [doc("review", "2026-03-02"), doc("review", "2026-08-28")];
  const shortBreaks = (more: Partial<ChildFacts> = {}) => child({ legalStatus: "short-breaks", documents: reviews(), ...more });
  const timetable = (list: TimelineItem[]) =>
    list.filter((i) => i.rule.startsWith("review.") && i.rule !== "review.record").map((i) => [i.rule, i.due, i.status, i.met, i.preset]);

  it("england: first review 3 months after care began, then 6 months after each review; no second review", () => {
    const list = items(shortBreaks(), "2026-09-01");
    expect(timetable(list)).toEqual([
      ["review.first", "2026-04-05", "met", "2026-03-02", "england"], // 5 Jan + 3 months
      ["review.subsequent", "2026-09-02", "met", "2026-08-28", "england"], // 2 Mar + 6 months
      ["review.subsequent", "2027-02-28", "upcoming", null, "england"], // 28 Aug + 6 months
    ]);
    expect(list.find((i) => i.rule === "review.first")).toMatchObject({ title: "First review of the short breaks", reason: "short breaks: 3 months after entering care on 2026-01-05" });
    // permanence-plan counts from this first review: 2 Mar + 3 months = Tue 2 Jun
    expect(only(list, "permanence-plan")[0]?.due).toBe("2026-06-02");
    // review.record as usual: Mon 2 Mar + 20 working days = Mon 30 Mar (no bank holiday in March 2026)
    expect(only(list, "review.record").map((i) => i.due)).toContain("2026-03-30");
  });

  it("before any review: the first is pending at 3 months, permanence-plan counts from its due date, nothing else", () => {
    const list = items(shortBreaks({ documents: [] }), "2026-02-10");
    expect(timetable(list)).toEqual([["review.first", "2026-04-05", "upcoming", null, "england"]]);
    expect(only(list, "permanence-plan")[0]?.due).toBe("2026-07-05"); // 5 Apr + 3 months
  });

  it("a review before care began starts nothing; the first on or after care began does", () => {
    const early = doc("review", "2025-12-15");
    const list = items(shortBreaks({ documents: [early, doc("review", "2026-03-02")] }), "2026-04-01");
    expect(timetable(list)).toEqual([
      ["review.first", "2026-04-05", "met", "2026-03-02", "england"],
      ["review.subsequent", "2026-09-02", "upcoming", null, "england"],
    ]);
  });

  const moves: PlacementFact[] = [
    { start: "2026-01-05", end: "2026-03-31", permanent: false },
    { start: "2026-04-01", end: undefined, permanent: false },
  ];

  it.each([
    [["england"], "england", "england"],
    [["newcastle"], "newcastle", "newcastle"], // newcastle's 28-day review gives way too; it has no later reviews of its own
    [["stoke-on-trent"], "stoke-on-trent", "stoke-on-trent"], // only review.placement-change, which gives way
    [["england", "newcastle"], "newcastle", "england"],
    [["england", "stoke-on-trent"], "england", "england"],
    [["england", "care-planning-meetings", "newcastle", "stoke-on-trent", "sparks-fostering"], "newcastle", "england"],
  ])("%j: the same timetable, no review.second nor review.placement-change", (policy, firstPreset, laterPreset) => {
    const list = items(shortBreaks({ placements: moves }), "2026-09-01", policy);
    expect(timetable(list).filter(([rule]) => rule !== "review.before-move")).toEqual([
      ["review.first", "2026-04-05", "met", "2026-03-02", firstPreset],
      ["review.subsequent", "2026-09-02", "met", "2026-08-28", laterPreset],
      ["review.subsequent", "2027-02-28", "upcoming", null, laterPreset],
    ]);
  });

  it("the policy keeps one rule per id: a regime's rule of the same id is a variant of it", () => {
    for (const policy of [["england"], ["newcastle"], ["stoke-on-trent"], ["england", "stoke-on-trent"]]) {
      const ids = rulesOf(policy).map((rule) => rule.id);
      expect(new Set(ids).size, policy.join("+")).toBe(ids.length);
    }
    // stoke-on-trent alone has no review.first of its own: the regime's stands, for children on short breaks only
    expect(rulesOf(["stoke-on-trent"]).find((rule) => rule.id === "review.first")).toMatchObject({ preset: "stoke-on-trent", regime: { label: "short breaks" } });
  });

  it.each([[["care-planning-meetings"]], [["sparks-fostering"]]])("%j: no review timetable to replace, so none is made", (policy) => {
    expect(timetable(items(shortBreaks(), "2026-09-01", policy)).filter(([rule]) => rule !== "review.before-move")).toEqual([]);
  });

  it("every other rule applies as for any child: the review before a move (sparks), visits, care planning meetings", () => {
    const list = items(shortBreaks({ placements: moves }), "2026-09-01", ["care-planning-meetings", "sparks-fostering"]);
    // the move on Wed 1 Apr: 1 Apr - 28 days = Wed 4 Mar, so the review of 2 Mar is too early; the next (28 Aug) meets it, late
    expect(only(list, "review.before-move").map((i) => [i.due, i.met])).toEqual([["2026-04-01", "2026-08-28"]]);
    expect(only(list, "cpm.placement").map((i) => i.due)).toEqual(["2026-01-08", "2026-04-04"]); // each start + 3 days
  });

  it("a child with another legal status keeps the statutory timetable", () => {
    const list = items(child({ legalStatus: "section-20", documents: reviews() }), "2026-09-01");
    expect(timetable(list)).toEqual([
      ["review.first", "2026-02-02", "met", "2026-03-02", "england"], // Mon 5 Jan + 20 working days = Mon 2 Feb, met late
      ["review.second", "2026-06-02", "met", "2026-08-28", "england"], // 2 Mar + 3 months, met late
      ["review.subsequent", "2027-02-28", "upcoming", null, "england"], // 28 Aug + 6 months
    ]);
  });
});

describe("the same kinds of rule, written by an authority in careplan.yaml", () => {
  it("a deadline counted from the eligibility date, for some legal statuses only", () => {
    const rules = {
      "leaving-care.visit": {
        kind: "deadline",
        title: "Personal adviser's first visit",
        from: { eligible: { looked_after: { interval: 13, unit: "weeks" }, counted_from_age: { years: 14 }, at_age: { years: 16 } } },
        applies_to: { legal_status: ["care-order", "section-20"] },
        interval: 6,
        unit: "weeks",
        met_by: { type: "visit" },
      },
    };
    // born 10 Sep 2009, in care from Tue 10 Mar 2026: E = Tue 9 Jun; + 6 weeks: + 21 = 30 Jun, + 21 = Tue 21 Jul
    const facts = (legalStatus: string) => child({ dob: "2009-09-10", lookedAfterSince: "2026-03-10", legalStatus, placements: [{ start: "2026-03-10", end: undefined, permanent: false }] });
    expect(items(facts("section-20"), "2026-04-01", ["england"], rules).find((i) => i.rule === "leaving-care.visit")).toMatchObject({
      due: "2026-07-21",
      preset: "local",
      reason: "6 weeks after becoming eligible on 2026-06-09: 13 weeks in care since 2026-03-10",
    });
    expect(items(facts("remand"), "2026-04-01", ["england"], rules).some((i) => i.rule === "leaving-care.visit")).toBe(false);
  });

  it("a deadline on each planned move, met by a document a set time before it", () => {
    const rules = {
      "cpm.before-move": {
        kind: "deadline",
        title: "Care planning meeting before the move",
        from: { placement: "after-first", where: { emergency: false } },
        interval: 0,
        unit: "days",
        met_by: { type: "care-planning-meeting", since: { before: 2, unit: "weeks" } },
      },
    };
    // the move on Mon 2 Mar 2026: - 14 days = Mon 16 Feb; a meeting on Sun 15 Feb is too early
    const moved = (emergency: boolean, meeting: string) =>
      child({
        placements: [
          { start: "2026-01-05", end: "2026-03-01", permanent: false },
          { start: "2026-03-02", end: undefined, permanent: false, emergency },
        ],
        documents: [doc("care-planning-meeting", meeting)],
      });
    const beforeMove = (facts: ChildFacts) => only(items(facts, "2026-03-10", ["england"], rules), "cpm.before-move").map((i) => [i.due, i.status, i.met]);
    expect(beforeMove(moved(false, "2026-02-16"))).toEqual([["2026-03-02", "met", "2026-02-16"]]);
    expect(beforeMove(moved(false, "2026-02-15"))).toEqual([["2026-03-02", "overdue", null]]);
    expect(beforeMove(moved(true, "2026-02-16"))).toEqual([]);
  });

  it("a preset's rule kept for some children only: applies_to as a change", () => {
    const rules = { "pep.initial": { applies_to: { legal_status: { not: "remand" } } } };
    expect(only(items(child({ legalStatus: "remand" }), "2026-01-10", ["england"], rules), "pep.initial")).toEqual([]);
    expect(only(items(child({ legalStatus: "care-order" }), "2026-01-10", ["england"], rules), "pep.initial")[0]?.due).toBe("2026-01-19");
  });

  it("a local review.first replaces the preset's for children in general; short breaks still give way to their own", () => {
    const rules = { "review.first": { interval: 15, unit: "working-days" } };
    // Mon 5 Jan + 15 working days = Mon 26 Jan; on short breaks, still 5 Jan + 3 months = 5 Apr
    expect(only(items(child({ legalStatus: "care-order" }), "2026-01-10", ["england"], rules), "review.first")[0]?.due).toBe("2026-01-26");
    expect(only(items(child({ legalStatus: "short-breaks" }), "2026-01-10", ["england"], rules), "review.first")[0]?.due).toBe("2026-04-05");
  });
});

describe("eligibility, against a day-by-day count", () => {
  // An oracle that walks the calendar: the first day on which the child is 16 and has been looked
  // after for 91 days (13 weeks) counted from care beginning or the 14th birthday, whichever is later.
  const day = fc.integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2012, 11, 31) / 86_400_000 }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));

  it("newcastle's pathway-plan falls due on that day, and only before the 18th birthday", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 10 * 365, max: 18 * 365 + 5 }), (dob, offset) => {
        const lookedAfterSince = addDays(dob, offset);
        const [at14, at16, at18] = [168, 192, 216].map((months) => addMonths(dob, months)) as [string, string, string];
        let countedDays = 0;
        let expected: string | undefined;
        for (let date = lookedAfterSince; date < at18; date = addDays(date, 1)) {
          if (countedDays >= 91 && date >= at16) {
            expected = date;
            break;
          }
          if (date >= at14) countedDays++;
        }
        const facts = child({ dob, lookedAfterSince, placements: [{ start: lookedAfterSince, end: undefined, permanent: false }] });
        const due = items(facts, lookedAfterSince, ["newcastle"]).filter((i) => i.rule === "pathway-plan").map((i) => i.due);
        expect(due).toEqual(expected === undefined ? [] : [expected]);
      }),
    );
  });
});
