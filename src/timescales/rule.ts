// The rule language: what a timescale rule can say. Presets (presets/*.json), regimes
// (regimes/*.json) and local rules in careplan.yaml are written in it; the engine evaluates it
// and holds no statutory numbers.
import type { IntervalUnit } from "./calendar.js";

export interface Age {
  years: number;
  months?: number;
}

export interface Interval {
  interval: number;
  unit: IntervalUnit;
}

/** A field test on a document: equal to a value, or `{ not: value }`. */
export type Where = Record<string, unknown>;

/** A value of the child's profile, one of several (a list), or none of them (`{ not: ... }`). */
export type ValueTest = string | string[] | { not: string | string[] };

/** The values a test names, and whether it asks for none of them. */
export function testedValues(test: ValueTest): { values: string[]; negated: boolean } {
  const negated = typeof test === "object" && !Array.isArray(test);
  const values = negated ? test.not : test;
  return { values: typeof values === "string" ? [values] : values, negated };
}

/** Which children a rule applies to, by their profile: every test must hold. */
export interface ChildCondition {
  legal_status?: ValueTest;
}

/** A test on a placement's marks (a mark left out is false). */
export interface PlacementWhere {
  permanent?: boolean;
  emergency?: boolean;
}

/**
 * The date a child becomes eligible (for leaving-care duties): once looked after for
 * `looked_after` that began on or after the age `counted_from_age`, while looked after on or after
 * `at_age`. With one period of care known: the later of the `at_age` birthday and (the later of
 * looked_after_since and the `counted_from_age` birthday) + `looked_after`; none on or after the
 * 18th birthday or when the child left care before it.
 */
export interface Eligibility {
  looked_after: Interval;
  counted_from_age: Age;
  at_age: Age;
}

/** A condition on the date a recurrence counts from (its anchor). */
export type IntervalCondition =
  /** The child is younger than this on the anchor date. */
  | { age_below: Age }
  /** The anchor is before looked_after_since + this. */
  | { in_care_less_than: Interval }
  /** The placement the child is in on the anchor is marked permanent and began more than this before it. */
  | { permanent_placement_over: Interval };

export interface MetBy {
  /** Met by the first document of this type ... */
  type?: string;
  /** ... dated on or after the trigger (default), from this long before it, from an age, or anywhere in the period of care. */
  since?: "trigger" | "period" | { before: number; unit: IntervalUnit } | { age: Age };
  /** ... whose fields match. */
  where?: Where;
  /** ... whose `placement_start` is the triggering placement's start. */
  match?: "placement_start";
  /** Or met on the date in this field of the triggering document itself. */
  field?: string;
}

interface RuleBase extends Interval {
  id: string;
  title: string;
  description?: string;
  /** Only for the children this holds for. */
  applies_to?: ChildCondition;
}

export type Trigger =
  | "entered-care"
  /** Each placement of the period of care (or each after the first) whose marks match `where`. */
  | { placement: "all" | "after-first"; where?: PlacementWhere }
  /** The date the child becomes eligible. */
  | { eligible: Eligibility }
  | { document: string }
  /** The date another rule's (first) item was met, or its due date while it is not. */
  | { rule: string };

export interface DeadlineRule extends RuleBase {
  kind: "deadline";
  from: Trigger;
  met_by: MetBy;
  /** The document that meets this item begins a new cycle of the recurrences on its type. */
  begins_cycle?: boolean;
  /** Only for children of at least this age on the due date. */
  min_age_at_due?: Age;
}

export interface AgeRule extends RuleBase {
  kind: "age";
  age: Age;
  met_by: MetBy;
  /** Only when the child is looked after on the day they reach the age. */
  looked_after_at_age?: boolean;
}

export interface RecurrenceRule extends RuleBase {
  kind: "recurrence";
  type: string;
  where?: Where;
  /** Other intervals and the conditions (on the anchor) that choose them: the first that holds wins. */
  intervals?: (Interval & { when: IntervalCondition })[];
  /** Start with an item counted from this event, met by the first document on or after it. */
  start?: "entered-care" | "first-placement";
  /** Documents dated before `start`: left out (the default), or the previous one the chain counts from. */
  before_start?: "ignored" | "previous";
  /** Links from documents that begin a cycle (`first`), from the others (`later`), or from every document once a cycle has begun (`all`). */
  cycle?: "first" | "later" | "all";
  /** When the first document is dated before care began, the chain counts from the date this rule was met. */
  first_before_care?: { rule: string };
}

export interface ActionsRule {
  id: string;
  title: string;
  description?: string;
  applies_to?: ChildCondition;
  kind: "actions";
  /** The latest document of each of these types carries the actions in force. */
  types: string[];
}

export type Rule = DeadlineRule | AgeRule | RecurrenceRule | ActionsRule;

export interface Preset {
  name: string;
  title: string;
  source: string;
  rules: Rule[];
}

/**
 * Rules that replace a policy's rules for some children: for a child it `applies_to`, when the
 * policy has any rule named in `replaces`, all of those give way to the regime's `rules`.
 */
export interface Regime {
  name: string;
  title: string;
  source: string;
  /** What the timeline's reasons say first: "short breaks". */
  label: string;
  applies_to: ChildCondition;
  replaces: string[];
  rules: Rule[];
}

/**
 * A rule in force, with the preset (or `local`) it came from: one per id. Where a regime replaces
 * it, it gives way for the regime's children, to a variant of the same id when the regime has one.
 */
export type RuleInForce = Rule & {
  preset: string;
  /** Set on a regime's rule: only for the children the regime applies to; its label starts the reasons. */
  regime?: { label: string; applies_to: ChildCondition };
  /** The children for whom a regime replaces it. */
  given_way_for?: ChildCondition[];
  /** Regimes' rules of the same id, which take its place for their children. */
  variants?: RuleInForce[];
};

/** The rules in force and their regimes' variants: everything any child may be given. */
export function withVariants(rules: readonly RuleInForce[]): RuleInForce[] {
  return rules.flatMap((rule) => [rule, ...(rule.variants ?? [])]);
}
