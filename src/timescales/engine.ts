// The timescale engine: from a child's facts and the rules in force to dated items.
// Pure: no I/O, no clock, no terminal. Every number comes from the rules (presets are data).
import { addInterval, type IntervalUnit, type WorkingCalendar } from "./calendar.js";
import { addMonths, isIsoDate, type IsoDate } from "../common/dates.js";
import type { ChildFacts, DocumentFact, PlacementFact } from "./facts.js";
import { testedValues, type ActionsRule, type Age, type AgeRule, type ChildCondition, type DeadlineRule, type Eligibility, type IntervalCondition, type MetBy, type PlacementWhere, type RecurrenceRule, type RuleInForce, type Where } from "./rule.js";

export type ItemStatus = "overdue" | "upcoming" | "met";

export interface TimelineItem {
  child: string;
  rule: string;
  title: string;
  due: IsoDate;
  status: ItemStatus;
  met: IsoDate | null;
  /** The document the deadline is counted from (posix, relative to the repository). */
  file: string;
  preset: string;
  /** Why it is due, in words: "20 working days after entering care on 2026-01-05". */
  reason: string;
  /** The date the item is counted from: with rule, file and path, what identifies it from one run to the next. */
  anchor: IsoDate;
  /** Where in `file` the item stands, for an action: its place in the front matter. */
  path?: (string | number)[];
}

/** Definitions of the period of care (DOMAIN.md), not timescales of any preset. */
const EARLIER_PERIOD_BEFORE_CARE = { interval: 3, unit: "months" } as const satisfies { interval: number; unit: IntervalUnit };
const AGE_OF_MAJORITY: Age = { years: 18 };

interface Anchor {
  date: IsoDate;
  file: string;
  /** Words for the reason: "entering care on 2026-01-05". */
  label: string;
  document?: DocumentFact;
  placement?: PlacementFact;
}

interface Draft {
  rule: RuleInForce;
  title?: string;
  anchor: IsoDate;
  due: IsoDate;
  /** The date and document that met it (a document, or the document holding the date field). */
  met: { date: IsoDate; file: string } | undefined;
  file: string;
  reason: string;
  path?: (string | number)[];
}

export function evaluateChild(facts: ChildFacts, rules: readonly RuleInForce[], asOf: IsoDate, calendar: WorkingCalendar): TimelineItem[] {
  if (facts.lookedAfterSince > asOf) return [];
  const child = new ChildView(facts, asOf, calendar);
  const drafts = new Map<string, Draft[]>();
  const cycleStarts = new Map<string, Set<string>>();

  for (const rule of evaluationOrder(rules, facts)) {
    let made: Draft[];
    switch (rule.kind) {
      case "deadline":
      case "age":
        made = deadlineDrafts(rule, child, drafts);
        if (rule.kind === "deadline" && rule.begins_cycle && rule.met_by.type) {
          const starts = cycleStarts.get(rule.met_by.type) ?? new Set<string>();
          for (const draft of made) if (draft.met) starts.add(draft.met.file);
          cycleStarts.set(rule.met_by.type, starts);
        }
        break;
      case "recurrence":
        made = recurrenceDrafts(rule, child, drafts, cycleStarts.get(rule.type));
        break;
      case "actions":
        made = actionDrafts(rule, child);
        break;
    }
    drafts.set(rule.id, made);
  }

  const items: TimelineItem[] = [];
  for (const made of drafts.values()) {
    for (const draft of made) {
      if (!child.canFallDue(draft.due)) continue;
      const met = draft.met?.date ?? null;
      items.push({
        child: facts.id,
        rule: draft.rule.id,
        title: draft.title ?? draft.rule.title,
        due: draft.due,
        status: met !== null ? "met" : draft.due < asOf ? "overdue" : "upcoming",
        met,
        file: draft.file,
        preset: draft.rule.preset,
        reason: draft.rule.regime ? `${draft.rule.regime.label}: ${draft.reason}` : draft.reason,
        anchor: draft.anchor,
        ...(draft.path ? { path: draft.path } : {}),
      });
    }
  }
  return items;
}

