// An authority's own forms, over real template folders under fixtures/own-forms/: replacing,
// extending and adding types; versions by date; `careplan templates`; and every refusal named
// by file, key and line.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import jsYaml from "js-yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { normaliseText, splitFrontMatter } from "../../src/casefile/frontmatter.js";
import { scanSections } from "../../src/casefile/sections.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const OWN = join(PACKAGE_ROOT, "fixtures/own-forms");
const AUTHORITY = join(OWN, "authority");
const BROKEN = join(OWN, "broken");
const RESHAPED = join(OWN, "reshaped");
const CHILD = "children/MP-2001";

const config = (repo: string) => ["--config", join(repo, "careplan.yaml")];

function frontMatter(text: string): Record<string, unknown> {
  return jsYaml.load(splitFrontMatter(normaliseText(text)).yaml!, { schema: jsYaml.CORE_SCHEMA }) as Record<string, unknown>;
}

function headings(text: string): string[] {
  const split = splitFrontMatter(normaliseText(text));
  return scanSections(split.body, split.bodyFirstLine).map((s) => s.heading);
}

let folder: { path: string; remove: () => void };
beforeEach(() => {
  folder = temporaryFolder();
});
afterEach(() => folder.remove());

/** A copy of a fixture repository to change. */
function copy(repo: string): string {
  const target = join(folder.path, "repo");
  cpSync(repo, target, { recursive: true });
  return target;
}

