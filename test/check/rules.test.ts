// Each check rule against valid and invalid cases, asserting rule, line and column, as
// ESLint's RuleTester does. Each case is a small repository written to a temporary folder.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { PROFILE } from "./repository.js";

const AS_OF = "2026-03-02";

/** A visit with every section written: valid unless a case changes it. */
function visit(frontMatter = "seen_alone: true", body = VISIT_BODY): string {
  return `---\ntype: visit\nchild: AB-1\ndate: 2026-02-20\n${frontMatter}\n---\n${body}`;
}
const VISIT_BODY = ["# Visit", "", "## Purpose of the visit", "Text.", "", "## Seen alone", "Text.", "", "## Wishes and feelings", "Text.", "", "## Home and bedroom", "Text.", "", "## Carer's views", "Text.", "", "## Next steps", "Text.", ""].join("\n");
const VISIT = "children/AB-1/2026-02-20-visit.md";

const folders: (() => void)[] = [];
afterAll(() => folders.forEach((remove) => remove()));

/** Writes the files (the profile is added unless given) and returns the findings as [file, line, column, rule]. */
async function findings(files: Record<string, string>, options: { timescales?: boolean } = {}): Promise<[string, number, number, string][]> {
  const folder = temporaryFolder();
  folders.push(folder.remove);
  const all = { "children/AB-1/child.md": PROFILE, ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(folder.path, path)), { recursive: true });
    writeFileSync(join(folder.path, path), text);
  }
  mkdirSync(join(folder.path, "children"), { recursive: true });
  const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: folder.path });
  expect(run.code, run.stderr).not.toBe(2);
  const output = JSON.parse(run.stdout) as { findings: { file: string; line: number; column: number; rule: string }[] };
  return output.findings.filter((f) => !f.rule.startsWith("timescale/") || options.timescales).map((f) => [f.file, f.line, f.column, f.rule]);
}

// Overdue timescales are left out of these tables (their own table is below): the profile alone
// has some, which would only add noise.
describe("valid documents have no findings", () => {
  it("a profile and a complete visit", async () => {
    expect(await findings({ [VISIT]: visit() })).toEqual([]);
  });
});

describe("yaml", () => {
  it.each([
    ["bad indentation", visit("seen_alone: true\n  unannounced: false"), 5],
    ["a duplicate key", visit("seen_alone: true\nseen_alone: false"), 6],
    ["an unclosed quote", visit('seen_alone: "true'), 5],
    ["a tab for indentation", visit("iro:\n\tname: x"), 6],
  ])("%s", async (_, text, line) => {
    const [finding, ...rest] = await findings({ [VISIT]: text });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject([VISIT, expect.any(Number), expect.any(Number), "yaml"]);
    expect(finding![1]).toBeGreaterThanOrEqual(line - 1);
    expect(finding![1]).toBeLessThanOrEqual(line + 1);
  });

  it.each([
    ["no front matter", "# Visit\n"],
    ["unterminated front matter", "---\ntype: visit\n"],
    ["front matter that is a list", "---\n- a\n- b\n---\n"],
  ])("%s is a yaml finding at 1:1 or its first line", async (_, text) => {
    const result = await findings({ [VISIT]: text });
    expect(result.filter((f) => f[3] === "yaml")).toHaveLength(1);
    expect(result.find((f) => f[3] === "yaml")![1]).toBeLessThanOrEqual(2);
  });

  it("a front matter never closed is one finding, not one plus every section missing", async () => {
    expect(await findings({ [VISIT]: visit().replace("seen_alone: true\n---\n", "seen_alone: true\n") })).toEqual([[VISIT, 1, 1, "yaml"]]);
  });

  it("counts lines in the file as written, with CRLF and a BOM", async () => {
    const text = "\uFEFF" + visit("seen_alone: true\nseen_alone: false").replace(/\n/g, "\r\n");
    expect((await findings({ [VISIT]: text })).map((f) => [f[1], f[3]])).toEqual([[6, "yaml"]]);
  });
});