/** The rule as it is for this child: a regime's variant, the rule itself, or none. */
function ruleFor(rule: RuleInForce, facts: ChildFacts): RuleInForce | undefined {
  return rule.variants?.find((variant) => appliesTo(variant, facts)) ?? (appliesTo(rule, facts) ? rule : undefined);
}

/** The rule is in force for this child: its conditions hold, and no regime replaces it. */
function appliesTo(rule: RuleInForce, facts: ChildFacts): boolean {
  return holds(rule.applies_to, facts) && holds(rule.regime?.applies_to, facts) && !(rule.given_way_for ?? []).some((condition) => holds(condition, facts));
}

function holds(condition: ChildCondition | undefined, facts: ChildFacts): boolean {
  if (condition?.legal_status === undefined) return true;
  const { values, negated } = testedValues(condition.legal_status);
  return values.includes(facts.legalStatus ?? "") !== negated;
}

/** Deadlines first (those counted from another rule after it), recurrences (which read cycle starts), then actions. */
function rank(rule: RuleInForce): number {
  if (rule.kind === "deadline") return typeof rule.from === "object" && "rule" in rule.from ? 1 : 0;
  if (rule.kind === "age") return 0;
  return rule.kind === "recurrence" ? 2 : 3;
}

const ordered = new WeakMap<readonly RuleInForce[], { order: RuleInForce[]; sameRanks: boolean }>();

/**
 * The rules in force for this child (a regime's variant in its rule's place), in evaluation order.
 * The order is worked out once for a run's rules; a child's is sorted again only when a variant
 * ranks otherwise than its rule.
 */
function evaluationOrder(rules: readonly RuleInForce[], facts: ChildFacts): RuleInForce[] {
  let known = ordered.get(rules);
  if (!known) {
    const sameRanks = rules.every((rule) => (rule.variants ?? []).every((variant) => rank(variant) === rank(rule)));
    ordered.set(rules, (known = { order: [...rules].sort((a, b) => rank(a) - rank(b)), sameRanks }));
  }
  if (known.sameRanks) return known.order.map((rule) => ruleFor(rule, facts)).filter((rule) => rule !== undefined);
  return rules
    .map((rule) => ruleFor(rule, facts))
    .filter((rule) => rule !== undefined)
    .sort((a, b) => rank(a) - rank(b));
}

/** The child as the rules see it: dates, the period of care, documents by type. */
class ChildView {
  readonly periodStart: IsoDate;
  private readonly byType = new Map<string, DocumentFact[]>();
  readonly placementsOfPeriod: PlacementFact[];

  constructor(
    readonly facts: ChildFacts,
    readonly asOf: IsoDate,
    readonly calendar: WorkingCalendar,
  ) {
    this.periodStart = this.add(facts.lookedAfterSince, -EARLIER_PERIOD_BEFORE_CARE.interval, EARLIER_PERIOD_BEFORE_CARE.unit);
    for (const document of facts.documents) {
      if (document.date < this.periodStart) continue; // an earlier period of care: meets nothing, starts no chain
      const list = this.byType.get(document.type) ?? [];
      list.push(document);
      this.byType.set(document.type, list);
    }
    this.placementsOfPeriod = facts.placements.filter((p) => p.start >= facts.lookedAfterSince && p.start <= asOf);
  }

  add(date: IsoDate, n: number, unit: IntervalUnit): IsoDate {
    return addInterval(this.calendar, date, n, unit);
  }

  documents(type: string, where?: Where): DocumentFact[] {
    const all = this.byType.get(type) ?? [];
    return where ? all.filter((d) => matches(d, where)) : all;
  }

  atAge(age: Age): IsoDate {
    return addMonths(this.facts.dob, age.years * 12 + (age.months ?? 0));
  }

