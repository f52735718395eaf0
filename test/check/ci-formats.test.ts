// The reports for CI services other than GitHub: GitLab Code Quality (`--format gitlab`) and
// JUnit XML (`--format junit`), validated against the schemas those services publish or use
// (copies beside this file, with their licences) and read as a user of each service would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { PACKAGE_ROOT } from "../../src/assets.js";
import type { CheckResult, Finding } from "../../src/core/check.js";
import { formatCheckGitlab } from "../../src/reporters/check/gitlab.js";
import { runCli } from "../cli-harness.js";
import { PROFILE, repositoryWith, visit, VISIT } from "./repository.js";

const scenario = (name: string) => join(PACKAGE_ROOT, "fixtures/check", name);
const AS_OF = "2026-03-02";
const SCENARIOS: [string, string, number][] = [
  ["small", "2026-01-20", 1],
  ["clean", "2026-02-24", 0],
  ["warnings-only", "2026-02-24", 0],
  ["first-week", AS_OF, 1],
  ["sentinels", AS_OF, 1],
];

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

// GitLab's own schema for one issue, and what its documentation of the report format adds.
const ajv = new Ajv({ strict: false });
const gitlabIssue = JSON.parse(readFileSync(join(PACKAGE_ROOT, "test/check/gitlab-codeclimate.json"), "utf8"));
delete gitlabIssue.$schema; // draft-07, which Ajv's default draft reads as it is
const validateReport = ajv.compile({
  type: "array",
  items: {
    allOf: [
      gitlabIssue,
      {
        required: ["check_name"],
        properties: {
          check_name: { type: "string", minLength: 1 },
          severity: { enum: ["info", "minor", "major", "critical", "blocker"] },
          location: { required: ["path", "lines"], properties: { path: { type: "string", minLength: 1 }, lines: { required: ["begin"], properties: { begin: { type: "integer", minimum: 1 } } } } },
        },
      },
    ],
  },
});

const JUNIT_XSD = readFileSync(join(PACKAGE_ROOT, "test/check/junit-10.xsd"), "utf8");
async function junitErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit-10.xsd", contents: JUNIT_XSD }] });
  return result.errors.map((error) => error.rawMessage);
}

