// `careplan check` as a user runs it: in process over one fixture repository per scenario
// (fixtures/check/<scenario>), asserting exit codes and exactly what each format prints.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const FIXTURES = join(PACKAGE_ROOT, "fixtures/check");
const scenario = (name: string) => join(FIXTURES, name);
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((remove) => remove()));

const SMALL = ["check", scenario("small"), "--as-of", "2026-01-20"];

const SMALL_FINDINGS = [
  { file: "children/AB-1/2026-01-09-visit.md", line: 5, column: 1, rule: "schema", severity: "error", message: "`seen_alone` must be true or false (not yes or no, and not in quotes)" },
  { file: "children/AB-1/2026-01-09-visit.md", line: 24, column: 1, rule: "section-empty", severity: "warning", message: 'the section "## Next steps" is empty: write it, or say why it does not apply' },
  // Mon 5 Jan + 10 working days = Mon 19 Jan: one day overdue on the 20th
  { file: "children/AB-1/child.md", line: 1, column: 1, rule: "timescale/care-plan", severity: "error", message: "Care plan prepared was due on 2026-01-19, 10 working days after entering care on 2026-01-05: overdue by 1 day" },
  { file: "children/AB-1/child.md", line: 1, column: 1, rule: "timescale/pep.initial", severity: "error", message: "Personal education plan initiated was due on 2026-01-19, 10 working days after entering care on 2026-01-05: overdue by 1 day" },
  // Mon 5 Jan + 5 working days = Mon 12 Jan: eight days overdue
  { file: "children/AB-1/child.md", line: 1, column: 1, rule: "timescale/placement-plan", severity: "error", message: "Placement plan for the placement was due on 2026-01-12, 5 working days after the placement that began on 2026-01-05: overdue by 8 days" },
];

describe("exit codes", () => {
  it.each([
    ["a clean repository", ["check", scenario("clean"), "--as-of", "2026-02-24"], 0],
    ["errors", SMALL, 1],
    ["warnings only", ["check", scenario("warnings-only"), "--as-of", "2026-02-24"], 0],
    ["more warnings than --max-warnings", ["check", scenario("warnings-only"), "--as-of", "2026-02-24", "--max-warnings", "0"], 1],
    ["warnings within --max-warnings", ["check", scenario("warnings-only"), "--as-of", "2026-02-24", "--max-warnings", "1"], 0],
    ["an impossible --as-of", ["check", scenario("clean"), "--as-of", "2026-02-30"], 2],
    ["an unknown format", ["check", scenario("clean"), "--format", "xml"], 2],
    ["an unknown option (commander's own error)", ["check", scenario("clean"), "--nonsense"], 2],
    ["an unknown command", ["lint"], 2],
    ["a path that does not exist", ["check", scenario("nowhere")], 2],
    ["a path outside the children folder", ["check", join(scenario("clean"), "careplan.yaml")], 2],
    ["a careplan.yaml naming no preset", ["check", scenario("bad-config")], 2],
    ["--since without --changed", ["check", scenario("clean"), "--since", "HEAD"], 2],
    ["--max-warnings that is not a number", ["check", scenario("clean"), "--max-warnings", "some"], 2],
    ["--help", ["check", "--help"], 0],
    ["no command at all", [], 2],
    ["--version", ["--version"], 0],
  ])("%s: exit %i", async (_, argv, code) => {
    const run = await runCli(argv as string[], { cwd: PACKAGE_ROOT });
    expect(run.code, run.stderr).toBe(code);
    if (code === 2) expect(run.stderr).not.toBe("");
  });

  it("a configuration error says which file, which key and what is allowed", async () => {
    const run = await runCli(["check", scenario("bad-config")], { cwd: PACKAGE_ROOT });
    expect(run.stderr).toMatch(/careplan\.yaml:\d+: `policy` names "nowhere", which is not a preset\. The presets are: england, care-planning-meetings, newcastle, stoke-on-trent, sparks-fostering\./);
  });
});

