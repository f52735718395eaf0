// The rules in force: the configured presets in order (later ones replace rules of the same id),
// then careplan.yaml's `rules` (switch off, change interval/unit/title, or add local rules).
import type { ErrorObject, ValidateFunction } from "ajv";
import { newAjv } from "../common/ajv.js";
import { settingAt, type Config } from "../config/config.js";
import type { DocumentType } from "../doctypes.js";
import { ConfigError } from "../errors.js";
import { didYouMean } from "../common/words.js";
import { isPlainName } from "../common/safe-text.js";
import carePlanningMeetings from "./presets/care-planning-meetings.json" with { type: "json" };
import england from "./presets/england.json" with { type: "json" };
import newcastle from "./presets/newcastle.json" with { type: "json" };
import sparksFostering from "./presets/sparks-fostering.json" with { type: "json" };
import stokeOnTrent from "./presets/stoke-on-trent.json" with { type: "json" };
import shortBreaks from "./regimes/short-breaks.json" with { type: "json" };
import { testedValues, withVariants, type ChildCondition, type Preset, type Regime, type Rule, type RuleInForce } from "./rule.js";
import { OVERRIDE_SCHEMA, RULE_SCHEMA } from "./rule-schema.js";
import { addToGroup } from "../common/group.js";

export interface Policy {
  /** The preset names in force joined with `+`, as the JSON output names them. */
  name: string;
  rules: RuleInForce[];
}

/** The validators of careplan.yaml's `rules`, made when a configuration first has some. */
let validators: { rule: ValidateFunction; override: ValidateFunction } | undefined;
function ruleValidators(): { rule: ValidateFunction; override: ValidateFunction } {
  if (!validators) {
    // verbose: an error keeps the schema it broke, whose description says what a form of several allows.
    const ajv = newAjv({ allErrors: false, strict: false, verbose: true });
    validators = { rule: ajv.compile(RULE_SCHEMA), override: ajv.compile(OVERRIDE_SCHEMA) };
  }
  return validators;
}

/** Every shipped preset (each checked against the rule language by the tests: test/timescales/shipped-rules.test.ts). */
export const PRESETS: ReadonlyMap<string, Preset> = new Map(
  ([england, carePlanningMeetings, newcastle, stokeOnTrent, sparksFostering] as unknown as Preset[]).map((preset) => [preset.name, preset]),
);

/** Every shipped regime: in force under any policy that has a rule it replaces. */
export const REGIMES: ReadonlyMap<string, Regime> = new Map(
  [shortBreaks as unknown as Regime].map((regime) => {
    const stray = regime.rules.find((rule) => !regime.replaces.includes(rule.id));
    if (stray) throw new Error(`regime ${regime.name}: rule ${stray.id} is not among those it replaces`);
    return [regime.name, regime];
  }),
);

const OFF = new Set<unknown>(["off", false]);

/**
 * `legalStatuses`: the values a profile's `legal_status` may take (the profile schema's list),
 * when known, so that a rule naming another value is a configuration error rather than a rule
 * that silently applies to no one.
 */
export function resolvePolicy(config: Config, knownTypes: readonly string[], legalStatuses?: readonly string[]): Policy {
  const byId = new Map<string, RuleInForce>();
  for (const name of config.policy) {
    const preset = PRESETS.get(name);
    if (!preset) {
      const hint = isPlainName(name) ? didYouMean(name, PRESETS.keys()) : "";
      throw new ConfigError(`${settingAt(config, "policy")}: \`policy\` names ${isPlainName(name) ? `"${name}"` : "something"}, which is not a preset.${hint} The presets are: ${[...PRESETS.keys()].join(", ")}.`);
    }
    for (const rule of preset.rules) byId.set(rule.id, { ...rule, preset: name } as RuleInForce);
  }
  for (const [id, setting] of Object.entries(config.rules)) {
    const where = `${settingAt(config, `rules.${id}`)}: ${isPlainName(id) ? `\`rules.${id}\`` : "a key under `rules` that is not a rule id"}`;
    const nearest = isPlainName(id) ? didYouMean(id, byId.keys()) : "";
    if (OFF.has(setting)) {
      if (!byId.delete(id)) throw new ConfigError(`${where} switches off a rule that is not in force.${nearest} The rules in force are: ${[...byId.keys()].join(", ")}.`);
      continue;
    }
    if (typeof setting !== "object" || setting === null || Array.isArray(setting)) {
      throw new ConfigError(`${where} must be \`off\` or a mapping of settings (interval, unit, title, applies_to), or a local rule with a \`kind\` (see docs/rules.md).`);
    }
    if ("kind" in setting) {
      const rule = { id, ...setting } as Rule;
      const validateRule = ruleValidators().rule;
      if (!validateRule(rule)) throw new ConfigError(`${where}${sentence(validateRule.errors)}`);
      checkCounts(setting, config, where);
      byId.set(id, { ...rule, preset: "local" } as RuleInForce);
      continue;
    }
    const existing = byId.get(id);
    if (!existing) throw new ConfigError(`${where} changes a rule that is not in force.${nearest} A new local rule needs a \`kind\` (deadline, age, recurrence).`);
    const validateOverride = ruleValidators().override;
    if (!validateOverride(setting)) throw new ConfigError(`${where}${sentence(validateOverride.errors)}`);
    checkCounts(setting, config, where);
    const timed = existing.kind === "actions" ? ["interval", "unit"].filter((key) => key in setting) : [];
    if (timed.length > 0) {
      throw new ConfigError(
        `${where}: ${timed.map((key) => `\`${key}\``).join(" and ")} cannot be set: actions are due on their own \`when\` dates. Only \`title\`, \`description\` and \`applies_to\` can change, or switch the rule off.`,
      );
    }
    byId.set(id, { ...existing, ...setting } as RuleInForce);
  }
  const rules = [...byId.values()];
  checkReferences(rules, rules, knownTypes, config);
  const withRegimes = [...REGIMES.values()].reduce((inForce, regime) => applyRegime(regime, inForce, knownTypes, config), rules);
  if (legalStatuses) checkLegalStatuses(withVariants(withRegimes), legalStatuses, config);
  return { name: config.policy.join("+"), rules: withRegimes };
}

