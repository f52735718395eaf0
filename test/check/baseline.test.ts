// Taking on an existing caseload: `careplan baseline` records today's findings, `check` then
// fails only on new ones. Each test starts from a repository with findings, as a real caseload has.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { findingIdentity } from "../../src/core/baseline.js";
import { runCli, type Run } from "../cli-harness.js";
import { PROFILE, repositoryWith, visit, VISIT } from "./repository.js";

// Several runs of careplan per test: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const AS_OF = "2026-03-02";
const PROFILE_FILE = "children/AB-1/child.md";

let repository: ReturnType<typeof repositoryWith>;
afterEach(() => repository?.remove());

interface Report {
  findings: Record<string, unknown>[];
  summary: { errors: number; warnings: number; baselined: number; baselineUnused: number };
}

async function check(...args: string[]): Promise<Run & { report: Report }> {
  const run = await runCli(["check", "--as-of", AS_OF, "--format", "json", ...args], { cwd: repository.path });
  expect(run.code, run.stderr).not.toBe(2);
  return { ...run, report: JSON.parse(run.stdout) as Report };
}

async function baseline(...args: string[]): Promise<Run> {
  const run = await runCli(["baseline", "--as-of", AS_OF, ...args], { cwd: repository.path });
  expect(run.code, run.stderr).toBe(0);
  return run;
}

const baselineText = () => readFileSync(join(repository.path, "careplan-baseline.json"), "utf8");
const rulesOf = (report: Report) => report.findings.map((f) => [f.file, f.rule]);

