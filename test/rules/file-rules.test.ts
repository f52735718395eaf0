// The file rules called directly, as ESLint's RuleTester does: a document built in memory, the
// rule's findings asserted with line, column and message. Headings here are typed the way people
// type them (pasted from Word), which the section rules must read as the template's.
import { describe, expect, it } from "vitest";
import { parseDocumentText, type CaseDocument } from "../../src/casefile/document.js";
import { fileNameReader } from "../../src/casefile/filename.js";
import type { ChildCase } from "../../src/casefile/repository.js";
import { loadDocumentTypes } from "../../src/doctypes.js";
import { consistencyRule } from "../../src/rules/consistency.js";
import { schemaRule, sectionEmptyRule, sectionMissingRule, yamlRule } from "../../src/rules/file-rules.js";
import type { CheckRule } from "../../src/rules/rule.js";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { childTimeline, timelineContext } from "../../src/core/caseload.js";
import { resolvePolicy } from "../../src/timescales/policy.js";

const types = loadDocumentTypes();
const readName = fileNameReader([...types.keys()]);
const VISIT = "children/AB-1/2026-02-20-visit.md";

function document(path: string, text: string): CaseDocument {
  const name = path.split("/").at(-1)!;
  return parseDocumentText(path, "AB-1", readName(name), text);
}

const PROFILE = document(
  "children/AB-1/child.md",
  "---\ntype: child\nid: AB-1\nname: Sam Example\ndob: 2016-04-12\nlooked_after_since: 2026-01-05\nlegal_status: care-order\niro:\n  name: Pat Lee\nsocial_worker:\n  name: Jo Khan\nplacements:\n  - start: 2026-01-05\n    type: foster-care\n---\n",
);

function child(documents: CaseDocument[], strays: CaseDocument[] = []): ChildCase {
  return { id: "AB-1", folder: "children/AB-1", profile: PROFILE, documents, misnamed: [], strays };
}

function run(rule: CheckRule, ...documents: CaseDocument[]): [number, number, string][] {
  return rule.check({ child: child(documents), types, asOf: "2026-03-02", timeline: [] }).map((f) => [f.line, f.column, f.message]);
}

const FRONT = "---\ntype: visit\nchild: AB-1\ndate: 2026-02-20\nseen_alone: true\n---\n";
const HEADINGS = ["Purpose of the visit", "Seen alone", "Wishes and feelings", "Home and bedroom", "Carer's views", "Next steps"];

/** A visit whose sections are all written, one heading replaced by `replacement` (lines from 7). */
function visit(replace: string | undefined, replacement: string): CaseDocument {
  const body = HEADINGS.map((h) => (h === replace ? `${replacement}\nText.\n` : `## ${h}\nText.\n`)).join("\n");
  return document(VISIT, FRONT + body);
}
// Line of each heading in visit(): the front matter is 6 lines, each section 3.
const LINE = Object.fromEntries(HEADINGS.map((h, i) => [h, 7 + 3 * i])) as Record<string, number>;

describe("section-missing: the same heading, typed another way, is found", () => {
  it.each([
    ["a curly apostrophe", "Carer's views", "## Carer’s views"],
    ["a trailing colon", "Next steps", "## Next steps:"],
    ["a full stop", "Seen alone", "## Seen alone."],
    ["a non-breaking space", "Next steps", "## Next\u00a0steps"],
    ["repeated spaces and case", "Home and bedroom", "##   HOME and   bedroom"],
    ["bold inside the heading", "Next steps", "## **Next steps**"],
    ["closing hashes", "Seen alone", "## Seen alone ##"],
  ])("%s", (_, heading, typed) => {
    expect(run(sectionMissingRule, visit(heading, typed))).toEqual([]);
  });

  it("an en dash for a hyphen", () => {
    const plan = document(
      "children/AB-1/2026-01-12-care-plan.md",
      "---\ntype: care-plan\n---\n" + types.get("care-plan")!.at("2026-01-12").sections.required.map((h) => `## ${h === "Self-care skills" ? "Self–care skills" : h}\nText.\n`).join("\n"),
    );
    expect(run(sectionMissingRule, plan)).toEqual([]);
  });
});