/**
 * Where the policy has a rule the regime replaces, those rules give way, for the children it
 * applies to, to the regime's rules: a rule of the same id becomes a variant of the rule in
 * force, another is added (for those children only). They are reported under the preset of the
 * rule of the same id they replace, or else of the first replaced rule in force: always a preset
 * of the policy.
 */
function applyRegime(regime: Regime, rules: RuleInForce[], knownTypes: readonly string[], config: Config): RuleInForce[] {
  const replaces = new Set(regime.replaces);
  const replaced = rules.filter((rule) => replaces.has(rule.id));
  if (replaced.length === 0) return rules;
  const presetOf = (id: string) => (replaced.find((rule) => rule.id === id) ?? replaced[0]!).preset;
  const own = regime.rules.map((rule) => ({ ...rule, preset: presetOf(rule.id), regime: { label: regime.label, applies_to: regime.applies_to } }) as RuleInForce);
  checkReferences(own, [...rules.filter((rule) => !replaces.has(rule.id)), ...own], knownTypes, config);
  const giveWay = (rule: RuleInForce): RuleInForce => ({
    ...rule,
    given_way_for: [...(rule.given_way_for ?? []), regime.applies_to],
    variants: [...(rule.variants ?? []), ...own.filter((variant) => variant.id === rule.id)],
  });
  const added = own.filter((variant) => !replaced.some((rule) => rule.id === variant.id));
  return [...rules.map((rule) => (replaces.has(rule.id) ? giveWay(rule) : rule)), ...added];
}

/** The rule another rule counts from: a deadline `from: { rule }`, or a recurrence's `first_before_care`. */
export function countsFrom(rule: Rule): string | undefined {
  if (rule.kind === "deadline" && typeof rule.from === "object" && "rule" in rule.from) return rule.from.rule;
  return rule.kind === "recurrence" ? rule.first_before_care?.rule : undefined;
}

/**
 * Each of `rules` counts only from rules of `inForce`, and names only known document types. A rule
 * that others count from and that is not in force is named once, with every rule counting from it.
 */
function checkReferences(rules: readonly RuleInForce[], inForce: readonly RuleInForce[], knownTypes: readonly string[], config: Config): void {
  const ids = new Set(inForce.map((r) => r.id));
  const types = new Set(knownTypes);
  const orphans = new Map<string, RuleInForce[]>();
  for (const rule of rules) {
    const referenced = countsFrom(rule);
    if (referenced !== undefined && !ids.has(referenced)) addToGroup(orphans, referenced, rule);
  }
  for (const [referenced, dependents] of orphans) {
    const named = dependents.map((rule) => `\`${rule.id}\` (${rule.preset})`);
    const subject = named.length === 1 ? `rule ${named[0]} counts` : `rules ${named.slice(0, -1).join(", ")} and ${named.at(-1)} count`;
    const missing = OFF.has(config.rules[referenced]) ? `which \`rules.${referenced}\` switches off` : "which is not in force";
    const them = named.length === 1 ? `\`${dependents[0]!.id}\`` : "them";
    throw new ConfigError(`${configName(config)}: ${subject} from rule \`${referenced}\`, ${missing}: switch ${them} off too, or keep \`${referenced}\`.`);
  }
  for (const rule of rules) {
    const where = `${settingAt(config, `rules.${rule.id}`)}: rule \`${rule.id}\` (${rule.preset})`;
    const documentTypes =
      rule.kind === "recurrence" ? [rule.type]
      : rule.kind === "actions" ? rule.types
      : [rule.met_by.type, rule.kind === "deadline" && typeof rule.from === "object" && "document" in rule.from ? rule.from.document : undefined];
    for (const type of documentTypes) {
      if (type !== undefined && !types.has(type)) throw new ConfigError(`${where} names ${isPlainName(type) ? `the document type "${type}"` : "something as a document type"}. The types are: ${knownTypes.join(", ")}.`);
    }
  }
}

