// JSON Schema of the rule language (rule.ts): presets are checked against it when loaded, and
// local rules in careplan.yaml before they are used. Hand-written: it describes code, not a template.
const unit = { enum: ["working-days", "days", "weeks", "months", "years"], description: "working-days, days, weeks, months or years" };
const count = { type: "integer", minimum: 0, description: "a whole number, 0 or more" };
const interval = { type: "object", required: ["interval", "unit"], additionalProperties: false, properties: { interval: count, unit } };
const age = { type: "object", required: ["years"], additionalProperties: false, properties: { years: count, months: count } };
const where = { type: "object", description: "field: value, or field: { not: value }" };
const id = { type: "string", pattern: "^[a-z0-9][a-z0-9.-]*$", description: "lower-case letters, digits, . and -" };
const documentType = { type: "string", minLength: 1 };
const values = { anyOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 }] };
const childCondition = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  description: "legal_status: a value, a list of values, or { not: value or list }",
  properties: {
    legal_status: {
      anyOf: [values, { type: "object", required: ["not"], additionalProperties: false, properties: { not: values } }],
      description: "a legal status, a list of them, or { not: a legal status or a list }",
    },
  },
};
const placementWhere = { type: "object", additionalProperties: false, minProperties: 1, properties: { permanent: { type: "boolean" }, emergency: { type: "boolean" } } };
const eligibility = {
  type: "object",
  required: ["looked_after", "counted_from_age", "at_age"],
  additionalProperties: false,
  properties: { looked_after: interval, counted_from_age: age, at_age: age },
};

const metBy = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    type: documentType,
    since: {
      description: "trigger, period, { before: <number>, unit: <unit> } or { age: { years, months? } }",
      anyOf: [
        { enum: ["trigger", "period"] },
        { type: "object", required: ["before", "unit"], additionalProperties: false, properties: { before: count, unit } },
        { type: "object", required: ["age"], additionalProperties: false, properties: { age } },
      ],
    },
    where,
    match: { enum: ["placement_start"] },
    field: { type: "string", minLength: 1 },
  },
};

const common = {
  id,
  title: { type: "string", minLength: 1 },
  description: { type: "string" },
  applies_to: childCondition,
  preset: { type: "string" },
};

const deadline = {
  type: "object",
  required: ["id", "title", "kind", "from", "interval", "unit", "met_by"],
  additionalProperties: false,
  properties: {
    ...common,
    kind: { const: "deadline" },
    from: {
      description: "entered-care, { placement: all or after-first, where? }, { document: <type> }, { rule: <id> } or { eligible: { looked_after, counted_from_age, at_age } }",
      anyOf: [
        { const: "entered-care" },
        { type: "object", required: ["placement"], additionalProperties: false, properties: { placement: { enum: ["all", "after-first"] }, where: placementWhere } },
        { type: "object", required: ["eligible"], additionalProperties: false, properties: { eligible: eligibility } },
        { type: "object", required: ["document"], additionalProperties: false, properties: { document: documentType } },
        { type: "object", required: ["rule"], additionalProperties: false, properties: { rule: id } },
      ],
    },
    interval: count,
    unit,
    met_by: metBy,
    begins_cycle: { type: "boolean" },
    min_age_at_due: age,
  },
};

const ageRule = {
  type: "object",
  required: ["id", "title", "kind", "age", "interval", "unit", "met_by"],
  additionalProperties: false,
  properties: { ...common, kind: { const: "age" }, age, interval: count, unit, met_by: metBy, looked_after_at_age: { type: "boolean" } },
};

const condition = {
  description: "{ age_below: <age> }, { in_care_less_than: <interval> } or { permanent_placement_over: <interval> }",
  anyOf: [
    { type: "object", required: ["age_below"], additionalProperties: false, properties: { age_below: age } },
    { type: "object", required: ["in_care_less_than"], additionalProperties: false, properties: { in_care_less_than: interval } },
    { type: "object", required: ["permanent_placement_over"], additionalProperties: false, properties: { permanent_placement_over: interval } },
  ],
};

const recurrence = {
  type: "object",
  required: ["id", "title", "kind", "type", "interval", "unit"],
  additionalProperties: false,
  properties: {
    ...common,
    kind: { const: "recurrence" },
    type: documentType,
    where,
    interval: count,
    unit,
    intervals: {
      type: "array",
      items: { type: "object", required: ["when", "interval", "unit"], additionalProperties: false, properties: { when: condition, interval: count, unit } },
    },
    start: { enum: ["entered-care", "first-placement"] },
    before_start: { enum: ["ignored", "previous"] },
    cycle: { enum: ["first", "later", "all"] },
    first_before_care: { type: "object", required: ["rule"], additionalProperties: false, properties: { rule: id } },
  },
};

const actions = {
  type: "object",
  required: ["id", "title", "kind", "types"],
  additionalProperties: false,
  properties: { ...common, kind: { const: "actions" }, types: { type: "array", items: documentType, minItems: 1 } },
};

/** One rule of any kind, chosen by `kind`. */
export const RULE_SCHEMA = {
  type: "object",
  required: ["kind"],
  properties: { kind: { enum: ["deadline", "age", "recurrence", "actions"] } },
  allOf: [
    { if: { properties: { kind: { const: "deadline" } } }, then: deadline },
    { if: { properties: { kind: { const: "age" } } }, then: ageRule },
    { if: { properties: { kind: { const: "recurrence" } } }, then: recurrence },
    { if: { properties: { kind: { const: "actions" } } }, then: actions },
  ],
};

export const PRESET_SCHEMA = {
  type: "object",
  required: ["name", "title", "source", "rules"],
  additionalProperties: false,
  properties: { name: id, title: { type: "string" }, source: { type: "string" }, rules: { type: "array", items: RULE_SCHEMA } },
};

export const REGIME_SCHEMA = {
  type: "object",
  required: ["name", "title", "source", "label", "applies_to", "replaces", "rules"],
  additionalProperties: false,
  properties: {
    name: id,
    title: { type: "string" },
    source: { type: "string" },
    label: { type: "string", minLength: 1 },
    applies_to: childCondition,
    replaces: { type: "array", items: id, minItems: 1 },
    rules: { type: "array", items: RULE_SCHEMA },
  },
};

/** What careplan.yaml may change in a rule that is in force, besides switching it off. */
export const OVERRIDE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: { title: common.title, description: common.description, applies_to: childCondition, interval: count, unit },
};
