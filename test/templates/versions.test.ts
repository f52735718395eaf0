// Forms change; documents keep their form. A release that revises a built-in template adds a
// version with its `since`: documents dated before it are checked against the older one. Tried
// here with a fixture version of the visit (fixtures/own-forms/built-in-version).
import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT, TEMPLATES_DIR } from "../../src/assets.js";
import { parseDocumentText } from "../../src/casefile/document.js";
import { fileNameReader } from "../../src/casefile/filename.js";
import { selectPaths } from "../../src/casefile/repository.js";
import { readCaseload } from "../../src/core/caseload.js";
import { checkCaseload } from "../../src/core/check.js";
import { documentTypes } from "../../src/doctypes.js";
import { loadBuiltInForms, versionAt } from "../../src/templates/forms.js";
import { sectionMissingRule } from "../../src/rules/file-rules.js";
import { renderSchemaFiles } from "../../src/templates/schema-files.js";
import type { Template } from "../../src/templates/template.js";
import { resolvePolicy } from "../../src/timescales/policy.js";
import { temporaryFolder } from "../cli-harness.js";

const FIXTURE = join(PACKAGE_ROOT, "fixtures/own-forms/built-in-version");
let folder: { path: string; remove: () => void };
let dir: string;

beforeAll(() => {
  folder = temporaryFolder();
  dir = join(folder.path, "templates");
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  cpSync(join(FIXTURE, "visit.2026-04-01.md"), join(dir, "visit.2026-04-01.md"));
});
afterAll(() => folder.remove());

describe("a built-in form with a second version", () => {
  it("has both versions, the first open before the second's since", () => {
    const visit = loadBuiltInForms(dir).get("visit")!;
    expect(visit.versions.map((v) => v.since)).toEqual([undefined, "2026-04-01"]);
    expect(visit.files).toEqual(["templates/visit.md", "templates/visit.2026-04-01.md"]);
    const sections = (date: string | undefined) => versionAt(visit, date).sections.map((s) => s.heading);
    expect(sections("2000-01-01")).not.toContain("Education");
    expect(sections("2026-03-31")).not.toContain("Education");
    expect(sections("2026-04-01")).toContain("Education");
    expect(sections(undefined)).toContain("Education");
  });

  it("checks each visit against the version in force on its date", () => {
    const types = documentTypes(loadBuiltInForms(dir), "2026-05-01");
    const selection = selectPaths([join(FIXTURE, "repository")], PACKAGE_ROOT, undefined);
    const config = selection.repository.config;
    const result = checkCaseload({ children: readCaseload(selection, types), types, policy: resolvePolicy(config, [...types.keys()]), config: { ...config, severity: { "timescale/*": "off" } }, asOf: "2026-05-01" });
    expect(result.findings.map(({ file, rule, message }) => [file, rule, message])).toEqual([
      ["children/VV-0001/2026-04-20-visit.md", "section-missing", 'the section "## Education" is missing: add it (careplan new shows the template)'],
    ]);
  });

  it("publishes the version in force as <type>.schema.json and the earlier one beside it", () => {
    const files = renderSchemaFiles(dir);
    expect([...files.keys()].filter((name) => name.startsWith("visit"))).toEqual(["visit.first.schema.json", "visit.schema.json"]);
    const latest = JSON.parse(files.get("visit.schema.json")!) as { $id: string; "x-careplan": { since: string; template: string; sections: { required: string[] } } };
    expect(latest.$id).toBe("urn:careplan:schema:visit:since:2026-04-01");
    expect(latest["x-careplan"]).toMatchObject({ since: "2026-04-01", template: "templates/visit.2026-04-01.md" });
    expect(latest["x-careplan"].sections.required).toContain("Education");
    expect(JSON.parse(files.get("visit.first.schema.json")!)).toMatchObject({ $id: "urn:careplan:schema:visit" });
  });
});

// careplan's own forms as shipped: the care plan, review, assessment and placement plan ask for
// more from 1 April 2027. A document is held to the form it was written under.
describe("the built-in forms revised on 2027-04-01", () => {
  const forms = loadBuiltInForms(TEMPLATES_DIR);
  const types = documentTypes(forms);
  const readName = fileNameReader([...types.keys()]);
  const required = (template: Template) => template.sections.filter((s) => s.required).map((s) => s.heading);
  const PROFILE = parseDocumentText("children/AB-1/child.md", "AB-1", readName("child.md"), "---\ntype: child\nid: AB-1\n---\n");

  /** The sections `section-missing` finds missing in a document of `type` dated `date` with these sections written. */
  function missing(type: string, date: string, headings: string[]): string[] {
    const text = `---\ntype: ${type}\nchild: AB-1\ndate: ${date}\n---\n` + headings.map((h) => `## ${h}\nText.\n`).join("\n");
    const document = parseDocumentText(`children/AB-1/${date}-${type}.md`, "AB-1", readName(`${date}-${type}.md`), text);
    const child = { id: "AB-1", folder: "children/AB-1", profile: PROFILE, documents: [document], misnamed: [], strays: [] };
    return sectionMissingRule.check({ child, types, asOf: "2027-06-01", timeline: [] }).map((f) => /"## (.+)" is missing/.exec(f.message)![1]!);
  }

  it("are these four, each with a first version and one from 2027-04-01", () => {
    const revised = [...forms.values()].filter((form) => form.versions.length > 1);
    expect(revised.map((form) => [form.type, form.versions.map((v) => v.since)])).toEqual([
      ["assessment", [undefined, "2027-04-01"]],
      ["care-plan", [undefined, "2027-04-01"]],
      ["placement-plan", [undefined, "2027-04-01"]],
      ["review", [undefined, "2027-04-01"]],
    ]);
  });

  it.each([
    ["assessment", ["The child's wishes and feelings", "Who was consulted"], []],
    ["care-plan", ["Communication needs", "Manager direction"], ["Statutory visits", "Care team meetings", "Role of parents"]],
    ["placement-plan", ["Communication needs", "Identity", "Social presentation and self-care skills", "Support to the carer", "Financial arrangements"], []],
    ["review", ["Plans and reports considered", "Views of parents and carers", "The placement"], []],
  ])("%s: written on 31 March 2027 under the first form it is complete; dated 1 April it needs %j", (type, added, dropped) => {
    const [first, second] = forms.get(type)!.versions as [Template, Template];
    expect(missing(type, "2027-03-31", required(first))).toEqual([]);
    expect(missing(type, "2027-04-01", required(first))).toEqual(added);
    expect(missing(type, "2027-04-01", required(second))).toEqual([]);
    // The sections the new form no longer asks for are still asked of a document written before it.
    expect(missing(type, "2027-03-31", required(second))).toEqual(dropped);
  });
});