/** Keys whose number counts days, weeks, months or years. */
const COUNTS = new Set(["interval", "before", "years", "months"]);

/**
 * A rule in careplan.yaml counts at most `limits.interval` of any unit: working days are counted
 * one by one, so a huge interval would hang every run, and no timescale needs one.
 */
function checkCounts(setting: object, config: Config, where: string): void {
  const stack: [unknown, string][] = [[setting, ""]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value !== "object" || value === null) continue;
    for (const [key, inner] of Object.entries(value)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (COUNTS.has(key) && typeof inner === "number" && inner > config.limits.interval) {
        throw new ConfigError(`${where}: \`${at}\` is more than ${config.limits.interval}, the largest interval careplan.yaml allows (\`limits.interval\`; no timescale needs more).`);
      }
      stack.push([inner, at]);
    }
  }
}

/** The values the profile's schema allows for `legal_status`, for `resolvePolicy` to check rules against. */
export function legalStatusesOf(types: ReadonlyMap<string, DocumentType>): string[] | undefined {
  const field = (types.get("child")?.schema.properties as Record<string, { enum?: unknown[] }> | undefined)?.legal_status;
  return field?.enum?.filter((value): value is string => typeof value === "string");
}

function checkLegalStatuses(rules: readonly RuleInForce[], legalStatuses: readonly string[], config: Config): void {
  const known = new Set(legalStatuses);
  for (const rule of rules) {
    for (const condition of [rule.applies_to, rule.regime?.applies_to]) {
      const unknown = conditionValues(condition).find((value) => !known.has(value));
      if (unknown !== undefined) {
        throw new ConfigError(`${settingAt(config, `rules.${rule.id}`)}: rule \`${rule.id}\` (${rule.preset}) names ${isPlainName(unknown) ? `the legal status "${unknown}"` : "something as a legal status"}. The legal statuses are: ${legalStatuses.join(", ")}.`);
      }
    }
  }
}

function conditionValues(condition: ChildCondition | undefined): string[] {
  return condition?.legal_status === undefined ? [] : testedValues(condition.legal_status).values;
}

function configName(config: Config): string {
  return config.file ?? "careplan.yaml";
}

/** ajv's most telling error as the end of a sentence ("`rules.x`" + this) that names the key and what is allowed. */
function sentence(errors: ErrorObject[] | null | undefined): string {
  const error = mostTelling(errors ?? []);
  if (!error) return " is not valid.";
  const key = error.instancePath.slice(1).replace(/\//g, ".");
  const at = key ? `: \`${key}\`` : "";
  switch (error.keyword) {
    case "required":
      return `${at} needs \`${(error.params as { missingProperty: string }).missingProperty}\` (see docs/rules.md).`;
    case "additionalProperties":
      return `${at} has \`${(error.params as { additionalProperty: string }).additionalProperty}\`, which the rule language does not have (see docs/rules.md).`;
    case "enum":
    case "const":
      return `${at} must be one of: ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? [(error.params as { allowedValue: unknown }).allowedValue]).join(", ")}.`;
    case "type":
      return `${at} must be ${TYPE_WORDS[String((error.params as { type: unknown }).type)] ?? (error.params as { type: unknown }).type} (see docs/rules.md).`;
    case "anyOf": {
      const allowed = (error.parentSchema as { description?: string } | undefined)?.description;
      return `${at} ${allowed ? `must be ${allowed}` : "is not one of the forms the rule language has"} (see docs/rules.md).`;
    }
    default:
      return `${at} ${error.message ?? "is not valid"} (see docs/rules.md).`;
  }
}

const TYPE_WORDS: Record<string, string> = { integer: "a whole number", boolean: "true or false", string: "text", object: "a mapping", array: "a list" };

/**
 * Where a value may take several forms (anyOf), ajv reports each form's error, then the anyOf:
 * the error deepest inside the value tells most (`from.eligible` needs `at_age`); when none is
 * deeper, the anyOf itself, described by its schema.
 */
function mostTelling(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const anyOf = errors.findLast((error) => error.keyword === "anyOf");
  if (!anyOf) return errors[0];
  const depth = (error: ErrorObject) => error.instancePath.split("/").length;
  const inside = errors.filter((error) => error.instancePath.startsWith(`${anyOf.instancePath}/`));
  return inside.reduce<ErrorObject | undefined>((deepest, error) => (!deepest || depth(error) > depth(deepest) ? error : deepest), undefined) ?? anyOf;
}