describe("schema", () => {
  it.each([
    ["a missing field is at 1:1", visit("unannounced: false"), [[VISIT, 1, 1, "schema"]]],
    ["an impossible date at its key", visit("seen_alone: true").replace("date: 2026-02-20", "date: 2026-02-30"), [[VISIT, 4, 1, "schema"]]],
    ["yes is not a boolean", visit("seen_alone: yes"), [[VISIT, 5, 1, "schema"]]],
    ["a quoted false is not a boolean", visit('seen_alone: "false"'), [[VISIT, 5, 1, "schema"]]],
    ["a waiver without a reason", visit("seen_alone: true\nwaivers:\n  - rule: section-empty"), [[VISIT, 1, 1, "schema"]]],
  ])("%s", async (_, text, expected) => {
    expect(await findings({ [VISIT]: text })).toEqual(expected);
  });

  it.each([
    ["an unknown legal status", PROFILE.replace("legal_status: care-order", "legal_status: custody"), 7, 1],
    ["a nested date", PROFILE.replace("  - start: 2026-01-05", "  - start: 5 Jan 2026"), 13, 5],
    ["a placement type", PROFILE.replace("    type: foster-care", "    type: fostering"), 14, 5],
    ["the IRO as text, not a group", PROFILE.replace("iro:\n  name: Pat Lee", "iro: Pat Lee"), 8, 1],
  ])("in the profile: %s at %i:%i", async (_, profile, line, column) => {
    const result = await findings({ "children/AB-1/child.md": profile });
    expect(result).toContainEqual(["children/AB-1/child.md", line, column, "schema"]);
  });
});

describe("section-missing and section-empty", () => {
  it.each([
    ["a missing section at 1:1", VISIT_BODY.replace("## Next steps\nText.\n", ""), [[VISIT, 1, 1, "section-missing"]]],
    ["an empty section at its heading", VISIT_BODY.replace("## Next steps\nText.", "## Next steps\n   \n"), [[VISIT, 24, 1, "section-empty"]]],
    ["comments only are empty", VISIT_BODY.replace("## Next steps\nText.", "## Next steps\n<!-- guidance\nover lines -->"), [[VISIT, 24, 1, "section-empty"]]],
    ["a heading in a code fence is no section", VISIT_BODY.replace("## Next steps\nText.", "```\n## Next steps\n```"), [[VISIT, 1, 1, "section-missing"]]],
    ["case and spacing of a heading do not matter", VISIT_BODY.replace("## Next steps", "##   next   STEPS  ##"), []],
    ["a setext heading counts", VISIT_BODY.replace("## Next steps", "Next steps\n----------"), []],
  ])("%s", async (_, body, expected) => {
    expect(await findings({ [VISIT]: visit("seen_alone: true", body) })).toEqual(expected);
  });
});

