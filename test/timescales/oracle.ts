// A second, independent reading of DOMAIN.md's timescales, written from DOMAIN.md and CONTRACT.md
// alone (not from the engine): plain and slow on purpose, one function per row of each preset, so
// that a difference with `careplan timeline` points at one sentence of the text. Only the
// calendar (the bank-holiday table is data) and the date helpers are shared with the tool.
//
// Where DOMAIN.md leaves a choice, the oracle reads: "N months before D" is D − N months by the
// same rule as after (31 May − 3 months = 28 Feb, which still counts); "the next" document is the
// next by date (the generator makes one document of a type a day); on a change-over day the child
// is in the placement that began that day; the short-breaks rules stand in whenever a policy
// names any review rule they replace (so `newcastle` alone gains review.subsequent for them).
import { addDays, addMonths, type IsoDate } from "../../src/common/dates.js";
import { createCalendar, type WorkingCalendar } from "../../src/timescales/calendar.js";

export const PRESETS = ["england", "care-planning-meetings", "newcastle", "stoke-on-trent", "sparks-fostering"] as const;
export type Preset = (typeof PRESETS)[number];

export interface OraclePlacement {
  start: IsoDate;
  end?: IsoDate;
  permanent?: boolean;
  emergency?: boolean;
}

export interface OracleChild {
  id: string;
  dob: IsoDate;
  looked_after_since: IsoDate;
  left_care?: IsoDate;
  legal_status: string;
  placements: OraclePlacement[];
}

export interface OracleAction {
  action: string;
  when: IsoDate;
  done?: IsoDate;
}

export interface OracleDocument {
  type: string;
  date: IsoDate;
  /** Posix path relative to the repository. */
  file: string;
  /** The type's own fields: permanence_plan, placement_start, distributed, record_circulated, unannounced, kind, actions. */
  fields: Record<string, unknown>;
}

export interface OracleItem {
  child: string;
  rule: string;
  due: IsoDate;
  status: "met" | "overdue" | "upcoming";
  met: IsoDate | null;
  file: string;
}

export interface OraclePolicy {
  policy: readonly Preset[];
  asOf: IsoDate;
  closures?: readonly IsoDate[];
}

/** An item before status: due, what met it (if anything), what it counts from. */
interface Deadline {
  rule: string;
  due: IsoDate;
  met: IsoDate | undefined;
  file: string;
}

/** Everything a rule may look at, already cut to the as-of snapshot and the period of care. */
interface Facts {
  child: OracleChild;
  profile: string;
  asOf: IsoDate;
  las: IsoDate;
  leftCare: IsoDate | undefined;
  /** The placements of the period of care, oldest first, ends after as-of left open. */
  placements: OraclePlacement[];
  /** Every placement begun by as-of, earlier periods' too. */
  allPlacements: OraclePlacement[];
  /** The documents that count, by type, oldest first. */
  docs: (type: string) => OracleDocument[];
  calendar: WorkingCalendar;
  inForce: Map<string, Preset>;
  shortBreaks: boolean;
}

const birthday = (dob: IsoDate, years: number, months = 0) => addMonths(dob, 12 * years + months);
/** A date field after as-of has not happened yet. */
const happened = (value: unknown, asOf: IsoDate): IsoDate | undefined => (typeof value === "string" && value <= asOf ? value : undefined);

/** The first document of the list dated on or after `from` (the list is oldest first). */
function firstOnOrAfter(documents: OracleDocument[], from: IsoDate): OracleDocument | undefined {
  return documents.find((d) => d.date >= from);
}

/** Each document makes the next item, met by the document after it ("recurring rules count from the actual previous event"). */
function chain(rule: string, documents: OracleDocument[], dueAfter: (d: OracleDocument) => IsoDate): Deadline[] {
  return documents.map((d, i) => ({ rule, due: dueAfter(d), met: documents[i + 1]?.date, file: d.file }));
}

/**
 * The placement the child lived in on a date (on a change-over day, the one that began that day),
 * of this period of care or an earlier one: where the child lived is a fact, even in a placement
 * that makes no items.
 */
function placementOn(facts: Facts, date: IsoDate): OraclePlacement | undefined {
  let found: OraclePlacement | undefined;
  for (const p of facts.allPlacements) if (p.start <= date && (p.end === undefined || p.end >= date)) found = p;
  return found;
}

/** "Over a year into a placement marked permanent": after its start + 12 months, the anniversary itself not. */
function overAYearIntoPermanent(facts: Facts, date: IsoDate): boolean {
  const p = placementOn(facts, date);
  return p !== undefined && p.permanent === true && date > addMonths(p.start, 12);
}