describe("careplan templates check", () => {
  // [file, line, key (or ""), words the message holds]: each problem named where it is.
  const EXPECTED: [string, number, string, string][] = [
    ["templates/Care Plan.md", 1, "", "is not named as a template"],
    ["templates/assessment.md", 3, "feilds", "is not a key a template has here. The keys are: title, description, since, extends, fields, sections."],
    ["templates/pep.md", 4, "", "(in the template's declaration)."],
    ["templates/pathway-plan.v2.md", 1, "", "a second version of pathway-plan without `since`"],
    ["templates/visit-log.md", 1, "", `would re-type existing files: "…-visit-log.md" is now a visit with the slug "log"`],
    ["templates/placement.md", 1, "", `collides with placement-plan: "…-placement-plan.md" stays a placement-plan`],
    ["templates/care-plan.md", 4, "fields.family_time", "is a new field of care-plan, so it must be optional"],
    ["templates/care-planning-meeting.md", 4, "fields.constructor", "is not a field name a template can use"],
    ["templates/care-planning-meeting.md", 7, "sections.remove.0", `names "Care team meeting", which is not a section of care-planning-meeting`],
    ["templates/care-planning-meeting.md", 9, "sections.rename.__proto__", "is not a section of care-planning-meeting"],
    ["templates/foo.md", 2, "extends", "names the template's own type, which careplan does not ship"],
    ["templates/health-assessment.md", 2, "extends", `names "health-assesment", which is not a document type`],
    ["templates/memory-box.md", 2, "extends", "makes a circle: life-story extends memory-box"],
    ["templates/missing-episode.md", 4, "fields.__proto__", "is not a field name a template can use"],
    ["templates/missing-episode.md", 7, "", "a template's body may only show values"],
    ["templates/missing-episode.md", 10, "", "blocks ({{#...}}), partials ({{> ...}}) and decorators are not allowed"],
    ["templates/missing-episode.md", 13, "", "helpers and other names are not"],
    ["templates/missing-episode.md", 13, "", "blocks ({{#...}}), partials ({{> ...}}) and decorators are not allowed"],
    ["templates/return-interview.md", 6, "fields.took_part.default", "is not a value of the field's form"],
    ["templates/review.md", 3, "fields", "drops `record_circulated`, which the timescales read"],
    ["templates/review.md", 3, "fields", "drops `actions`, which the timescales read"],
    ["templates/review.md", 4, "fields.next_review", "is date in the built-in review"],
    ["templates/visit.md", 3, "fields", "drops `seen_alone`, which every visit must have"],
    ["templates/visit.md", 3, "fields", "drops `unannounced`, which the timescales read"],
  ];

  it("names the file, line and key of every problem, and exits 2 without a stack trace", async () => {
    const run = await runCli(["templates", "check", ...config(BROKEN)], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines.pop()).toBe(`${EXPECTED.length} problems in your templates: nothing is checked or written with them until they are fixed.`);
    expect(lines).toHaveLength(EXPECTED.length);
    for (const [file, line, key, words] of EXPECTED) {
      const start = `${file}:${line}: ${key ? `\`${key}\` ` : ""}`;
      expect(lines.some((l) => l.startsWith(start) && l.includes(words)), `${start}… ${words}`).toBe(true);
    }
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it("leaves no trace of a template's __proto__ and constructor keys on JavaScript's objects", async () => {
    await runCli(["templates", "check", ...config(BROKEN)], { cwd: PACKAGE_ROOT });
    expect(({} as Record<string, unknown>).type).toBeUndefined();
    expect(({} as Record<string, unknown>).Polluted).toBeUndefined();
  });

  it.each([["check"], ["timeline"], ["new", "visit", "--child", "AB-1", "--dry-run"], ["templates", "list"]])("%s refuses to run with broken templates: exit 2, the same problems", async (...args) => {
    const run = await runCli([...args, ...config(BROKEN)], { cwd: BROKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^careplan: your own templates have problems, so nothing was done: fix them first \(careplan templates check lists them\)\.\n {2}templates\//);
    expect(run.stderr).toContain("templates/visit.md:3: `fields` drops `seen_alone`, which every visit must have");
  });

  it("reports a replacement and an extension as such, not as collisions", async () => {
    const run = await runCli(["templates", "check", ...config(RESHAPED)], { cwd: PACKAGE_ROOT });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(
      ["templates/review.md: review, extends the built-in review.", "templates/visit.md: visit, replaces the built-in visit.", "2 local forms, no problems.", ""].join("\n"),
    );
  });

  it("lists the authority's forms and their versions", async () => {
    const run = await runCli(["templates", "check", ...config(AUTHORITY)], { cwd: PACKAGE_ROOT });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("templates/care-plan.md, templates/care-plan.2026-04-01.md: care-plan, extends the built-in care-plan.\n");
    expect(run.stdout).toContain("templates/missing-episode.md: missing-episode, a new type.\n");
  });

  it("says so when careplan.yaml names no templates folder", async () => {
    const run = await runCli(["templates", "check"], { cwd: join(PACKAGE_ROOT, "fixtures/check/clean") });
    expect(run).toMatchObject({ code: 0, stdout: "careplan.yaml names no folder of your own templates (`templates:`): the built-in forms are in use.\n" });
  });

  it.each([
    ["templates: nowhere\n", "`templates` names nowhere, which is not a folder in the repository"],
    ["templates: ../elsewhere\n", "`templates` must be the name of a folder inside the repository"],
    ["templates: /etc\n", "`templates` must be the name of a folder inside the repository"],
    ["templates: [a, b]\n", "`templates` must be the name of a folder inside the repository"],
  ])("a templates key of %j is a configuration error", async (yaml, words) => {
    const repo = copy(RESHAPED);
    writeFileSync(join(repo, "careplan.yaml"), yaml);
    const run = await runCli(["templates", "check"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(words);
  });

  it("notes that a first version's since is open", async () => {
    const repo = copy(AUTHORITY);
    rmSync(join(repo, "templates/care-plan.md"));
    const run = await runCli(["templates", "check"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("templates/care-plan.2026-04-01.md: the first version of care-plan is in force before its `since` (2026-04-01) too");
  });

  it.each([
    ["a field the timescales read of a new type, left undeclared", "rules:\n  return-interview: { kind: deadline, title: Return interview, from: { document: missing-episode }, interval: 3, unit: days, met_by: { type: return-interview, where: { took_part: true, recorded: true } } }\n", "templates/return-interview.md:6: `fields` does not declare `recorded`, which a rule in careplan.yaml reads of return-interview"],
    ["two versions on one day", "", "templates/care-plan.2026-04-01b.md:4: `since` is the same day as templates/care-plan.2026-04-01.md"],
  ])("%s", async (_, rules, expected) => {
    const repo = copy(AUTHORITY);
    if (rules) writeFileSync(join(repo, "careplan.yaml"), `policy: england\ntemplates: templates\n${rules}`);
    else cpSync(join(repo, "templates/care-plan.2026-04-01.md"), join(repo, "templates/care-plan.2026-04-01b.md"));
    const run = await runCli(["templates", "check"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(expected);
  });
});

describe("the authority's forms at work (fixtures/own-forms/authority)", () => {
  it("check finds the one overdue return interview, through a local rule between two local types", async () => {
    const run = await runCli(["check", AUTHORITY, "--as-of", "2026-05-11", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { findings: Record<string, unknown>[]; summary: Record<string, number> };
    expect(output.findings).toEqual([
      {
        file: `${CHILD}/2026-05-06-missing-episode.md`,
        line: 1,
        column: 1,
        rule: "timescale/return-interview",
        severity: "error",
        message: "Return interview after a missing episode was due on 2026-05-09, 3 days after the missing episode on 2026-05-06: overdue by 2 days",
      },
    ]);
    expect(output.summary).toMatchObject({ files: 12, errors: 1, warnings: 0 });
  });

  it("timeline counts the return interview from each missing episode: met, then overdue", async () => {
    const run = await runCli(["timeline", AUTHORITY, "--as-of", "2026-05-11", "--format", "json", "--all"], { cwd: PACKAGE_ROOT });
    const items = (JSON.parse(run.stdout) as { items: Record<string, unknown>[] }).items.filter((i) => i.rule === "return-interview");
    expect(items.map(({ due, status, met, file, preset }) => ({ due, status, met, file, preset }))).toEqual([
      { due: "2026-04-23", status: "met", met: "2026-04-22", file: `${CHILD}/2026-04-20-missing-episode.md`, preset: "local" },
      { due: "2026-05-09", status: "overdue", met: null, file: `${CHILD}/2026-05-06-missing-episode.md`, preset: "local" },
    ]);
  });

  it("stats counts the local rule's items as timeline --all does", async () => {
    const run = await runCli(["stats", AUTHORITY, "--from", "2026-03-01", "--to", "2026-05-11", "--rule", "return-interview", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { total: Record<string, unknown> }).total).toMatchObject({ due: 2, on_time: 1, late: 0, overdue: 1, open: 0 });
  });

  it("checks each care plan against the version of its form in force on its date", async () => {
    const repo = copy(AUTHORITY);
    // Take the Family time plan out of the April plan too: the March plan never had one.
    const april = join(repo, CHILD, "2026-04-14-care-plan.md");
    writeFileSync(april, readFileSync(april, "utf8").replace(/## Family time plan\n[^#]*/, ""));
    expect(headings(readFileSync(join(repo, CHILD, "2026-03-13-care-plan.md"), "utf8"))).not.toContain("Family time plan");
    const run = await runCli(["check", repo, "--as-of", "2026-05-11", "--format", "json"], { cwd: repo });
    const findings = (JSON.parse(run.stdout) as { findings: Record<string, unknown>[] }).findings.filter((f) => f.rule === "section-missing");
    expect(findings.map(({ file, message }) => [file, message])).toEqual([
      [`${CHILD}/2026-04-14-care-plan.md`, 'the section "## Family time plan" is missing: add it (careplan new shows the template)'],
    ]);
  });

  it.each([
    ["2026-03-31", false],
    ["2026-04-01", true],
  ])("new care-plan dated %s uses the form in force that day (Family time plan: %s)", async (date, added) => {
    const run = await runCli(["new", "care-plan", "--child", "MP-2001", "--date", date, "--dry-run"], { cwd: AUTHORITY });
    expect(run.code).toBe(0);
    expect(headings(run.stdout).includes("Family time plan")).toBe(added);
    if (added) expect(run.stdout).toContain("## Family and social relationships\n<!-- Arrangements for time with family");
  });

  it("new scaffolds a local type, pre-filled from the profile, with its defaults", async () => {
    const run = await runCli(["new", "missing-episode", "--child", "MP-2001", "--date", "2026-05-20", "--set", "went_missing=2026-05-19", "--dry-run"], { cwd: AUTHORITY });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(frontMatter(run.stdout)).toEqual({ type: "missing-episode", child: "MP-2001", date: "2026-05-20", name: "Mia Example", went_missing: "2026-05-19", police_told: false });
    expect(run.stdout).toContain("# Missing episode: Mia Example, back on 2026-05-20\n");
    expect(headings(run.stdout)).toEqual(["What happened", "Who was told", "Risks", "Police involvement"]);
  });

  it("a local type's required field is asked for like any other", async () => {
    const run = await runCli(["new", "return-interview", "--child", "MP-2001", "--date", "2026-05-20"], { cwd: AUTHORITY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--set took_part=true|false");
  });

  it("--set values cannot change the structure of a local form's document", async () => {
    const hostile = "x\n---\n## Injected\n{{child.name}}";
    const run = await runCli(["new", "return-interview", "--child", "MP-2001", "--date", "2026-05-20", "--set", "took_part=true", "--set", `interviewer=${hostile}`, "--dry-run"], { cwd: AUTHORITY });
    expect(run.code).toBe(0);
    expect(frontMatter(run.stdout).interviewer).toBe(hostile);
    expect(headings(run.stdout)).toEqual(["Why the child went missing", "While they were away", "What would help"]);
  });

  it("a template's own values cannot change the structure of the document new writes", async () => {
    const repo = copy(AUTHORITY);
    const file = join(repo, "templates/return-interview.md");
    const hostile = "x\n---\n## Injected\n{{child.name}}";
    writeFileSync(file, readFileSync(file, "utf8").replace("fields:\n", `fields:\n  note:\n    type: string\n    default: ${JSON.stringify(hostile)}\n`));
    const run = await runCli(["new", "return-interview", "--child", "MP-2001", "--date", "2026-05-20", "--set", "took_part=true", "--dry-run"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(frontMatter(run.stdout).note).toBe(hostile);
    expect(headings(run.stdout)).toEqual(["Why the child went missing", "While they were away", "What would help"]);
    writeFileSync(file, readFileSync(file, "utf8").replace("title: Return interview", 'title: "Return\\n## Injected"'));
    const refused = await runCli(["new", "return-interview", "--child", "MP-2001", "--set", "took_part=true", "--dry-run"], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("templates/return-interview.md:2: `title` must be one line.");
  });

  it("sections named like JavaScript's own properties are sections like any other", async () => {
    const repo = copy(AUTHORITY);
    const file = join(repo, "templates/return-interview.md");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n## constructor\n<!-- c -->\n\n## __proto__\n\n## hasOwnProperty\n`);
    const scaffold = await runCli(["new", "return-interview", "--child", "MP-2001", "--date", "2026-05-20", "--set", "took_part=true", "--dry-run"], { cwd: repo });
    expect(headings(scaffold.stdout).slice(-3)).toEqual(["constructor", "proto", "hasOwnProperty"]);
    const run = await runCli(["check", repo, "--as-of", "2026-05-11", "--format", "json"], { cwd: repo });
    const missing = (JSON.parse(run.stdout) as { findings: { file: string; rule: string; message: string }[] }).findings.filter((f) => f.rule === "section-missing");
    expect(missing.map((f) => [f.file, f.message.split(":")[0]])).toEqual([
      [`${CHILD}/2026-04-22-return-interview.md`, 'the section "## constructor" is missing'],
      [`${CHILD}/2026-04-22-return-interview.md`, 'the section "## hasOwnProperty" is missing'],
      [`${CHILD}/2026-04-22-return-interview.md`, 'the section "## proto" is missing'],
    ]);
    expect(({} as Record<string, unknown>).c).toBeUndefined();
  });

  it("without its templates folder the local documents are of no known type", async () => {
    const repo = copy(AUTHORITY);
    writeFileSync(join(repo, "careplan.yaml"), "policy: england\n");
    const run = await runCli(["check", repo, "--as-of", "2026-05-11", "--format", "json"], { cwd: repo });
    const files = (JSON.parse(run.stdout) as { findings: { file: string; rule: string }[] }).findings.filter((f) => f.rule === "consistency").map((f) => f.file);
    expect(files).toEqual(expect.arrayContaining([`${CHILD}/2026-04-20-missing-episode.md`, `${CHILD}/2026-04-22-return-interview.md`]));
  });
});