describe("consistency", () => {
  const cases: [string, Record<string, string>, [string, number, number, string][]][] = [
    ["child is not the folder", { [VISIT]: visit().replace("child: AB-1", "child: AB-2") }, [[VISIT, 3, 1, "consistency"]]],
    ["date differs from the file name", { "children/AB-1/2026-02-21-visit.md": visit() }, [["children/AB-1/2026-02-21-visit.md", 4, 1, "consistency"]]],
    ["type differs from the file name", { "children/AB-1/2026-02-20-pep.md": visit() }, [["children/AB-1/2026-02-20-pep.md", 2, 1, "consistency"]]],
    ["an unknown type", { [VISIT]: visit().replace("type: visit", "type: vist") }, [[VISIT, 2, 1, "consistency"]]],
    ["a document named with an unknown type", { "children/AB-1/2026-02-20-vist.md": visit() }, [["children/AB-1/2026-02-20-vist.md", 1, 1, "consistency"]]],
    ["a document named with an impossible date", { "children/AB-1/2026-02-30-visit.md": visit() }, [["children/AB-1/2026-02-30-visit.md", 1, 1, "consistency"]]],
    ["a document dated after the as-of date", { "children/AB-1/2026-03-05-visit.md": visit().replace("2026-02-20", "2026-03-05") }, [["children/AB-1/2026-03-05-visit.md", 4, 1, "consistency"]]],
    ["a child folder without child.md", { "children/CD-2/2026-02-20-visit.md": visit().replace("AB-1", "CD-2") }, [["children/CD-2/child.md", 1, 1, "consistency"]]],
    ["born after care began", { "children/AB-1/child.md": PROFILE.replace("dob: 2016-04-12", "dob: 2026-04-12") }, [["children/AB-1/child.md", 5, 1, "consistency"]]],
    ["left care before it began", { "children/AB-1/child.md": PROFILE.replace("legal_status", "left_care: 2025-12-01\nlegal_status") }, [["children/AB-1/child.md", 7, 1, "consistency"]]],
    [
      "placements that overlap",
      { "children/AB-1/child.md": PROFILE.replace("    type: foster-care\n", "    type: foster-care\n    end: 2026-02-10\n  - start: 2026-02-01\n    type: childrens-home\n") },
      [["children/AB-1/child.md", 16, 5, "consistency"]],
    ],
    [
      "placements out of order",
      { "children/AB-1/child.md": PROFILE.replace("    type: foster-care\n", "    type: foster-care\n  - start: 2026-01-06\n    type: childrens-home\n").replace("  - start: 2026-01-05", "  - start: 2026-01-07") },
      [["children/AB-1/child.md", 15, 5, "consistency"]],
    ],
    [
      "an earlier placement without an end",
      { "children/AB-1/child.md": PROFILE.replace("  - start: 2026-01-05\n    type: foster-care\n", "  - start: 2025-06-01\n    type: foster-care\n  - start: 2026-01-05\n    type: foster-care\n") },
      [["children/AB-1/child.md", 13, 5, "consistency"], ["children/AB-1/child.md", 15, 5, "consistency"]],
    ],
    [
      "a placement plan for no placement",
      { "children/AB-1/2026-01-08-placement-plan.md": "---\ntype: placement-plan\nchild: AB-1\ndate: 2026-01-08\nplacement_start: 2026-01-06\n---\n" },
      [["children/AB-1/2026-01-08-placement-plan.md", 5, 1, "consistency"]],
    ],
    ["a copy of the name that differs from the profile", { [VISIT]: visit("seen_alone: true\nname: Someone Else") }, [[VISIT, 6, 1, "consistency"]]],
    ["a type written with a capital in the name", { "children/AB-1/2026-02-20-Visit-b.md": visit() }, [["children/AB-1/2026-02-20-Visit-b.md", 1, 1, "consistency"]]],
    ["a document saved as .markdown", { "children/AB-1/2026-02-20-visit.markdown": visit() }, [["children/AB-1/2026-02-20-visit.markdown", 1, 1, "consistency"]]],
    ["a misspelt type in a file named as no document", { "children/AB-1/visit.md": visit().replace("type: visit", "type: vist") }, [["children/AB-1/visit.md", 1, 1, "consistency"]]],
    ["a note of the authority's own kind", { "children/AB-1/notes.md": "---\ntype: note\n---\n" }, []],
  ];
  it.each(cases)("%s", async (_, files, expected) => {
    const result = (await findings(files)).filter((f) => f[3] === "consistency" || expected.length === 0);
    expect(result).toEqual(expected);
  });

  // One slip in the profile is one finding (schema's), not one more on every document that copies it right.
  it.each([
    ["a date of birth written day first", { "children/AB-1/child.md": PROFILE.replace("dob: 2016-04-12", "dob: 12/04/2016"), [VISIT]: visit("seen_alone: true\ndob: 2016-04-12") }],
    [
      "a placement start written day first",
      { "children/AB-1/child.md": PROFILE.replace("  - start: 2026-01-05", "  - start: 5/1/2026"), "children/AB-1/2026-01-08-placement-plan.md": "---\ntype: placement-plan\nchild: AB-1\ndate: 2026-01-08\nplacement_start: 2026-01-05\n---\n" },
    ],
  ])("%s: the schema finding on the profile, and no consistency finding", async (_, files) => {
    const result = await findings(files);
    expect(result).toContainEqual(["children/AB-1/child.md", expect.any(Number), expect.any(Number), "schema"]);
    expect(result.filter((f) => f[3] === "consistency")).toEqual([]);
  });

  it("a folder whose name is not a child id", async () => {
    const result = await findings({ "children/bad id/child.md": PROFILE.replace("id: AB-1", "id: AB-3") });
    expect(result).toContainEqual(["children/bad id", 1, 1, "consistency"]);
  });
});