  /** Nothing is due before care began, on or after the 18th birthday, or after leaving care. */
  canFallDue(due: IsoDate): boolean {
    const { lookedAfterSince, leftCare } = this.facts;
    return due >= lookedAfterSince && due < this.atAge(AGE_OF_MAJORITY) && (leftCare === undefined || due <= leftCare);
  }

  isLookedAfterOn(date: IsoDate): boolean {
    const { lookedAfterSince, leftCare } = this.facts;
    return lookedAfterSince <= date && (leftCare === undefined || leftCare >= date);
  }

  /** The placement the child was in on a date: the latest begun by then and not yet ended. */
  placementOn(date: IsoDate): PlacementFact | undefined {
    let found: PlacementFact | undefined;
    for (const p of this.facts.placements) if (p.start <= date && (p.end === undefined || p.end >= date)) found = p;
    return found;
  }
}

/** A placement's marks match: a mark left out is false. */
function placementMatches(placement: PlacementFact, where: PlacementWhere | undefined): boolean {
  return Object.entries(where ?? {}).every(([mark, expected]) => (placement[mark as keyof PlacementWhere] ?? false) === expected);
}

function matches(document: DocumentFact, where: Where): boolean {
  return Object.entries(where).every(([field, expected]) => {
    const actual = document.data[field];
    if (typeof expected === "object" && expected !== null && "not" in expected) return actual !== (expected as { not: unknown }).not;
    return actual === expected;
  });
}

function deadlineDrafts(rule: DeadlineRule | AgeRule, child: ChildView, drafts: ReadonlyMap<string, Draft[]>): Draft[] {
  const made: Draft[] = [];
  for (const anchor of anchorsOf(rule, child, drafts)) {
    const due = child.add(anchor.date, rule.interval, rule.unit);
    if (rule.kind === "deadline" && rule.min_age_at_due && child.atAge(rule.min_age_at_due) > due) continue;
    made.push({ rule: rule as RuleInForce, anchor: anchor.date, due, met: metBy(rule.met_by, anchor, child), file: anchor.file, reason: reason(rule.interval, rule.unit, anchor.label) });
  }
  return made;
}

function anchorsOf(rule: DeadlineRule | AgeRule, child: ChildView, drafts: ReadonlyMap<string, Draft[]>): Anchor[] {
  const { facts } = child;
  if (rule.kind === "age") {
    const date = child.atAge(rule.age);
    if (rule.looked_after_at_age && !child.isLookedAfterOn(date)) return [];
    return [{ date, file: facts.file, label: `reaching ${ageWords(rule.age)} on ${date}` }];
  }
  const from = rule.from;
  if (from === "entered-care") return [{ date: facts.lookedAfterSince, file: facts.file, label: `entering care on ${facts.lookedAfterSince}` }];
  if ("placement" in from) {
    const placements = (from.placement === "after-first" ? child.placementsOfPeriod.slice(1) : child.placementsOfPeriod).filter((p) => placementMatches(p, from.where));
    return placements.map((placement) => ({ date: placement.start, file: facts.file, label: `the placement that began on ${placement.start}`, placement }));
  }
  if ("eligible" in from) {
    const eligible = eligibilityOf(from.eligible, child);
    return eligible ? [eligible] : [];
  }
  if ("document" in from) {
    return child.documents(from.document).map((document) => ({ date: document.date, file: document.file, label: `the ${words(document.type)} on ${document.date}`, document }));
  }
  const first = drafts.get(from.rule)?.[0];
  if (!first) return [];
  return first.met
    ? [{ date: first.met.date, file: first.met.file, label: `the ${first.rule.title.toLowerCase()} on ${first.met.date}` }]
    : [{ date: first.due, file: first.file, label: `the ${first.rule.title.toLowerCase()} due on ${first.due}` }];
}

/**
 * The eligibility date: the later of the `at_age` birthday and the day the child has been looked
 * after for `looked_after` counted from care beginning (or the `counted_from_age` birthday, if
 * later). None on or after the 18th birthday, or when the child left care before it (leaving on
 * the day itself still counts); a date still to come assumes the child stays in care.
 */