describe("a replacement and an extension (fixtures/own-forms/reshaped)", () => {
  it("checks the replaced visit by its own sections and the extended review by its changed ones", async () => {
    const run = await runCli(["check", RESHAPED, "--as-of", "2026-03-01", "--format", "json"], { cwd: PACKAGE_ROOT });
    const findings = (JSON.parse(run.stdout) as { findings: Record<string, unknown>[] }).findings;
    expect(findings.map(({ file, rule, message }) => [file, rule, message])).toEqual([
      ["children/RS-0001/2026-02-10-review.md", "section-missing", 'the section "## Advocacy" is missing: add it (careplan new shows the template)'],
    ]);
  });

  it("scaffolds the extended review: renamed, removed, added and optional sections in the base's order", async () => {
    const run = await runCli(["new", "review", "--child", "RS-0001", "--date", "2026-03-01", "--dry-run"], { cwd: RESHAPED });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("# Review: Val Example, 2026-03-01\n");
    expect(headings(run.stdout)).toEqual(["Who took part", "The child's views", "Advocacy", "Progress since the last review", "The care plan", "Decisions", "Recommendations", "Starred recommendations"]);
    expect(run.stdout).toContain("## Advocacy\n<!-- Whether the child had an advocate, and who. -->\n\n## Progress since the last review\n");
  });

  it("shows the changed form", async () => {
    const run = await runCli(["templates", "show", "review"], { cwd: RESHAPED, today: "2026-03-01" });
    // The built-in review has a second version from 2027-04-01: the extension follows it.
    expect(run.stdout).toMatch(/^review: Child in care review\nFrom: local, extends the built-in review \(templates\/review\.md\)\nVersion in force on 2026-03-01: the first \(versions: first, since 2027-04-01\)\n/);
    expect(run.stdout).toContain("\n  Decisions (optional)\n");
    expect(run.stdout).not.toContain("Next review\n");
  });
});