describe("--format json", () => {
  it("prints exactly the contract's object", async () => {
    const run = await runCli([...SMALL, "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ asOf: "2026-01-20", findings: SMALL_FINDINGS, summary: { files: 2, errors: 4, warnings: 1, waived: 0, baselined: 0, baselineUnused: 0 } });
  });

  it("checks one document when given its path", async () => {
    const run = await runCli(["check", join(scenario("small"), "children/AB-1/2026-01-09-visit.md"), "--as-of", "2026-01-20", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(JSON.parse(run.stdout)).toEqual({ asOf: "2026-01-20", findings: SMALL_FINDINGS.slice(0, 2), summary: { files: 1, errors: 1, warnings: 1, waived: 0, baselined: 0, baselineUnused: 0 } });
  });
});

describe("--format stylish", () => {
  it("groups by file, then a summary; no colour off a terminal", async () => {
    const run = await runCli(SMALL, { cwd: scenario("small") });
    expect(run.stdout).toBe(
      [
        "children/AB-1/2026-01-09-visit.md",
        "  5:1   error    `seen_alone` must be true or false (not yes or no, and not in quotes)  schema",
        '  24:1  warning  the section "## Next steps" is empty: write it, or say why it does not apply  section-empty',
        "",
        "children/AB-1/child.md",
        "  1:1  error    Care plan prepared was due on 2026-01-19, 10 working days after entering care on 2026-01-05: overdue by 1 day  timescale/care-plan",
        "  1:1  error    Personal education plan initiated was due on 2026-01-19, 10 working days after entering care on 2026-01-05: overdue by 1 day  timescale/pep.initial",
        "  1:1  error    Placement plan for the placement was due on 2026-01-12, 5 working days after the placement that began on 2026-01-05: overdue by 8 days  timescale/placement-plan",
        "",
        "✖ 5 problems (4 errors, 1 warning) in 2 files checked as of 2026-01-20.",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [{}, true, true],
    [{ NO_COLOR: "1" }, true, false],
    [{ NO_COLOR: "" }, true, true],
    [{ TERM: "dumb" }, true, false],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0" }, true, false],
  ])("colour with %j on a terminal: %s → %s", async (env, tty, coloured) => {
    const run = await runCli(SMALL, { cwd: PACKAGE_ROOT, env, tty });
    expect(run.stdout.includes("\u001b[")).toBe(coloured);
  });

  it("says so when there is nothing to report", async () => {
    const run = await runCli(["check", scenario("clean"), "--as-of", "2026-02-24"], { cwd: PACKAGE_ROOT });
    expect(run.stdout).toBe("✓ 1 file checked as of 2026-02-24: no problems.\n");
  });
});

describe("--format github", () => {
  it("prints one escaped workflow command per finding", async () => {
    const run = await runCli([...SMALL, "--format", "github"], { cwd: PACKAGE_ROOT });
    const lines = run.stdout.trimEnd().split("\n");
    // Paths from the top of the git repository (this project's), where GitHub looks for them.
    expect(lines[0]).toBe("::error file=fixtures/check/small/children/AB-1/2026-01-09-visit.md,line=5,col=1,title=schema::`seen_alone` must be true or false (not yes or no, and not in quotes)");
    expect(lines[1]).toBe('::warning file=fixtures/check/small/children/AB-1/2026-01-09-visit.md,line=24,col=1,title=section-empty::the section "## Next steps" is empty: write it, or say why it does not apply');
    expect(lines).toHaveLength(5);
  });

  it("appends a Markdown summary to $GITHUB_STEP_SUMMARY", async () => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    const summary = join(folder.path, "summary.md");
    writeFileSync(summary, "earlier step\n");
    await runCli([...SMALL, "--format", "github"], { cwd: PACKAGE_ROOT, env: { GITHUB_STEP_SUMMARY: summary } });
    const text = readFileSync(summary, "utf8");
    expect(text.startsWith("earlier step\n## careplan check (as of 2026-01-20)")).toBe(true);
    expect(text).toContain("2 files checked: **4 errors**, 1 warning, 0 waived, 0 in the baseline.");
    expect(text).toContain("| fixtures/check/small/children/AB-1/child.md | 1:1 | error | `timescale/care-plan` |");
    expect(text).toContain("| `timescale/care-plan` | 1 |");
  });
});

describe("--format sarif", () => {
  it("is valid against the official SARIF 2.1.0 schema, with rule metadata", async () => {
    const run = await runCli([...SMALL, "--format", "sarif"], { cwd: PACKAGE_ROOT });
    const sarif = JSON.parse(run.stdout);
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, "test/check/sarif-schema-2.1.0.json"), "utf8")));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe("careplan");
    expect(run0.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual(SMALL_FINDINGS.map((f) => [f.rule, f.severity]));
    const ids = run0.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const result of run0.results) expect(ids[result.ruleIndex]).toBe(result.ruleId);
    expect(ids).toEqual(expect.arrayContaining(["read", "yaml", "schema", "section-missing", "section-empty", "consistency", "timescale/review.second", "timescale/action"]));
    expect(run0.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "fixtures/check/small/children/AB-1/2026-01-09-visit.md", uriBaseId: "%SRCROOT%" },
      region: { startLine: 5, startColumn: 1 },
    });
    expect(run0.originalUriBaseIds).toEqual({ "%SRCROOT%": { description: { text: "The top folder of the git repository holding the case files." } } });
  });
});