function eligibilityOf(rule: Eligibility, child: ChildView): Anchor | undefined {
  const { facts } = child;
  const ageReached = child.atAge(rule.at_age);
  const countedAge = child.atAge(rule.counted_from_age);
  const counted = later(facts.lookedAfterSince, countedAge);
  const date = later(ageReached, child.add(counted, rule.looked_after.interval, rule.looked_after.unit));
  if (date >= child.atAge(AGE_OF_MAJORITY) || (facts.leftCare !== undefined && facts.leftCare < date)) return undefined;
  const since = counted === facts.lookedAfterSince ? counted : `reaching ${ageWords(rule.counted_from_age)} on ${counted}`;
  const label = date === ageReached ? `reaching ${ageWords(rule.at_age)} on ${date}` : `becoming eligible on ${date}: ${amount(rule.looked_after.interval, rule.looked_after.unit)} in care since ${since}`;
  return { date, file: facts.file, label };
}

function later(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

function metBy(rule: MetBy, anchor: Anchor, child: ChildView): Draft["met"] {
  if (rule.field) {
    const value = anchor.document?.data[rule.field];
    return isIsoDate(value) && value <= child.asOf ? { date: value, file: anchor.document!.file } : undefined;
  }
  if (!rule.type) return undefined;
  const since = sinceDate(rule, anchor, child);
  return child
    .documents(rule.type, rule.where)
    .find((d) => (since === undefined || d.date >= since) && (rule.match !== "placement_start" || d.data.placement_start === anchor.placement?.start));
}

function sinceDate(rule: MetBy, anchor: Anchor, child: ChildView): IsoDate | undefined {
  const since = rule.since ?? "trigger";
  if (since === "trigger") return anchor.date;
  if (since === "period") return undefined;
  if ("age" in since) return child.atAge(since.age);
  return child.add(anchor.date, -since.before, since.unit);
}

/**
 * `cycleStarts`: the documents that met a `begins_cycle` rule on this type, when such a rule is in
 * force. Then a cycle begins only there (the first review is the one on or after care began);
 * without one, the first document begins it. A rule with any `cycle` counts from no document
 * before the first cycle begins.
 */
function recurrenceDrafts(rule: RecurrenceRule, child: ChildView, drafts: ReadonlyMap<string, Draft[]>, cycleStarts: ReadonlySet<string> | undefined): Draft[] {
  const { facts } = child;
  let documents = child.documents(rule.type, rule.where);
  if (rule.cycle && cycleStarts) {
    const first = documents.findIndex((d) => cycleStarts.has(d.file));
    documents = first === -1 ? [] : documents.slice(first);
  }
  const anchors: Anchor[] = [];
  const start = rule.start && startOf(rule, child);
  if (rule.start && !start && rule.before_start !== "previous") return [];
  // A document before the start is either left out, or (`before_start: previous`) the previous
  // one the chain counts from, and then the start itself makes no item.
  if (start && rule.before_start !== "previous") documents = documents.filter((d) => d.date >= start.date);
  const fromStart = start !== undefined && !(documents[0] && documents[0].date < start.date);
  if (fromStart) anchors.push(start);
  anchors.push(...documents.map((document) => ({ date: document.date, file: document.file, label: `the ${words(document.type)} on ${document.date}`, document })));

  const first = documents[0];
  if (rule.first_before_care && first && first.date < facts.lookedAfterSince && !rule.start) {
    // The chain starts at the date the reference rule was met; nothing is due until it is.
    const reference = drafts.get(rule.first_before_care.rule)?.[0];
    const held = reference?.met;
    if (!held) return [];
    anchors[0] = { date: held.date, file: held.file, label: `the ${reference.rule.title.toLowerCase()} on ${held.date}` };
  }

  const made: Draft[] = [];
  anchors.forEach((anchor, index) => {
    if ((rule.cycle === "first" || rule.cycle === "later") && anchor.document) {
      const beginsCycle = anchor.document === documents[0] || (cycleStarts?.has(anchor.document.file) ?? false);
      if ((rule.cycle === "first") !== beginsCycle) return;
    }
    const { interval, unit, note } = intervalAt(rule, anchor.date, child);
    const nextIndex = fromStart ? index : index + 1;
    made.push({
      rule: rule as RuleInForce,
      anchor: anchor.date,
      due: child.add(anchor.date, interval, unit),
      met: documents[nextIndex],
      file: anchor.file,
      reason: reason(interval, unit, anchor.label) + (note ? ` (${note})` : ""),
    });
  });
  return made;
}

function startOf(rule: RecurrenceRule, child: ChildView): Anchor | undefined {
  const { facts } = child;
  const date = rule.start === "entered-care" ? facts.lookedAfterSince : child.placementsOfPeriod[0]?.start;
  if (date === undefined) return undefined;
  const label = rule.start === "entered-care" ? `entering care on ${date}` : `the first placement of this period of care, begun on ${date}`;
  return { date, file: facts.file, label };
}

function intervalAt(rule: RecurrenceRule, anchor: IsoDate, child: ChildView): { interval: number; unit: IntervalUnit; note?: string } {
  for (const option of rule.intervals ?? []) {
    const note = conditionHolds(option.when, anchor, child);
    if (note) return { interval: option.interval, unit: option.unit, note };
  }
  return { interval: rule.interval, unit: rule.unit };
}

/** Words saying why the condition holds on the anchor date, or undefined when it does not. */
function conditionHolds(condition: IntervalCondition, anchor: IsoDate, child: ChildView): string | undefined {
  if ("age_below" in condition) {
    return anchor < child.atAge(condition.age_below) ? `under ${ageWords(condition.age_below)} on that date` : undefined;
  }
  if ("in_care_less_than" in condition) {
    const { interval, unit } = condition.in_care_less_than;
    return anchor < child.add(child.facts.lookedAfterSince, interval, unit) ? `within the first ${amount(interval, unit)} of care` : undefined;
  }
  const { interval, unit } = condition.permanent_placement_over;
  const placement = child.placementOn(anchor);
  return placement?.permanent && anchor > child.add(placement.start, interval, unit) ? `over ${amount(interval, unit)} into a permanent placement` : undefined;
}

function actionDrafts(rule: ActionsRule, child: ChildView): Draft[] {
  const made: Draft[] = [];
  for (const type of rule.types) {
    const latest = child.documents(type).at(-1);
    const actions = latest?.data.actions;
    if (!latest || !Array.isArray(actions)) continue;
    actions.forEach((action: Record<string, unknown>, index) => {
      const done = typeof action.done === "string" && action.done <= child.asOf ? action.done : undefined;
      made.push({
        rule: rule as RuleInForce,
        title: String(action.action),
        anchor: latest.date,
        due: action.when as IsoDate,
        met: done ? { date: done, file: latest.file } : undefined,
        file: latest.file,
        reason: `agreed in the ${words(type)} on ${latest.date}`,
        path: ["actions", index],
      });
    });
  }
  return made;
}

function reason(interval: number, unit: IntervalUnit, label: string): string {
  return interval === 0 ? `on ${label}` : `${amount(interval, unit)} after ${label}`;
}

export function amount(n: number, unit: IntervalUnit): string {
  const singular = unit === "working-days" ? "working day" : unit.slice(0, -1);
  return `${n} ${n === 1 ? singular : singular + "s"}`;
}

function ageWords(age: Age): string {
  return age.months ? `${age.years} years ${age.months} months` : `${age.years}`;
}

const wordsOf = new Map<string, string>();

/** A type or rule id in words: care-planning-meeting → care planning meeting, pep → PEP. */
function words(id: string): string {
  let text = wordsOf.get(id);
  if (text === undefined) wordsOf.set(id, (text = id === "pep" ? "PEP" : id.replace(/[-.]/g, " ")));
  return text;
}