// ---------------------------------------------------------------------------------------------
// The review chain: review.first, review.second, review.subsequent, review.placement-change
// (Stoke) and the short-breaks regime, which all read the same sequence of reviews.

/** Due date of the review.first rule in force, if one is. */
function firstReviewDue(facts: Facts): IsoDate | undefined {
  if (facts.shortBreaks) return facts.inForce.has("review.first") ? addMonths(facts.las, 3) : undefined;
  switch (facts.inForce.get("review.first")) {
    case "england":
      return facts.calendar.addWorkingDays(facts.las, 20);
    case "newcastle":
      return addDays(facts.las, 28);
    default:
      return undefined;
  }
}

/** The first review held in care (a review before care began starts nothing). */
function firstReviewHeld(facts: Facts): OracleDocument | undefined {
  return firstOnOrAfter(facts.docs("review"), facts.las);
}

function reviewChain(facts: Facts): Deadline[] {
  const out: Deadline[] = [];
  const reviews = facts.docs("review").filter((r) => r.date >= facts.las);
  const cycleStarts = new Set<OracleDocument>();
  const firstDue = firstReviewDue(facts);
  if (firstDue !== undefined) {
    out.push({ rule: "review.first", due: firstDue, met: reviews[0]?.date, file: facts.profile });
    if (reviews[0]) cycleStarts.add(reviews[0]);
  }
  if (facts.inForce.has("review.placement-change") && !facts.shortBreaks) {
    for (const p of facts.placements.slice(1)) {
      const review = firstOnOrAfter(reviews, p.start);
      out.push({ rule: "review.placement-change", due: addDays(p.start, 28), met: review?.date, file: facts.profile });
      if (review) cycleStarts.add(review);
    }
  }
  const first = reviews.findIndex((r) => cycleStarts.has(r));
  if (first < 0) return out;
  for (let i = first; i < reviews.length; i++) {
    const review = reviews[i]!;
    const rule = cycleStarts.has(review) && !facts.shortBreaks ? "review.second" : "review.subsequent";
    if (!facts.inForce.has(rule)) continue;
    const due = addMonths(review.date, rule === "review.second" ? 3 : 6);
    out.push({ rule, due, met: reviews[i + 1]?.date, file: review.file });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The rows, by preset. Each returns the deadlines of its rule for one child.

type Row = (facts: Facts) => Deadline[];

function eligibilityDate(facts: Facts): IsoDate | undefined {
  const { child } = facts;
  if (facts.shortBreaks) return undefined;
  const fourteen = birthday(child.dob, 14);
  const sixteen = birthday(child.dob, 16);
  const counted = addDays(facts.las > fourteen ? facts.las : fourteen, 91);
  const e = counted > sixteen ? counted : sixteen;
  if (e >= birthday(child.dob, 18)) return undefined;
  if (facts.leftCare !== undefined && facts.leftCare < e) return undefined;
  return e;
}

function pathwayPlan(dueFromE: (e: IsoDate) => IsoDate): Row {
  return (facts) => {
    const e = eligibilityDate(facts);
    if (e === undefined) return [];
    const plan = firstOnOrAfter(facts.docs("pathway-plan"), addMonths(e, -3));
    return [{ rule: "pathway-plan", due: dueFromE(e), met: plan?.date, file: facts.profile }];
  };
}

/** One item per placement of the period (or per placement after the first). */
function perPlacement(rule: string, placements: (f: Facts) => OraclePlacement[], item: (f: Facts, p: OraclePlacement) => { due: IsoDate; met: IsoDate | undefined }): Row {
  return (facts) => placements(facts).map((p) => ({ rule, ...item(facts, p), file: facts.profile }));
}

const periodPlacements = (f: Facts) => f.placements;

const england: Record<string, Row> = {
  "care-plan": (f) => [{ rule: "care-plan", due: f.calendar.addWorkingDays(f.las, 10), met: f.docs("care-plan")[0]?.date, file: f.profile }],
  "placement-plan": perPlacement("placement-plan", periodPlacements, (f, p) => ({
    due: f.calendar.addWorkingDays(p.start, 5),
    met: f.docs("placement-plan").find((d) => d.fields.placement_start === p.start && d.date >= addMonths(p.start, -3))?.date,
  })),
  // The review chain (reviewChain) reads these three, and Stoke's review.placement-change, together.
  "review.first": reviewChain,
  "review.second": reviewChain,
  "review.subsequent": reviewChain,
  "review.record": (f) =>
    f.docs("review").map((r) => ({
      rule: "review.record",
      due: f.inForce.get("review.record") === "stoke-on-trent" ? addDays(r.date, 14) : f.calendar.addWorkingDays(r.date, 20),
      met: happened(r.fields.record_circulated, f.asOf),
      file: r.file,
    })),
  "permanence-plan": (f) => {
    const held = firstReviewHeld(f);
    const from = held?.date ?? firstReviewDue(f);
    if (from === undefined) return [];
    const plan = f.docs("care-plan").find((d) => d.fields.permanence_plan !== "not-yet-agreed");
    return [{ rule: "permanence-plan", due: addMonths(from, 3), met: plan?.date, file: held?.file ?? f.profile }];
  },
  "visit.placement": perPlacement("visit.placement", periodPlacements, (f, p) => ({ due: addDays(p.start, 7), met: firstOnOrAfter(f.docs("visit"), p.start)?.date })),
  visit: (f) => {
    const visits = f.docs("visit");
    switch (f.inForce.get("visit")) {
      case "newcastle":
        return chain("visit", visits, (v) => addDays(v.date, v.date < addMonths(f.las, 12) ? 28 : 42));
      case "sparks-fostering":
        return chain("visit", visits, (v) => addMonths(v.date, overAYearIntoPermanent(f, v.date) ? 2 : 1));
      default:
        return chain("visit", visits, (v) => (overAYearIntoPermanent(f, v.date) ? addMonths(v.date, 3) : addDays(v.date, 42)));
    }
  },
  "health-assessment.initial": (f) => [
    { rule: "health-assessment.initial", due: f.calendar.addWorkingDays(f.las, 20), met: f.docs("health-assessment")[0]?.date, file: f.profile },
  ],
  "health-assessment": (f) => {
    const assessments = f.docs("health-assessment");
    const next = (from: IsoDate) => addMonths(from, from < birthday(f.child.dob, 5) ? 6 : 12);
    const first = assessments[0];
    if (!first) return [];
    if (first.date >= f.las) return chain("health-assessment", assessments, (h) => next(h.date));
    // Made before care began: the cycle starts from the first review, nothing due before it is held.
    const review = firstReviewHeld(f);
    const rest = assessments.slice(1);
    if (!review) return [];
    return [
      { rule: "health-assessment", due: next(review.date), met: rest[0]?.date, file: review.file },
      ...chain("health-assessment", rest, (h) => next(h.date)),
    ];
  },
  "pep.initial": (f) => {
    const due = f.calendar.addWorkingDays(f.las, 10);
    if (due < birthday(f.child.dob, 3)) return [];
    return [{ rule: "pep.initial", due, met: f.docs("pep")[0]?.date, file: f.profile }];
  },
  pep: (f) => chain("pep", f.docs("pep"), (p) => addMonths(p.date, f.inForce.get("pep") === "stoke-on-trent" ? 6 : 4)),
  "pathway-plan": pathwayPlan((e) => addMonths(e, 3)),
  action: (f) => {
    const out: Deadline[] = [];
    for (const type of ["care-plan", "care-planning-meeting", "review"]) {
      const latest = f.docs(type).at(-1);
      const actions = (latest?.fields.actions ?? []) as OracleAction[];
      for (const a of actions) out.push({ rule: "action", due: a.when, met: happened(a.done, f.asOf), file: latest!.file });
    }
    return out;
  },
};

const carePlanningMeetings: Record<string, Row> = {
  "cpm.placement": perPlacement("cpm.placement", periodPlacements, (f, p) => ({ due: addDays(p.start, 3), met: firstOnOrAfter(f.docs("care-planning-meeting"), p.start)?.date })),
  cpm: (f) => chain("cpm", f.docs("care-planning-meeting"), (m) => addDays(m.date, 42)),
  "cpm.minutes": (f) =>
    f.docs("care-planning-meeting").map((m) => ({
      rule: "cpm.minutes",
      due: f.calendar.addWorkingDays(m.date, 5),
      met: happened(m.fields.distributed, f.asOf),
      file: m.file,
    })),
};

const newcastle: Record<string, Row> = {
  "review.first": reviewChain,
  visit: england.visit!,
  "care-plan.after-review": (f) =>
    f.docs("review").map((r) => ({
      rule: "care-plan.after-review",
      due: f.calendar.addWorkingDays(r.date, 5),
      met: firstOnOrAfter(f.docs("care-plan"), r.date)?.date,
      file: r.file,
    })),
  assessment: (f) => {
    const inCare = f.docs("assessment").filter((a) => a.date >= f.las);
    return [
      { rule: "assessment", due: addMonths(f.las, 12), met: inCare[0]?.date, file: f.profile },
      ...chain("assessment", inCare, (a) => addMonths(a.date, 12)),
    ];
  },
  "assessment.pre-pathway": (f) => [
    {
      rule: "assessment.pre-pathway",
      due: birthday(f.child.dob, 0, 189),
      met: firstOnOrAfter(f.docs("assessment"), birthday(f.child.dob, 0, 183))?.date,
      file: f.profile,
    },
  ],
  "pathway-plan": pathwayPlan((e) => e),
};

const stokeOnTrent: Record<string, Row> = {
  "review.placement-change": reviewChain,
  "review.record": england["review.record"]!,
  pep: england.pep!,
};

const sparksFostering: Record<string, Row> = {
  visit: england.visit!,
  // "previous unannounced visit (or the first placement start of the period of care) + 12 months":
  // the start counts while no unannounced visit has been made; an unannounced visit down to 3
  // months before care counts as a previous one (documents before care count for recurrences).
  "visit.unannounced": (f) => {
    const start = f.placements[0]?.start;
    const unannounced = f.docs("visit").filter((v) => v.fields.unannounced === true);
    const fromStart: Deadline[] =
      start !== undefined && !unannounced.some((v) => v.date < start)
        ? [{ rule: "visit.unannounced", due: addMonths(start, 12), met: unannounced[0]?.date, file: f.profile }]
        : [];
    return [...fromStart, ...chain("visit.unannounced", unannounced, (v) => addMonths(v.date, 12))];
  },
  "review.before-move": perPlacement(
    "review.before-move",
    (f) => f.placements.slice(1).filter((p) => p.emergency !== true),
    (f, p) => ({ due: p.start, met: firstOnOrAfter(f.docs("review"), addDays(p.start, -28))?.date }),
  ),
};

const ROWS: Record<Preset, Record<string, Row>> = {
  england,
  "care-planning-meetings": carePlanningMeetings,
  newcastle,
  "stoke-on-trent": stokeOnTrent,
  "sparks-fostering": sparksFostering,
};

/** The review rules the short-breaks regime replaces. */
const REVIEW_CHAIN = ["review.first", "review.second", "review.subsequent", "review.placement-change"];

// ---------------------------------------------------------------------------------------------

/** The timeline of one child on the as-of date, as DOMAIN.md reads: every item, met ones included. */
export function oracleTimeline(child: OracleChild, profile: string, documents: readonly OracleDocument[], options: OraclePolicy): OracleItem[] {
  const { asOf } = options;
  const las = child.looked_after_since;
  if (las > asOf) return [];

  // Later presets override rules of the same id; only the named presets are in force.
  const inForce = new Map<string, Preset>();
  for (const preset of options.policy) for (const id of Object.keys(ROWS[preset])) inForce.set(id, preset);
  const shortBreaks = child.legal_status === "short-breaks";
  if (shortBreaks && REVIEW_CHAIN.some((id) => inForce.has(id))) {
    // The two short-breaks rules stand in for whichever review rules were named.
    const preset = inForce.get("review.first") ?? inForce.get("review.subsequent") ?? inForce.get("review.placement-change")!;
    for (const id of REVIEW_CHAIN) inForce.delete(id);
    inForce.set("review.first", preset);
    inForce.set("review.subsequent", preset);
  }

  const periodStart = addMonths(las, -3);
  const counted = documents
    .filter((d) => d.date <= asOf && d.date >= periodStart)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.file < b.file ? -1 : 1));
  const byType = new Map<string, OracleDocument[]>();
  for (const d of counted) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);

  const known = child.placements
    .filter((p) => p.start <= asOf)
    .map((p) => ({ ...p, end: happened(p.end, asOf) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const facts: Facts = {
    child,
    profile,
    asOf,
    las,
    leftCare: happened(child.left_care, asOf),
    placements: known.filter((p) => p.start >= las),
    allPlacements: known,
    docs: (type) => byType.get(type) ?? [],
    calendar: createCalendar(options.closures ?? []),
    inForce,
    shortBreaks,
  };

  // Each rule id in force runs once, by the row of the preset it came from; the review rules
  // read one sequence of reviews together, so their chain runs once for all of them.
  const deadlines: Deadline[] = [];
  let reviewsDone = false;
  for (const [id, preset] of inForce) {
    if (REVIEW_CHAIN.includes(id)) {
      if (!reviewsDone) deadlines.push(...reviewChain(facts));
      reviewsDone = true;
    } else deadlines.push(...ROWS[preset][id]!(facts));
  }

  const eighteen = birthday(child.dob, 18);
  return deadlines
    .filter((d) => d.due >= las && d.due < eighteen && (facts.leftCare === undefined || d.due <= facts.leftCare))
    .map((d) => ({
      child: child.id,
      rule: d.rule,
      due: d.due,
      status: d.met !== undefined ? "met" : d.due < asOf ? "overdue" : "upcoming",
      met: d.met ?? null,
      file: d.file,
    }));
}
