// The presets and regimes careplan ships keep the rule language (src/timescales/rule-schema.ts):
// checked here rather than on every run, which would compile the schemas each time.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { PRESETS, REGIMES } from "../../src/timescales/policy.js";
import { PRESET_SCHEMA, REGIME_SCHEMA } from "../../src/timescales/rule-schema.js";

const ajv = new Ajv2020({ allErrors: true, strict: false });

describe("the shipped rules keep the rule language", () => {
  it.each([...PRESETS.keys()])("preset %s", (name) => {
    const validate = ajv.compile(PRESET_SCHEMA);
    expect(validate(PRESETS.get(name)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([...REGIMES.keys()])("regime %s", (name) => {
    const validate = ajv.compile(REGIME_SCHEMA);
    expect(validate(REGIMES.get(name)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("a preset that breaks it is refused (the check can fail)", () => {
    const broken = { ...PRESETS.get("england")!, rules: [{ id: "x", kind: "deadline", title: "X", interval: "ten", unit: "days" }] };
    expect(ajv.compile(PRESET_SCHEMA)(broken)).toBe(false);
  });
});