describe("section-missing: a section there in another form is a finding at its own line, saying how to write it", () => {
  it.each([
    ["a level-3 heading", "### Next steps", 'is written here as a level-3 heading (###): write it as a level-2 heading: "## Next steps"'],
    ["a level-1 heading", "# Next steps", 'is written here as a level-1 heading (#): write it as a level-2 heading: "## Next steps"'],
    ["a setext level-1 heading", "Next steps\n==========", 'is written here as a level-1 heading (#): write it as a level-2 heading: "## Next steps"'],
    ["a bold line", "**Next steps**", 'is written here as bold text, not a heading: write it as a level-2 heading: "## Next steps"'],
    ["a bold line with a colon", "__Next steps:__", 'is written here as bold text, not a heading: write it as a level-2 heading: "## Next steps"'],
    ["a numbered list item", "6. Next steps", 'is written here as a numbered list item, not a heading: write it as a level-2 heading: "## Next steps"'],
    ["a numbered heading", "## 6. Next steps", 'is written here as a numbered heading: write it as a level-2 heading: "## Next steps"'],
    ["a heading numbered 2.3", "## 2.3 Next steps", 'is written here as a numbered heading: write it as a level-2 heading: "## Next steps"'],
    ["a numbered level-3 heading, pasted", "### 6) Next Steps:", 'is written here as a numbered level-3 heading (###): write it as a level-2 heading: "## Next steps"'],
  ])("%s", (_, typed, message) => {
    expect(run(sectionMissingRule, visit("Next steps", typed))).toEqual([[LINE["Next steps"], 1, `the section "## Next steps" ${message}`]]);
  });

  it("a heading present as a section is not also reported in another form further down", () => {
    const doc = document(VISIT, FRONT + HEADINGS.map((h) => `## ${h}\nText.\n`).join("\n") + "\n### Next steps\nMore.\n");
    expect(run(sectionMissingRule, doc)).toEqual([]);
  });
});

describe("section-missing: still not found", () => {
  it("points at the closest heading present by its line, never quoting it", () => {
    const findings = run(sectionMissingRule, visit("Wishes and feelings", "## Wishes and feelins SENTINEL"));
    expect(findings).toEqual([
      [1, 1, `the section "## Wishes and feelings" is missing: add it (careplan new shows the template); did you mean the heading on line ${LINE["Wishes and feelings"]}? Write it as "## Wishes and feelings"`],
    ]);
    expect(JSON.stringify(findings)).not.toContain("SENTINEL");
  });

  it("suggests nothing when no heading is close", () => {
    expect(run(sectionMissingRule, visit("Wishes and feelings", "## Something else entirely"))).toEqual([
      [1, 1, 'the section "## Wishes and feelings" is missing: add it (careplan new shows the template)'],
    ]);
  });

  it("a heading claimed by one section is not suggested for another", () => {
    const doc = document(VISIT, FRONT + HEADINGS.filter((h) => h !== "Seen alone").map((h) => `## ${h}\nText.\n`).join("\n"));
    expect(run(sectionMissingRule, doc)).toEqual([[1, 1, 'the section "## Seen alone" is missing: add it (careplan new shows the template)']]);
  });
});

describe("section-empty follows the same matching, in the template's words", () => {
  it("an empty section under a heading pasted with a curly apostrophe and a colon", () => {
    const doc = document(VISIT, FRONT + HEADINGS.map((h) => (h === "Carer's views" ? "## Carer’s Views:\n<!-- guidance -->\n" : `## ${h}\nText.\n`)).join("\n"));
    expect(run(sectionEmptyRule, doc)).toEqual([[LINE["Carer's views"], 1, `the section "## Carer's views" is empty: write it, or say why it does not apply`]]);
    expect(run(sectionMissingRule, doc)).toEqual([]);
  });
});

describe("section-empty: a section written in another form ends the one above it", () => {
  it("guidance, then `### Seen alone`: the section above is empty; text above it is not", () => {
    const body = (above: string) =>
      FRONT + HEADINGS.map((h) => (h === "Purpose of the visit" ? `## ${h}\n${above}\n` : h === "Seen alone" ? `### ${h}\nText.\n` : `## ${h}\nText.\n`)).join("\n");
    expect(run(sectionEmptyRule, document(VISIT, body("<!-- guidance -->")))).toEqual([[7, 1, 'the section "## Purpose of the visit" is empty: write it, or say why it does not apply']]);
    expect(run(sectionEmptyRule, document(VISIT, body("Text.")))).toEqual([]);
  });
});