describe("read", () => {
  it.each([
    ["not UTF-8", Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a])],
    ["larger than 1 MiB", Buffer.from("---\ntype: visit\n---\n" + "x".repeat(1024 * 1024 + 1))],
  ])("a file that is %s, and the run goes on", async (_, bytes) => {
    const folder = temporaryFolder();
    folders.push(folder.remove);
    mkdirSync(join(folder.path, "children/AB-1"), { recursive: true });
    writeFileSync(join(folder.path, "children/AB-1/child.md"), PROFILE);
    writeFileSync(join(folder.path, "children/AB-1/2026-02-19-visit.md"), bytes);
    writeFileSync(join(folder.path, "children/AB-1/2026-02-20-visit.md"), visit("seen_alone: maybe"));
    const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: folder.path });
    const rules = (JSON.parse(run.stdout) as { findings: { file: string; rule: string; line: number }[] }).findings.filter((f) => !f.rule.startsWith("timescale/"));
    expect(rules).toEqual([
      expect.objectContaining({ file: "children/AB-1/2026-02-19-visit.md", rule: "read", line: 1 }),
      expect.objectContaining({ file: "children/AB-1/2026-02-20-visit.md", rule: "schema" }),
    ]);
  });

  it("a link leading out of the repository", async () => {
    const folder = temporaryFolder();
    folders.push(folder.remove);
    mkdirSync(join(folder.path, "repo/children/AB-1"), { recursive: true });
    writeFileSync(join(folder.path, "repo/children/AB-1/child.md"), PROFILE);
    writeFileSync(join(folder.path, "outside.md"), visit());
    symlinkSync(join(folder.path, "outside.md"), join(folder.path, "repo/children/AB-1/2026-02-20-visit.md"));
    const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: join(folder.path, "repo") });
    expect((JSON.parse(run.stdout) as { findings: { rule: string; file: string }[] }).findings).toContainEqual(expect.objectContaining({ file: VISIT, rule: "read" }));
  });

  it.skipIf(process.getuid?.() === 0)("a file without read permission", async () => {
    const folder = temporaryFolder();
    folders.push(folder.remove);
    mkdirSync(join(folder.path, "children/AB-1"), { recursive: true });
    writeFileSync(join(folder.path, "children/AB-1/child.md"), PROFILE);
    writeFileSync(join(folder.path, VISIT), visit());
    chmodSync(join(folder.path, VISIT), 0o000);
    const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: folder.path });
    expect((JSON.parse(run.stdout) as { findings: { rule: string; file: string }[] }).findings).toContainEqual(expect.objectContaining({ file: VISIT, rule: "read" }));
  });
});