describe("-o/--output-file", () => {
  it("writes the report to the file named, and nothing to standard output", async () => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    const out = join(folder.path, "report.json");
    const run = await runCli([...SMALL, "--format", "json", "-o", out], { cwd: PACKAGE_ROOT });
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(JSON.parse(readFileSync(out, "utf8")).findings).toEqual(SMALL_FINDINGS);
  });
});

describe("confidentiality", () => {
  // fixtures/check/sentinels plants SENTINEL in names, providers, free text, action text, keys,
  // headings and malformed values (dates, booleans, enums, YAML syntax errors).
  it.each(["stylish", "json", "sarif", "github", "gitlab", "junit"])("--format %s never shows a document's text or values", async (format) => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    const summary = join(folder.path, "summary.md");
    const run = await runCli(["check", scenario("sentinels"), "--as-of", "2026-03-02", "--format", format], { cwd: PACKAGE_ROOT, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    // The fixture's own folder is named "sentinels": paths from the top of this repository name it.
    const shown = (text: string) => text.replaceAll("fixtures/check/sentinels/", "");
    expect(run.stdout.length).toBeGreaterThan(1000);
    expect(shown(run.stdout)).not.toMatch(/SENTINEL/i);
    expect(shown(run.stderr)).not.toMatch(/SENTINEL/i);
    if (format === "github") expect(shown(readFileSync(summary, "utf8"))).not.toMatch(/SENTINEL/i);
  });

  it("the sentinels are there to be found: the fixture is not vacuous", () => {
    const profile = readFileSync(join(scenario("sentinels"), "children/SN-1/child.md"), "utf8");
    expect(profile.match(/SENTINEL/g)!.length).toBeGreaterThan(8);
  });
});

describe("the real binary", () => {
  it("exits 1 with the JSON report", () => {
    let stdout = "";
    let status = 0;
    try {
      execFileSync(join(PACKAGE_ROOT, "bin/careplan"), [...SMALL, "--format", "json"], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      ({ stdout, status } = error as { stdout: string; status: number });
    }
    expect(status).toBe(1);
    expect(JSON.parse(stdout).summary).toEqual({ files: 2, errors: 4, warnings: 1, waived: 0, baselined: 0, baselineUnused: 0 });
  });
});

describe("paths", () => {
  it("a document and a whole child together: the document's findings, and all of the other child's", async () => {
    const visit = join(scenario("small"), "children/AB-1/2026-01-09-visit.md");
    const sentinels = join(scenario("sentinels"), "children/SN-1");
    // Two repositories cannot be mixed: the first path chooses the repository.
    const mixed = await runCli(["check", visit, sentinels, "--as-of", "2026-01-20"], { cwd: PACKAGE_ROOT });
    expect(mixed.code).toBe(2);
    const run = await runCli(["check", visit, join(scenario("small"), "children/AB-1"), "--as-of", "2026-01-20", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(JSON.parse(run.stdout).findings).toEqual(SMALL_FINDINGS);
  });
});

describe("the first week: a caseload as people type it", () => {
  const FIRST_WEEK = ["check", scenario("first-week"), "--as-of", "2026-02-01", "--format", "json"];

  it("a document misnamed beyond recognition is a consistency finding with the name it needs; ignored folders and files are not read", async () => {
    const run = await runCli(FIRST_WEEK, { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(1);
    const { findings, summary } = JSON.parse(run.stdout) as { findings: { file: string; rule: string; message: string }[]; summary: { files: number } };
    expect(findings.map((f) => [f.file, f.rule])).toEqual(
      ["09-01-2026-visit.md", "2026-01-09 visit.md", "2026-01-09-visit.MD", "2026-01-9-visit.md"].map((name) => [`children/AB-1/${name}`, "consistency"]),
    );
    for (const f of findings) expect(f.message).toMatch(/: rename it to 2026-01-09-visit\.md$/);
    expect(summary.files).toBe(5);
  });

  it("without the ignore globs, the archive is a child without a profile and the draft a broken document", async () => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    cpSync(scenario("first-week"), folder.path, { recursive: true });
    writeFileSync(join(folder.path, "careplan.yaml"), "severity:\n  timescale/*: off\n");
    const run = await runCli(["check", ".", "--as-of", "2026-02-01", "--format", "json"], { cwd: folder.path });
    const files = new Set((JSON.parse(run.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file));
    expect(files).toContain("children/_archive/child.md");
    expect(files).toContain("children/AB-1/2026-01-20-visit-draft.md");
  });

  it("careplan.yml where careplan.yaml is looked for is a configuration error saying to rename it", async () => {
    const run = await runCli(["check", scenario("careplan-yml")], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`careplan: ${join(scenario("careplan-yml"), "careplan.yml")}: careplan reads its settings only from a file named careplan.yaml. Rename it to careplan.yaml (or pass it with --config).\n`);
  });

  it.each([
    ["severity:\n  section-emtpy: off\n", "careplan.yaml:2: `severity.section-emtpy` is not a check rule. Did you mean `section-empty`?"],
    ["policy: englnd\n", 'careplan.yaml:1: `policy` names "englnd", which is not a preset. Did you mean `england`?'],
    ["rules:\n  pep: off\n  vist: { interval: 4, unit: weeks }\n", "careplan.yaml:3: `rules.vist` changes a rule that is not in force. Did you mean `visit`?"],
    ["rules:\n  reviw.first: off\n", "careplan.yaml:2: `rules.reviw.first` switches off a rule that is not in force. Did you mean `review.first`?"],
    ["severity:\n  timescale/reviw.first: off\n", "`severity.timescale/reviw.first` is not a timescale rule. Did you mean `timescale/review.first`?"],
    ["policies: england\n", "`policies` is not a setting of careplan.yaml. Did you mean `policy`?"],
    ["ignore: /children/_archive\n", "`ignore` must be a list of globs relative to the repository's root"],
    ["policy: england\npolicy: newcastle\n", "careplan.yaml:2: `policy` is written twice: keep one."],
  ])("%j is a configuration error with the nearest name", async (config, message) => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    mkdirSync(join(folder.path, "children"));
    writeFileSync(join(folder.path, "careplan.yaml"), config);
    const run = await runCli(["check", "--as-of", "2026-03-01"], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("a severity for a timescale rule of a preset not in force is kept (presets can be switched)", async () => {
    const folder = temporaryFolder();
    cleanups.push(folder.remove);
    mkdirSync(join(folder.path, "children"));
    writeFileSync(join(folder.path, "careplan.yaml"), "severity:\n  timescale/cpm: warning\n");
    expect((await runCli(["check", "--as-of", "2026-03-01"], { cwd: folder.path })).code).toBe(0);
  });

  it("a profile that cannot be read says no deadline of the child can be computed", async () => {
    const run = await runCli(["check", join(PACKAGE_ROOT, "fixtures/timeline/problems"), "--as-of", "2026-01-06", "--format", "json"], { cwd: PACKAGE_ROOT });
    const findings = (JSON.parse(run.stdout) as { findings: { file: string; rule: string; message: string }[] }).findings;
    expect(findings.filter((f) => f.message.includes("no deadline of this child can be computed")).map((f) => [f.file, f.rule])).toEqual([
      ["children/NP-3/child.md", "consistency"],
      ["children/TB-2/child.md", "yaml"],
    ]);
    expect(findings.find((f) => f.rule === "yaml")!.message).toBe("a tab is used for indentation: indent with spaces; until this is put right, no deadline of this child can be computed");
  });

  it.each([
    ["--format", "json", "sarif"],
    ["--as-of", "2026-01-20", "2026-01-21"],
    ["--max-warnings", "0", "1"],
  ])("%s given twice is a usage error", async (flag, first, second) => {
    const run = await runCli(["check", scenario("small"), flag, first, flag, second], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`careplan: ${flag} was given twice; it takes one value: give it once.\n`);
  });

  it("paths in two repositories are refused, naming both; paths in one combine", async () => {
    const run = await runCli(["check", scenario("small"), scenario("clean")], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${scenario("small")} and ${scenario("clean")} are in two case-file repositories`);
    const twice = await runCli(["check", scenario("small"), join(scenario("small"), "children/AB-1"), "--as-of", "2026-01-20", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(JSON.parse(twice.stdout).findings).toEqual(SMALL_FINDINGS);
  });

  it("--max-warnings says one warning, not one warnings", async () => {
    const run = await runCli(["check", scenario("warnings-only"), "--as-of", "2026-02-24", "--max-warnings", "0"], { cwd: PACKAGE_ROOT });
    expect(run.stderr).toBe("careplan: 1 warning, more than --max-warnings 0.\n");
  });
});

describe("ignored paths named on the command line", () => {
  it("are not read, and a warning says so", async () => {
    const archive = join(scenario("first-week"), "children/_archive");
    const draft = join(scenario("first-week"), "children/AB-1/2026-01-20-visit-draft.md");
    const run = await runCli(["check", archive, draft, "--as-of", "2026-02-01", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ findings: [], summary: { files: 0 } });
    expect(run.stderr).toBe(
      [archive, draft].map((path) => `warning: ${path}: ignored by \`ignore\` in careplan.yaml, so nothing in it is read.\n`).join(""),
    );
  });
});