describe("--format gitlab", () => {
  it.each(SCENARIOS)("%s: a Code Quality report GitLab accepts, with exit %#", async (name, asOf, code) => {
    const run = await runCli(["check", scenario(name), "--as-of", asOf, "--format", "gitlab"], { cwd: PACKAGE_ROOT });
    expect(run.code, run.stderr).toBe(code);
    const report = JSON.parse(run.stdout) as Issue[];
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(new Set(report.map((issue) => issue.fingerprint)).size).toBe(report.length);
    if (code === 0 && name === "clean") expect(run.stdout).toBe("[]\n");
  });

  it("one issue per finding: the message, the rule, error as major and warning as minor, the line", async () => {
    const run = await runCli(["check", scenario("small"), "--as-of", "2026-01-20", "--format", "gitlab"], { cwd: PACKAGE_ROOT });
    const report = JSON.parse(run.stdout) as Issue[];
    expect(report.map(({ fingerprint, ...issue }) => issue).slice(0, 2)).toEqual([
      {
        description: "`seen_alone` must be true or false (not yes or no, and not in quotes)",
        check_name: "schema",
        severity: "major",
        location: { path: "fixtures/check/small/children/AB-1/2026-01-09-visit.md", lines: { begin: 5 } },
      },
      {
        description: 'the section "## Next steps" is empty: write it, or say why it does not apply',
        check_name: "section-empty",
        severity: "minor",
        location: { path: "fixtures/check/small/children/AB-1/2026-01-09-visit.md", lines: { begin: 24 } },
      },
    ]);
    expect(report).toHaveLength(5);
  });

  describe("fingerprints", () => {
    const fingerprints = async (repository: string) => {
      const run = await runCli(["check", repository, "--as-of", AS_OF, "--format", "gitlab", "--no-color"], { cwd: repository });
      return Object.fromEntries((JSON.parse(run.stdout) as Issue[]).map((issue) => [`${issue.check_name} ${issue.description}`, { fingerprint: issue.fingerprint, line: issue.location.lines.begin }]));
    };

    it("are the same from run to run, when lines move and when the wrong value changes; another finding has another", async () => {
      const repository = repositoryWith({ "careplan.yaml": "policy: england\n", "children/AB-1/child.md": PROFILE, [VISIT]: visit("seen_alone: yes") });
      try {
        const first = await fingerprints(repository.path);
        expect(await fingerprints(repository.path)).toEqual(first);
        // Two lines above the finding, and another wrong value in the same field.
        repository.write({ [VISIT]: visit("# a note\n# another\nseen_alone: maybe") });
        const moved = await fingerprints(repository.path);
        const key = Object.keys(first).find((k) => k.startsWith("schema "))!;
        expect(moved[key]!.line).toBe(first[key]!.line + 2);
        expect(moved[key]!.fingerprint).toBe(first[key]!.fingerprint);
        expect(new Set(Object.values(moved).map((entry) => entry.fingerprint)).size).toBe(Object.keys(moved).length);
      } finally {
        repository.remove();
      }
    });

    it("two findings with one identity get two fingerprints, the first the one it has alone", () => {
      const finding: Finding = { file: VISIT, line: 5, column: 1, rule: "schema", severity: "error", message: "m", messageId: "invalid", subject: "seen_alone" };
      const result = (findings: Finding[]): CheckResult => ({ asOf: AS_OF, findings, summary: { files: 1, errors: findings.length, warnings: 0, waived: 0, baselined: 0, baselineUnused: 0 }, checked: new Map(), files: [VISIT] });
      const alone = JSON.parse(formatCheckGitlab(result([finding]))) as Issue[];
      const twice = JSON.parse(formatCheckGitlab(result([finding, { ...finding, line: 9 }]))) as Issue[];
      expect(twice[0]!.fingerprint).toBe(alone[0]!.fingerprint);
      expect(twice[1]!.fingerprint).not.toBe(twice[0]!.fingerprint);
      expect(twice[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    });
  });
});

describe("--format junit", () => {
  it.each(SCENARIOS)("%s: valid against Jenkins' JUnit schema, with exit %#", async (name, asOf, code) => {
    const run = await runCli(["check", scenario(name), "--as-of", asOf, "--format", "junit"], { cwd: PACKAGE_ROOT });
    expect(run.code, run.stderr).toBe(code);
    expect(await junitErrors(run.stdout)).toEqual([]);
    // One test case per file checked.
    const summary = JSON.parse((await runCli(["check", scenario(name), "--as-of", asOf, "--format", "json"], { cwd: PACKAGE_ROOT })).stdout).summary;
    expect(run.stdout.match(/<testcase /g)?.length ?? 0).toBe(summary.files);
    expect(run.stdout).toContain(`<testsuites name="careplan check as of ${asOf}" tests="${summary.files}"`);
  });

  it("a suite per child, a case per file; the errors in one failure, the warnings in its output", async () => {
    const run = await runCli(["check", scenario("small"), "--as-of", "2026-01-20", "--format", "junit"], { cwd: PACKAGE_ROOT });
    const folder = "fixtures/check/small/children/AB-1";
    expect(run.stdout).toBe(
      [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<testsuites name="careplan check as of 2026-01-20" tests="2" failures="2" errors="0">`,
        `  <testsuite name="${folder}" tests="2" failures="2" errors="0" skipped="0">`,
        `    <testcase name="${folder}/2026-01-09-visit.md" classname="${folder}">`,
        `      <failure message="1 error" type="schema">error at line 5, column 1: \`seen_alone\` must be true or false (not yes or no, and not in quotes) (schema)</failure>`,
        `      <system-out>warning at line 24, column 1: the section "## Next steps" is empty: write it, or say why it does not apply (section-empty)</system-out>`,
        `    </testcase>`,
        `    <testcase name="${folder}/child.md" classname="${folder}">`,
        `      <failure message="3 errors" type="timescale/care-plan timescale/pep.initial timescale/placement-plan">error at line 1, column 1: Care plan prepared was due on 2026-01-19, 10 working days after entering care on 2026-01-05: overdue by 1 day (timescale/care-plan)`,
        `error at line 1, column 1: Personal education plan initiated was due on 2026-01-19, 10 working days after entering care on 2026-01-05: overdue by 1 day (timescale/pep.initial)`,
        `error at line 1, column 1: Placement plan for the placement was due on 2026-01-12, 5 working days after the placement that began on 2026-01-05: overdue by 8 days (timescale/placement-plan)</failure>`,
        `    </testcase>`,
        `  </testsuite>`,
        `</testsuites>`,
        ``,
      ].join("\n"),
    );
  });

  it("a file with warnings only passes", async () => {
    const run = await runCli(["check", scenario("warnings-only"), "--as-of", "2026-02-24", "--format", "junit"], { cwd: PACKAGE_ROOT });
    expect(run.stdout).not.toContain("<failure");
    expect(run.stdout).toMatch(/<testcase name="[^"]*2026-02-24-visit\.md" [^>]*>\n\s*<system-out>warning at line \d+/);
  });

  it("file names with markup and control characters: escaped, control characters shown as U+FFFD (as in every format)", async () => {
    const odd = 'children/AB-1/2026-02-20-visit-a&b<c>"d\u0007\u001b[31m\u0085.md';
    const repository = repositoryWith({ "careplan.yaml": "policy: england\n", "children/AB-1/child.md": PROFILE, [odd]: visit() });
    try {
      const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "junit"], { cwd: repository.path });
      expect(run.stdout).toContain("is not a slug");
      expect(await junitErrors(run.stdout)).toEqual([]);
      expect(run.stdout).toContain('2026-02-20-visit-a&amp;b&lt;c&gt;&quot;d\uFFFD\uFFFD[31m\uFFFD.md"');
      expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    } finally {
      repository.remove();
    }
  });
});