describe("a front matter never closed", () => {
  it("is one yaml finding, and no section is reported missing", () => {
    const doc = document(VISIT, "---\ntype: visit\nchild: AB-1\ndate: 2026-02-20\nseen_alone: true\n\n## Purpose of the visit\nText.\n");
    expect(run(yamlRule, doc)).toEqual([[1, 1, "the front matter opened by `---` on line 1 is never closed: add a line `---` after the last field"]]);
    expect(run(sectionMissingRule, doc)).toEqual([]);
    expect(run(sectionEmptyRule, doc)).toEqual([]);
  });
});

describe("schema: a date typed almost right names the slip, never the value", () => {
  it.each([
    ["2026–02–20", "`date` has a dash that is not a hyphen (an en dash or a long dash, as a word processor puts in)"],
    ["2026—02—20", "`date` has a dash that is not a hyphen (an en dash or a long dash, as a word processor puts in)"],
    ["20-02-2026", "`date` is written day first"],
    ["20/02/2026", "`date` is written day first"],
    ["2026/02/20", "`date` has / or . between its parts instead of hyphens"],
    ["2026-2-20", "`date` needs two digits for the month and the day"],
  ])("%s", (value, slip) => {
    const doc = document(VISIT, FRONT.replace("date: 2026-02-20", `date: ${value}`) + HEADINGS.map((h) => `## ${h}\nText.\n`).join("\n"));
    const findings = run(schemaRule, doc);
    expect(findings).toEqual([[4, 1, `${slip}: write it as a real date YYYY-MM-DD with plain hyphens, for example 2026-01-05`]]);
    expect(JSON.stringify(findings)).not.toContain(value);
  });

  it("other bad dates keep the general message", () => {
    const doc = document(VISIT, FRONT.replace("date: 2026-02-20", "date: next Tuesday"));
    expect(run(schemaRule, doc)).toEqual([[4, 1, "`date` must be a real date written YYYY-MM-DD, for example 2026-01-05"]]);
  });
});

describe("yaml: a key written twice", () => {
  it.each([
    ["a field of the document is named", "seen_alone: true\nseen_alone: false", "`seen_alone` is written twice in the front matter: keep one"],
    ["a nested field is named", "iro:\n  name: A\n  name: B", "`name` is written twice in the front matter: keep one"],
    ["a key that is no field is not quoted", "Sam said: hello\nSam said: again", "a key is written twice in the front matter: keep one"],
    ["nor a single word that is no field", "SENTINEL: 1\nSENTINEL: 2", "a key is written twice in the front matter: keep one"],
  ])("%s", (_, fields, message) => {
    const doc = document(VISIT, `---\ntype: visit\nchild: AB-1\ndate: 2026-02-20\n${fields}\n---\n`);
    expect(run(yamlRule, doc).map((f) => f[2])).toEqual([message]);
  });
});

