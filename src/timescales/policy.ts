// The rules in force: the configured presets in order (later ones replace rules of the same id),
// then careplan.yaml's `rules` (switch off, change interval/unit/title, or add local rules).
import type { ErrorObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Config } from "../config/config.js";
import { ConfigError } from "../errors.js";
import carePlanningMeetings from "./presets/care-planning-meetings.json" with { type: "json" };
import england from "./presets/england.json" with { type: "json" };
import newcastle from "./presets/newcastle.json" with { type: "json" };
import sparksFostering from "./presets/sparks-fostering.json" with { type: "json" };
import stokeOnTrent from "./presets/stoke-on-trent.json" with { type: "json" };
import type { Preset, Rule, RuleInForce } from "./rule.js";
import { OVERRIDE_SCHEMA, PRESET_SCHEMA, RULE_SCHEMA } from "./rule-schema.js";

export interface Policy {
  /** The preset names in force joined with `+`, as the JSON output names them. */
  name: string;
  rules: RuleInForce[];
}

const ajv = new Ajv2020({ allErrors: false, strict: false });
const validatePreset = ajv.compile(PRESET_SCHEMA);
const validateRule = ajv.compile(RULE_SCHEMA);
const validateOverride = ajv.compile(OVERRIDE_SCHEMA);

/** Every shipped preset, checked against the rule language once. */
export const PRESETS: ReadonlyMap<string, Preset> = new Map(
  [england, carePlanningMeetings, newcastle, stokeOnTrent, sparksFostering].map((data) => {
    if (!validatePreset(data)) throw new Error(`preset ${(data as { name?: string }).name}: ${JSON.stringify(validatePreset.errors)}`);
    const preset = data as Preset;
    return [preset.name, preset];
  }),
);

const OFF = new Set<unknown>(["off", false]);

export function resolvePolicy(config: Config, knownTypes: readonly string[]): Policy {
  const byId = new Map<string, RuleInForce>();
  for (const name of config.policy) {
    const preset = PRESETS.get(name);
    if (!preset) throw new ConfigError(`${configName(config)}: \`policy\` names "${name}", which is not a preset. The presets are: ${[...PRESETS.keys()].join(", ")}.`);
    for (const rule of preset.rules) byId.set(rule.id, { ...rule, preset: name } as RuleInForce);
  }
  for (const [id, setting] of Object.entries(config.rules)) {
    const where = `${configName(config)}: \`rules.${id}\``;
    if (OFF.has(setting)) {
      if (!byId.delete(id)) throw new ConfigError(`${where} switches off a rule that is not in force. The rules in force are: ${[...byId.keys()].join(", ")}.`);
      continue;
    }
    if (typeof setting !== "object" || setting === null || Array.isArray(setting)) {
      throw new ConfigError(`${where} must be \`off\` or a mapping of settings (interval, unit, title), or a local rule with a \`kind\` (see docs/rules.md).`);
    }
    if ("kind" in setting) {
      const rule = { id, ...setting } as Rule;
      if (!validateRule(rule)) throw new ConfigError(`${where}${sentence(validateRule.errors)}`);
      checkCounts(setting, config, where);
      byId.set(id, { ...rule, preset: "local" } as RuleInForce);
      continue;
    }
    const existing = byId.get(id);
    if (!existing) throw new ConfigError(`${where} changes a rule that is not in force; a new local rule needs a \`kind\` (deadline, age, recurrence).`);
    if (!validateOverride(setting)) throw new ConfigError(`${where}${sentence(validateOverride.errors)}`);
    checkCounts(setting, config, where);
    if (existing.kind === "actions" && ("interval" in setting || "unit" in setting)) {
      throw new ConfigError(`${where}: actions are due on their own \`when\` dates; only the title can change, or switch it off.`);
    }
    byId.set(id, { ...existing, ...setting } as RuleInForce);
  }
  const rules = [...byId.values()];
  checkReferences(rules, knownTypes, config);
  return { name: config.policy.join("+"), rules };
}

function checkReferences(rules: readonly RuleInForce[], knownTypes: readonly string[], config: Config): void {
  const ids = new Set(rules.map((r) => r.id));
  const types = new Set(knownTypes);
  for (const rule of rules) {
    const where = `${configName(config)}: rule \`${rule.id}\` (${rule.preset})`;
    const referenced =
      rule.kind === "deadline" && typeof rule.from === "object" && "rule" in rule.from ? rule.from.rule : rule.kind === "recurrence" ? rule.first_before_care?.rule : undefined;
    if (referenced !== undefined && !ids.has(referenced)) {
      throw new ConfigError(`${where} counts from rule \`${referenced}\`, which is not in force: switch \`${rule.id}\` off too, or keep \`${referenced}\`.`);
    }
    const documentTypes =
      rule.kind === "recurrence" ? [rule.type]
      : rule.kind === "actions" ? rule.types
      : [rule.met_by.type, rule.kind === "deadline" && typeof rule.from === "object" && "document" in rule.from ? rule.from.document : undefined];
    for (const type of documentTypes) {
      if (type !== undefined && !types.has(type)) throw new ConfigError(`${where} names the document type "${type}". The types are: ${knownTypes.join(", ")}.`);
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

function configName(config: Config): string {
  return config.file ?? "careplan.yaml";
}

/** ajv's first error as the end of a sentence ("`rules.x`" + this) that names the key and what is allowed. */
function sentence(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
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
    default:
      return `${at} ${error.message ?? "is not valid"} (see docs/rules.md).`;
  }
}
