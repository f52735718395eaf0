// Templates are data: a body may show values and nothing else. Handlebars compiles a template to
// JavaScript, so the tricks people use to reach a prototype or a helper are refused before any
// compiling, and rendering happens in an environment with no helpers at all.
import Handlebars from "handlebars";
import { afterEach, describe, expect, it } from "vitest";
import { bodyProblems, renderBody, type BodyValues } from "../../src/templates/body.js";

const VALUES: BodyValues = { child: { name: "Sam Example" }, date: "2026-02-02", type: "visit", title: "Visit" };

describe("a template's body", () => {
  it.each([
    ["# Visit: {{child.name}}, {{date}}", "# Visit: Sam Example, 2026-02-02"],
    ["{{{child.name}}} ({{type}}: {{title}})", "Sam Example (visit: Visit)"],
    ["{{child.dob}} is not known: empty", " is not known: empty"],
    ["{{!-- a comment --}}text", "text"],
    ["\\{{child.name}} stays as written", "{{child.name}} stays as written"],
  ])("shows values: %j", (body, rendered) => {
    expect(bodyProblems(body)).toEqual([]);
    expect(renderBody(body, VALUES)).toBe(rendered);
  });

  it.each([
    "{{constructor.constructor}}",
    "{{constructor.constructor 'return process'}}",
    "{{child.constructor}}",
    "{{child.__proto__}}",
    "{{child.name.constructor}}",
    "{{__proto__}}",
    '{{#with "constructor"}}{{#with split as |a|}}{{a}}{{/with}}{{/with}}',
    '{{lookup this "constructor"}}',
    '{{lookup (lookup this "constructor") "constructor"}}',
    "{{#each child}}{{@key}}{{/each}}",
    "{{#if child}}yes{{/if}}",
    "{{> partial}}",
    "{{#> layout}}x{{/layout}}",
    "{{*decorator}}",
    "{{log child}}",
    "{{@root.child}}",
    "{{../child}}",
    "{{this}}",
    "{{child.name 'argument'}}",
    "{{child.name key=value}}",
    "{{helperMissing}}",
  ])("refuses %j before compiling anything", (body) => {
    expect(bodyProblems(`ok\n${body}`)).toEqual([expect.objectContaining({ line: 2 })]);
    expect(() => renderBody(body, VALUES)).toThrow(/may only show values/);
  });

  it("says where a malformed body goes wrong", () => {
    expect(bodyProblems("one\ntwo {{child.name\n")).toEqual([{ line: 2, message: expect.stringContaining("not closed or not well formed") }]);
  });

  describe("with a helper registered in the global Handlebars", () => {
    afterEach(() => Handlebars.unregisterHelper("leak"));
    it("cannot reach it", () => {
      Handlebars.registerHelper("leak", () => "LEAKED");
      expect(Handlebars.compile("{{leak}}")({})).toBe("LEAKED");
      expect(() => renderBody("{{leak}}", VALUES)).toThrow();
    });
  });

  it("cannot read a prototype's properties through a value", () => {
    const child = Object.assign(Object.create({ inherited: "from the prototype" }) as Record<string, string>, { name: "Sam" });
    expect(renderBody("[{{child.inherited}}]", { ...VALUES, child })).toBe("[]");
  });
});