describe("consistency: a document misnamed beyond recognition", () => {
  const misnamed = (file: string, text: string) => document(`children/AB-1/${file}`, text);
  const context = (strays: CaseDocument[], documents: CaseDocument[] = []) => ({ child: child(documents, strays), types, asOf: "2026-03-02", timeline: [] });

  it.each([
    ["2026-11-5-visit.md", "2026-11-05-visit.md"],
    ["2026-11-05 visit.md", "2026-11-05-visit.md"],
    ["2026-11-05-visit.MD", "2026-11-05-visit.md"],
    ["05-11-2026-visit.md", "2026-11-05-visit.md"],
    ["visit notes.md", "2026-11-05-visit.md"],
  ])("%s: the name it needs, from its own type and date", (file, expected) => {
    const stray = misnamed(file, "---\ntype: visit\nchild: AB-1\ndate: 2026-11-05\nseen_alone: true\n---\n");
    expect(consistencyRule.check(context([stray]))).toEqual([
      {
        file: `children/AB-1/${file}`,
        line: 1,
        column: 1,
        message: `the front matter says this is a visit, but the file name does not follow <YYYY-MM-DD>-<type>[-<slug>].md, so it is not read as one: rename it to ${expected}`,
        messageId: "misnamed-document",
        subject: "",
      },
    ]);
  });

  it("an assessment whose date is not written right, and a name already taken", () => {
    const stray = misnamed("assessment.md", "---\ntype: assessment\ndate: 5 Nov\n---\n");
    expect(consistencyRule.check(context([stray]))[0]!.message).toMatch(/this is an assessment, .*: rename it to <YYYY-MM-DD>-assessment\.md$/);
    const taken = misnamed("2026-11-05-visit.MD", "---\ntype: visit\ndate: 2026-11-05\n---\n");
    const existing = document("children/AB-1/2026-11-05-visit.md", "---\ntype: visit\ndate: 2026-11-05\n---\n");
    expect(consistencyRule.check(context([taken], [existing])).map((f) => f.message)).toContainEqual(expect.stringMatching(/2026-11-05-visit\.md is taken: rename it to 2026-11-05-visit-<slug>\.md$/));
  });

  it.each([
    ["2026-11-05-Visit-b.md", "rename it to 2026-11-05-visit-b.md"],
    ["2026-11-05-vist.md", "rename it to 2026-11-05-visit.md"],
    ["2026-11-05-Care-Plan.md", "rename it to 2026-11-05-care-plan.md"],
    ["2026-11-05-home-visit.md", "name it <YYYY-MM-DD>-<type>[-<slug>].md with a type of"],
  ])("%s, named with a type not quite right: %s", (file, hint) => {
    const name = fileNameReader([...types.keys()])(file);
    const theChild = { ...child([]), misnamed: name.kind === "misnamed" ? [{ file: `children/AB-1/${file}`, name }] : [] };
    const [finding] = consistencyRule.check({ child: theChild, types, asOf: "2026-03-02", timeline: [] });
    expect(finding).toMatchObject({ file: `children/AB-1/${file}`, messageId: "misnamed-type" });
    expect(finding!.message).toContain(hint);
  });

  it("a type a slip away from a known one, in a file named as no document, says which it was meant to be", () => {
    const stray = misnamed("visit to Sam.md", "---\ntype: Visit\nchild: AB-1\ndate: 2026-11-05\n---\n");
    expect(consistencyRule.check(context([stray]))).toEqual([
      expect.objectContaining({ messageId: "stray-unknown-type", message: expect.stringMatching(/\(did you mean visit\?\).*name the file 2026-11-05-visit\.md$/) }),
    ]);
  });

  it("notes without a known type stay ignored", () => {
    const notes = [misnamed("notes.md", "# Notes\n"), misnamed("todo.md", "---\ntype: note\n---\n"), misnamed("letter.md", "---\ntitle: Letter\n---\n")];
    expect(consistencyRule.check(context(notes))).toEqual([]);
  });
});

describe("a finding on the profile says when no deadline of the child can be computed", () => {
  const policy = resolvePolicy(DEFAULT_CONFIG, [...types.keys()]);
  const findingsOn = (profileText: string, rule: CheckRule) => {
    const profile = document("children/AB-1/child.md", profileText);
    const theChild = { ...child([]), profile };
    const { exclusions } = childTimeline(theChild, timelineContext(types, policy, [], "2026-03-02"));
    return rule.check({ child: theChild, types, asOf: "2026-03-02", timeline: [], exclusions }).map((f) => [f.line, f.message]);
  };
  const profileText = (fields: string) =>
    `---\ntype: child\nid: AB-1\nname: Sam Example\n${fields}\nlegal_status: care-order\niro:\n  name: Pat Lee\nsocial_worker:\n  name: Jo Khan\nplacements: []\n---\n`;

  it("an en dash in the date of birth: the schema finding says it, and that the child has no deadlines", () => {
    expect(findingsOn(profileText("dob: 2016–04–12\nlooked_after_since: 2026-01-05"), schemaRule)).toEqual([
      [5, "`dob` has a dash that is not a hyphen (an en dash or a long dash, as a word processor puts in): write it as a real date YYYY-MM-DD with plain hyphens, for example 2026-01-05; until this is put right, no deadline of this child can be computed"],
    ]);
  });

  it("a missing looked_after_since", () => {
    expect(findingsOn(profileText("dob: 2016-04-12"), schemaRule)).toEqual([
      [1, "`looked_after_since` is missing: add it as a real date written YYYY-MM-DD, for example 2026-01-05; until this is put right, no deadline of this child can be computed"],
    ]);
  });

  it("a field the timeline does not read says nothing more", () => {
    expect(findingsOn(profileText("dob: 2016-04-12\nlooked_after_since: 2026-01-05").replace("legal_status: care-order", "legal_status: custody"), schemaRule)).toEqual([
      [7, "`legal_status` must be one of: interim-care-order, care-order, placement-order, section-20, short-breaks, police-protection, emergency-protection-order, child-assessment-order, remand"],
    ]);
  });
});
