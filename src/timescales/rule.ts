// The rule language: what a timescale rule can say. Presets (presets/*.json) and local rules in
// careplan.yaml are written in it; the engine evaluates it and holds no statutory numbers.
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
}

export type Trigger =
  | "entered-care"
  | { placement: "all" | "after-first" }
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
  /** Links from documents that begin a cycle (`first`), or from the others (`later`). */
  cycle?: "first" | "later";
  /** When the first document is dated before care began, the chain counts from the date this rule was met. */
  first_before_care?: { rule: string };
}

export interface ActionsRule {
  id: string;
  title: string;
  description?: string;
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

/** A rule in force, with the preset (or `local`) it came from. */
export type RuleInForce = Rule & { preset: string };
