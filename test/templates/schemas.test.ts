// The schemas in schemas/ are derived from the templates, never kept by hand, and hold exactly
// CONTRACT.md's required fields: no more (repositories move between authorities), no fewer.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMAS_DIR, TEMPLATES_DIR } from "../../src/assets.js";
import { loadDocumentTypes } from "../../src/doctypes.js";
import { loadBuiltInForms } from "../../src/templates/forms.js";
import { loadShared } from "../../src/templates/template.js";
import { deriveSchema } from "../../src/templates/schema.js";
import { renderSchemaFiles } from "../../src/templates/schema-files.js";
import { PRESETS, REGIMES } from "../../src/timescales/policy.js";

const types = loadDocumentTypes();

/** CONTRACT.md section 2, as written there: each type's required fields, dotted into objects and list items. */
const CONTRACT_REQUIRED: Record<string, string[]> = {
  child: ["type", "id", "name", "dob", "looked_after_since", "legal_status", "iro", "iro.name", "social_worker", "social_worker.name", "placements", "placements.start", "placements.type"],
  "care-plan": ["type", "child", "date", "permanence_plan", "actions.action", "actions.who", "actions.when"],
  "placement-plan": ["type", "child", "date", "placement_start"],
  "care-planning-meeting": ["type", "child", "date", "actions.action", "actions.who", "actions.when"],
  review: ["type", "child", "date", "actions.action", "actions.who", "actions.when"],
  visit: ["type", "child", "date", "seen_alone"],
  "health-assessment": ["type", "child", "date"],
  pep: ["type", "child", "date"],
  "pathway-plan": ["type", "child", "date"],
  assessment: ["type", "child", "date", "kind"],
};

type Schema = { required?: string[]; properties?: Record<string, Schema>; items?: Schema; description?: string };

/**
 * Required keys, dotted. Inside an optional group only the contract's own `actions` count: an
 * optional group the template adds (a copy of the IRO) may require its parts when it is present.
 */
function requiredKeys(schema: Schema, prefix = ""): string[] {
  const keys: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const required = schema.required?.includes(name) ?? false;
    if (required) keys.push(prefix + name);
    if (required || name === "actions") keys.push(...requiredKeys(property.items ?? property, `${prefix}${name}.`));
  }
  return keys;
}

function everyField(schema: Schema, path = ""): [string, Schema][] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [[path + name, property] as [string, Schema], ...everyField(property.items ?? property, `${path}${name}.`)]);
}

describe("schemas/", () => {
  it("holds exactly what the templates derive (run npm run schemas after changing a template)", () => {
    const expected = renderSchemaFiles(TEMPLATES_DIR);
    const committed = readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith(".schema.json")).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(join(SCHEMAS_DIR, name), "utf8"), `schemas/${name} is stale: run npm run schemas`).toBe(text);
  });

  // Every version of every form: a new version may add sections, never a required field.
  const versions = [...loadBuiltInForms(TEMPLATES_DIR).values()].flatMap((form) => form.versions.map((template) => [`${form.type} (${template.since ? `since ${template.since}` : "first"})`, form.type, template] as const));

  it.each(versions)("%s requires exactly CONTRACT.md's fields", (_, type, template) => {
    expect(requiredKeys(deriveSchema(template) as Schema).sort()).toEqual([...CONTRACT_REQUIRED[type]!].sort());
  });

  it.each([...types.keys()])("every field of %s has a description, for editors", (type) => {
    for (const [key, field] of everyField(types.get(type)!.schema as Schema)) expect(field.description, key).toBeTruthy();
  });

  it.each([
    ["2026-02-28", true],
    ["2026-02-30", false],
    ["2025-02-29", false],
    ["2024-02-29", true],
    ["26-02-28", false],
  ])("a date %s is %s", (date, valid) => {
    const visit = { type: "visit", child: "AB-1", date, seen_alone: true };
    expect(types.get("visit")!.validate(visit).length === 0).toBe(valid);
  });

  it.each([true, false, "yes", "true", 1, null])("only true and false are booleans: %j", (value) => {
    const visit = { type: "visit", child: "AB-1", date: "2026-01-05", seen_alone: value };
    expect(types.get("visit")!.validate(visit).length === 0).toBe(typeof value === "boolean");
  });

  it("keeps the required sections in the schema's own keyword, version by version", () => {
    expect(types.get("review")!.at("2027-03-31").sections).toEqual({
      required: ["Participants", "The child's views", "Progress since the last review", "The care plan", "Decisions", "Recommendations", "Next review"],
      optional: ["Starred recommendations"],
    });
    expect(types.get("review")!.at("2027-04-01").sections).toEqual({
      required: ["Participants", "Plans and reports considered", "The child's views", "Views of parents and carers", "Progress since the last review", "The placement", "The care plan", "Decisions", "Recommendations", "Next review"],
      optional: ["Starred recommendations"],
    });
  });
});