describe("careplan baseline", () => {
  it("records today's findings, after which check passes and counts them as baselined", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("seen_alone: yes", ["Next steps"]) });
    const before = await check();
    expect(before.code).toBe(1);
    expect(before.report.findings.length).toBe(7);

    const run = await baseline();
    expect(run.stdout).toBe(
      "careplan-baseline.json: recorded 7 entries as of 2026-03-02 (6 errors, 1 warning; 7 new, 0 gone). Commit it: `careplan check` now fails only on findings that are not in it.\n",
    );
    // One entry a line, sorted: rule, file and what the finding is about; no line, no value.
    expect(baselineText()).toBe(`{
  "version": 1,
  "findings": [
    {"file":"children/AB-1/2026-02-20-visit.md","rule":"schema","messageId":"invalid","subject":"seen_alone"},
    {"file":"children/AB-1/2026-02-20-visit.md","rule":"section-empty","messageId":"empty","subject":"Next steps"},
    {"file":"children/AB-1/child.md","rule":"timescale/care-plan","messageId":"overdue","subject":"care-plan due 2026-01-19"},
    {"file":"children/AB-1/child.md","rule":"timescale/health-assessment.initial","messageId":"overdue","subject":"health-assessment.initial due 2026-02-02"},
    {"file":"children/AB-1/child.md","rule":"timescale/pep.initial","messageId":"overdue","subject":"pep.initial due 2026-01-19"},
    {"file":"children/AB-1/child.md","rule":"timescale/placement-plan","messageId":"overdue","subject":"placement-plan due 2026-01-12"},
    {"file":"children/AB-1/child.md","rule":"timescale/review.first","messageId":"overdue","subject":"review.first due 2026-02-02"}
  ]
}
`);
    const after = await check();
    expect(after.code).toBe(0);
    expect(after.report.findings).toEqual([]);
    expect(after.report.summary).toMatchObject({ errors: 0, warnings: 0, baselined: 7, baselineUnused: 0 });
    expect(after.stderr).toBe("");
  });

  it("writes the same file for the same findings, whatever order or run", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("seen_alone: yes", ["Next steps"]) });
    await baseline();
    const first = baselineText();
    const again = await baseline();
    expect(again.stdout).toContain("(6 errors, 1 warning; 0 new, 0 gone)");
    expect(baselineText()).toBe(first);
  });

  it("fails on a finding that is not in the baseline, and reports only that one", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("seen_alone: yes") });
    await baseline();
    repository.write({ [VISIT]: visit("seen_alone: yes\nunannounced: maybe") });
    const run = await check();
    expect(run.code).toBe(1);
    expect(run.report.findings).toMatchObject([{ file: VISIT, line: 6, rule: "schema", message: expect.stringContaining("`unannounced` must be") }]);
    expect(run.report.summary.baselined).toBe(6);
  });

  it("keeps a finding baselined when lines above it move", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("seen_alone: yes", ["Next steps"]) });
    await baseline();
    repository.write({ [VISIT]: visit("unannounced: false\nseen_alone: yes", ["Next steps"]).replace("# Visit\n", "# Visit\n\nMore lines\nabove.\n") });
    expect((await check()).code).toBe(0);
  });

  it("tells kinds of finding on the same field apart: a missing field is not the same as a malformed one", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("unannounced: false") });
    await baseline();
    repository.write({ [VISIT]: visit("seen_alone: yes") });
    const run = await check();
    expect(run.code).toBe(1);
    expect(run.report.findings).toMatchObject([{ file: VISIT, rule: "schema", message: expect.stringContaining("`seen_alone` must be true or false") }]);
  });

  it("tells consistency checks apart: placements out of order are not overlapping placements", async () => {
    const placements = (second: string) => PROFILE.replace("    type: foster-care\n", `    type: foster-care\n  - start: ${second}\n    type: foster-care\n`);
    repository = repositoryWith({ [PROFILE_FILE]: placements("2026-01-01") });
    await baseline();
    repository.write({ [PROFILE_FILE]: placements("2026-01-10") });
    const run = await check();
    expect(run.code).toBe(1);
    expect(run.report.findings.filter((f) => f.rule === "consistency")).toMatchObject([{ message: expect.stringContaining("before the placement above it ends") }]);
  });

  it("counts identical findings: two need two entries", async () => {
    const twice = visit("seen_alone: true", ["Next steps"]) + "\n## Next steps\n\n";
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: twice });
    await baseline();
    expect(baselineText().match(/"subject":"Next steps"/g)).toHaveLength(2);
    // Remove one of the two entries by hand: one of the two findings is new again.
    writeFileSync(join(repository.path, "careplan-baseline.json"), baselineText().replace(/\n.*"subject":"Next steps"\},/, ""));
    const run = await check();
    expect(rulesOf(run.report)).toEqual([[VISIT, "section-empty"]]);
    expect(run.report.summary).toMatchObject({ warnings: 1, baselined: 6 });
  });

  it("says how many entries no longer occur, and --prune removes them", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("seen_alone: yes", ["Next steps"]) });
    await baseline();
    repository.write({ [VISIT]: visit("seen_alone: true", ["Next steps"]) });
    const run = await check();
    expect(run.code).toBe(0);
    expect(run.report.summary).toMatchObject({ baselined: 6, baselineUnused: 1 });
    expect(run.stderr).toBe("careplan: 1 entry of careplan-baseline.json no longer occurs: remove it with `careplan baseline --prune`.\n");

    const pruned = await baseline("--prune");
    expect(pruned.stdout).toBe("careplan-baseline.json: removed 1 entry that no longer occurs; 6 entries remain.\n");
    expect(baselineText()).not.toContain('"rule":"schema"');
    const after = await check();
    expect(after.report.summary).toMatchObject({ baselined: 6, baselineUnused: 0 });
    expect(after.stderr).toBe("");
  });

  it("--prune records nothing new", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit() });
    await baseline();
    repository.write({ [VISIT]: visit("seen_alone: yes") });
    await baseline("--prune");
    expect((await check()).code).toBe(1);
  });

  it("given a child, records that child again and keeps the others' entries", async () => {
    repository = repositoryWith({
      [PROFILE_FILE]: PROFILE,
      [VISIT]: visit("seen_alone: yes"),
      "children/CD-2/child.md": PROFILE.replace("id: AB-1", "id: CD-2"),
    });
    await baseline();
    repository.write({ [VISIT]: visit() });
    const run = await baseline("children/AB-1");
    expect(run.stdout).toContain("recorded 5 entries as of 2026-03-02 (5 errors, 0 warnings; 0 new, 1 gone), and kept 6 entries of children not checked.");
    expect(baselineText().match(/children\/CD-2\/child.md/g)).toHaveLength(6);
    expect(baselineText()).not.toContain('"rule":"schema"');
  });

  it("checking some children does not call the others' entries unused", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, "children/CD-2/child.md": PROFILE.replace("id: AB-1", "id: CD-2") });
    await baseline();
    const run = await check("children/CD-2");
    expect(run.report.summary).toMatchObject({ baselined: 6, baselineUnused: 0 });
  });

  it("--no-baseline reports every finding", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE });
    await baseline();
    const run = await check("--no-baseline");
    expect(run.code).toBe(1);
    expect(run.report.summary).toMatchObject({ errors: 6, baselined: 0 });
  });

  it("leaves the timeline alone: a baselined overdue deadline is still overdue there", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE });
    await baseline();
    const run = await runCli(["timeline", "--as-of", AS_OF, "--format", "json"], { cwd: repository.path });
    const items = (JSON.parse(run.stdout) as { items: { rule: string; status: string }[] }).items;
    expect(items.filter((item) => item.status === "overdue").map((item) => item.rule)).toEqual([
      "placement-plan",
      "visit.placement",
      "care-plan",
      "pep.initial",
      "health-assessment.initial",
      "review.first",
    ]);
  });

  it("keeps the contract's finding objects in JSON: no identity keys", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, [VISIT]: visit("seen_alone: yes") });
    const run = await check();
    for (const finding of run.report.findings) expect(Object.keys(finding)).toEqual(["file", "line", "column", "rule", "severity", "message"]);
  });

  it("with nothing to record, writes no file", async () => {
    repository = repositoryWith({});
    const run = await baseline();
    expect(run.stdout).toBe("No findings as of 2026-03-02: there is nothing to record, and no baseline is needed.\n");
  });

  it.each([
    ["not JSON", "{ not json", "not valid JSON"],
    ["a merge conflict", '{\n<<<<<<< HEAD\n  "version": 1,\n', "not valid JSON"],
    ["another version", '{ "version": 2, "findings": [] }', "`version` other than 1"],
    ["an entry without a subject", '{ "version": 1, "findings": [{ "file": "a", "rule": "b", "messageId": "c" }] }', "`findings.0` must have"],
  ])("a baseline that is %s is a configuration error (exit 2) naming the file", async (_, text, expected) => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, "careplan-baseline.json": text });
    const run = await runCli(["check", "--as-of", AS_OF], { cwd: repository.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("careplan-baseline.json: ");
    expect(run.stderr).toContain(expected);
    expect(run.stderr).toContain("Write it again with `careplan baseline`");
  });

  it("--no-baseline does not read the file, so a broken one cannot stop a run", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE, "careplan-baseline.json": "<<<<<<< HEAD" });
    expect((await check("--no-baseline")).report.summary.errors).toBe(6);
  });

  it("--prune without a baseline is a usage error", async () => {
    repository = repositoryWith({ [PROFILE_FILE]: PROFILE });
    const run = await runCli(["baseline", "--prune", "--as-of", AS_OF], { cwd: repository.path });
    expect(run).toMatchObject({ code: 2, stderr: "careplan: careplan-baseline.json: there is no baseline to prune. Record one with `careplan baseline`.\n" });
  });
});

describe("the baseline file holds no value", () => {
  it("of a repository planted with SENTINEL in every name, text, key and malformed value", async () => {
    repository = repositoryWith({});
    cpSync(join(PACKAGE_ROOT, "fixtures/check/sentinels"), repository.path, { recursive: true });
    await baseline();
    const text = baselineText();
    expect(text.split("\n").length).toBeGreaterThan(20);
    expect(text).not.toMatch(/SENTINEL/i);
    for (const entry of JSON.parse(text).findings) expect(Object.keys(entry)).toEqual(["file", "rule", "messageId", "subject"]);
  });
});

describe("findingIdentity", () => {
  it("is the same for the same finding on another line or in other words, and differs by file, rule, messageId or subject", () => {
    const finding = { file: "children/A/child.md", rule: "schema", messageId: "invalid", subject: "dob", line: 5, message: "one wording" };
    const identity = findingIdentity(finding);
    expect(findingIdentity({ ...finding, line: 9, message: "another wording" } as typeof finding)).toBe(identity);
    for (const key of ["file", "rule", "messageId", "subject"] as const) expect(findingIdentity({ ...finding, [key]: "other" })).not.toBe(identity);
  });
});