describe("careplan templates list, show and schema", () => {
  it("lists built-in and local forms, where each comes from and its versions", async () => {
    const run = await runCli(["templates", "list"], { cwd: AUTHORITY });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^TYPE +TITLE +FROM +VERSIONS$/);
    expect(lines.find((l) => l.startsWith("care-plan "))).toMatch(/^care-plan +Care plan +local, extends the built-in care-plan +first, since 2026-04-01, since 2027-04-01$/);
    expect(lines).toContain(`${" ".repeat(lines[0]!.indexOf("TITLE"))}templates/care-plan.md, templates/care-plan.2026-04-01.md`);
    expect(lines.find((l) => l.startsWith("return-interview "))).toMatch(/^return-interview +Return interview +local, a new type +one$/);
    expect(lines.find((l) => l.startsWith("visit "))).toMatch(/^visit +Statutory visit +built-in +one$/);
  });

  it("lists the built-in forms alone outside a repository", async () => {
    const run = await runCli(["templates", "list"], { cwd: folder.path });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(11);
    expect(run.stdout).not.toContain("local");
  });

  it.each([
    ["2026-03-31", "Version in force on 2026-03-31: the first (versions: first, since 2026-04-01, since 2027-04-01)", false, false],
    ["2026-04-01", "Version in force on 2026-04-01: since 2026-04-01 (versions: first, since 2026-04-01, since 2027-04-01)", true, false],
    // careplan's own care plan changes on 2027-04-01: the authority's extension follows it.
    ["2027-04-01", "Version in force on 2027-04-01: since 2027-04-01 (versions: first, since 2026-04-01, since 2027-04-01)", true, true],
  ])("show care-plan --date %s", async (date, version, added, revised) => {
    const run = await runCli(["templates", "show", "care-plan", "--date", date], { cwd: AUTHORITY });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`\n${version}\n`);
    expect(run.stdout.includes("\n  Communication needs\n")).toBe(revised);
    expect(run.stdout.includes("\n  Care team meetings\n")).toBe(!revised);
    expect(run.stdout.includes("\n  Family time plan\n      Who the child sees in their family and how often, where, who supervises, how the child travels there, and what the child wants.\n")).toBe(added);
    expect(run.stdout.includes("  family_time_reviewed  ")).toBe(added);
  });

  it("prints a local type's schema, which validates the documents written with it", async () => {
    const run = await runCli(["templates", "schema", "return-interview"], { cwd: AUTHORITY });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const schema = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(schema).toMatchObject({ $id: "urn:careplan:schema:return-interview", title: "Return interview", required: ["type", "child", "date", "took_part"] });
    expect(schema["x-careplan"]).toEqual({
      type: "return-interview",
      title: "Return interview",
      template: "templates/return-interview.md",
      sections: { required: ["Why the child went missing", "While they were away", "What would help"], optional: [] },
    });
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(frontMatter(readFileSync(join(AUTHORITY, CHILD, "2026-04-22-return-interview.md"), "utf8")))).toBe(true);
    expect(validate({ type: "return-interview", child: "MP-2001", date: "2026-04-22" })).toBe(false);
  });

  it("prints the version of a form in force on --date", async () => {
    const schemaOn = async (date: string) => JSON.parse((await runCli(["templates", "schema", "care-plan", "--date", date], { cwd: AUTHORITY })).stdout) as { $id: string; properties: object; "x-careplan": { sections: { required: string[] } } };
    const [before, after] = [await schemaOn("2026-03-31"), await schemaOn("2026-04-01")];
    expect([before.$id, after.$id]).toEqual(["urn:careplan:schema:care-plan", "urn:careplan:schema:care-plan:since:2026-04-01"]);
    expect(Object.keys(after.properties)).toContain("family_time_reviewed");
    expect(Object.keys(before.properties)).not.toContain("family_time_reviewed");
    expect(after["x-careplan"].sections.required).toContain("Family time plan");
  });

  it.each([
    [["templates", "show", "care-plans"], 'unknown document type "care-plans"'],
    [["templates", "schema", "visit", "--date", "2026-02-30"], "--date must be a real date"],
  ])("%j is a usage error", async (args, words) => {
    const run = await runCli(args, { cwd: AUTHORITY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(words);
  });
});