describe("timescale", () => {
  it("an overdue deadline is at 1:1 of the document it counts from; an action at its own item", async () => {
    const plan = [
      "---",
      "type: care-plan",
      "child: AB-1",
      "date: 2026-01-12",
      "permanence_plan: not-yet-agreed",
      "actions:",
      "  - action: Book a dental check",
      "    who: Carer",
      "    when: 2026-02-01",
      "---",
      "",
    ].join("\n");
    const result = await findings({ "children/AB-1/2026-01-12-care-plan.md": plan, [VISIT]: visit() }, { timescales: true });
    const timescales = result.filter((f) => f[3].startsWith("timescale/"));
    expect(timescales).toContainEqual(["children/AB-1/2026-01-12-care-plan.md", 7, 5, "timescale/action"]);
    expect(timescales).toContainEqual(["children/AB-1/child.md", 1, 1, "timescale/review.first"]);
    expect(timescales).not.toContainEqual(expect.arrayContaining(["timescale/care-plan"]));
  });
});

describe("waivers and severity", () => {
  const emptySection = visit("seen_alone: true\nwaivers:\n  - rule: section-empty\n    reason: Not applicable on a phone call\n    until: UNTIL", VISIT_BODY.replace("## Next steps\nText.", "## Next steps\n"));

  it.each([
    ["2026-03-02", []],
    ["2026-03-01", [[VISIT, 28, 1, "section-empty"]]],
  ])("a waiver until %s", async (until, expected) => {
    expect(await findings({ [VISIT]: emptySection.replace("UNTIL", until) })).toEqual(expected);
  });

  it("a waived finding is counted in the summary", async () => {
    const folder = temporaryFolder();
    folders.push(folder.remove);
    mkdirSync(join(folder.path, "children/AB-1"), { recursive: true });
    writeFileSync(join(folder.path, "children/AB-1/child.md"), PROFILE.replace("---\n# Sam", "waivers:\n  - rule: timescale/*\n    reason: Transferred in from another authority\n---\n# Sam"));
    const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: folder.path });
    const output = JSON.parse(run.stdout) as { findings: unknown[]; summary: { waived: number; errors: number } };
    expect(output.findings).toEqual([]);
    expect(output.summary.waived).toBeGreaterThan(0);
    expect(run.code).toBe(0);
  });

  it.each([
    ["section-empty: off", []],
    ["section-empty: error", [["error"]]],
  ])("severity %s", async (setting, expected) => {
    const folder = temporaryFolder();
    folders.push(folder.remove);
    mkdirSync(join(folder.path, "children/AB-1"), { recursive: true });
    writeFileSync(join(folder.path, "careplan.yaml"), `severity:\n  ${setting}\n  timescale/*: off\n`);
    writeFileSync(join(folder.path, "children/AB-1/child.md"), PROFILE);
    writeFileSync(join(folder.path, VISIT), visit("seen_alone: true", VISIT_BODY.replace("## Next steps\nText.", "## Next steps\n")));
    const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: folder.path });
    const output = JSON.parse(run.stdout) as { findings: { severity: string }[] };
    expect(output.findings.map((f) => [f.severity])).toEqual(expected);
    expect(run.code).toBe(expected.length > 0 ? 1 : 0);
  });

  it("a specific timescale severity beats the wildcard; an unknown key exits 2", async () => {
    const folder = temporaryFolder();
    folders.push(folder.remove);
    mkdirSync(join(folder.path, "children/AB-1"), { recursive: true });
    writeFileSync(join(folder.path, "children/AB-1/child.md"), PROFILE);
    writeFileSync(join(folder.path, "careplan.yaml"), "severity:\n  timescale/*: off\n  timescale/review.first: warning\n");
    const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: folder.path });
    expect((JSON.parse(run.stdout) as { findings: { rule: string; severity: string }[] }).findings.map((f) => [f.rule, f.severity])).toEqual([["timescale/review.first", "warning"]]);
    writeFileSync(join(folder.path, "careplan.yaml"), "severity:\n  sections: off\n");
    const bad = await runCli(["check", ".", "--as-of", AS_OF], { cwd: folder.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("`severity.sections` is not a check rule");
  });
});