describe("presets", () => {
  it.each([...PRESETS.values()].map((p) => [p.name, p] as const))("%s names only known document types", (_, preset) => {
    const named = preset.rules.flatMap((rule) => {
      if (rule.kind === "recurrence") return [rule.type];
      if (rule.kind === "actions") return rule.types;
      const from = rule.kind === "deadline" && typeof rule.from === "object" && "document" in rule.from ? [rule.from.document] : [];
      return [...from, ...(rule.met_by.type ? [rule.met_by.type] : [])];
    });
    for (const type of named) expect(types.has(type), type).toBe(true);
  });

  it("have the rule ids DOMAIN.md lists, preset by preset", () => {
    const ids = Object.fromEntries([...PRESETS.values()].map((p) => [p.name, p.rules.map((r) => r.id)]));
    expect(ids).toEqual({
      england: ["care-plan", "placement-plan", "review.first", "review.second", "review.subsequent", "review.record", "permanence-plan", "visit.placement", "visit", "health-assessment.initial", "health-assessment", "pep.initial", "pep", "pathway-plan", "action"],
      "care-planning-meetings": ["cpm.placement", "cpm", "cpm.minutes"],
      newcastle: ["review.first", "visit", "care-plan.after-review", "assessment", "assessment.pre-pathway", "pathway-plan"],
      "stoke-on-trent": ["review.placement-change", "review.record", "pep"],
      "sparks-fostering": ["visit", "visit.unannounced", "review.before-move"],
    });
    // DOMAIN.md's "Regimes of the second release": short breaks replace the review timetable.
    expect(Object.fromEntries([...REGIMES.values()].map((r) => [r.name, r.rules.map((rule) => rule.id)]))).toEqual({ "short-breaks": ["review.first", "review.subsequent"] });
  });
});

// CONTRACT.md section 2, as corrected: the SSDA903 return codes each value maps to, for a later
// export. A value claims no code this list does not give it (R1 is a residential care home, not a
// children's home; J3 is a sentence with a residence requirement, not a remand).
const CONTRACT_CODES: Record<string, Record<string, string[]>> = {
  legal_status: {
    "interim-care-order": ["C1"], "care-order": ["C2"], "placement-order": ["E1"], "section-20": ["V2"], "short-breaks": ["V3", "V4"],
    "police-protection": ["L1"], "emergency-protection-order": ["L2"], "child-assessment-order": ["L3"], remand: ["J1", "J2"],
  },
  placement_type: {
    "foster-care": ["U4-U6"], "connected-person": ["U1-U3"], "placement-with-parents": ["P1"], "childrens-home": ["K2"], "secure-childrens-home": ["K1"],
    "supported-accommodation": ["H5", "P2"], "residential-school": ["S1"], "adoption-placement": ["A3-A6"], other: ["Z1"],
  },
};

describe("SSDA903 codes in templates/shared.yaml", () => {
  const shared = loadShared(TEMPLATES_DIR);
  it.each(Object.keys(CONTRACT_CODES))("%s: each value names exactly the codes CONTRACT.md gives it", (vocabulary) => {
    const codes = Object.fromEntries(Object.entries(shared.vocabularies[vocabulary]!.values).map(([value, meaning]) => [value, meaning.match(/\b[A-Z]\d(?:-[A-Z]\d)?\b/g) ?? []]));
    expect(codes).toEqual(CONTRACT_CODES[vocabulary]);
  });
});
