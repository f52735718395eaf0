// A repository that is hostile or broken, run through `check` as a user would: what a file system
// can hold (pipes, devices, links out of the repository), what careplan.yaml can say (alias
// bombs, huge intervals) and documents beyond the limits. Each case stalled, crashed or read
// outside the repository before the protection it names; each now ends in a finding for that
// file (the run goes on) or a configuration error (exit 2) that names the file and what to do.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { readRegularFile } from "../../src/common/read-file.js";
import { runCli } from "../cli-harness.js";

const AS_OF = "2026-01-20";
const work = mkdtempSync(join(tmpdir(), "careplan-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let count = 0;
/** A copy of the small fixture (one child, AB-1, with a visit) to break. */
function repository(): string {
  const path = join(work, `repo-${++count}`);
  cpSync(join(PACKAGE_ROOT, "fixtures/check/small"), path, { recursive: true });
  rmSync(join(path, "careplan.yaml"));
  return path;
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

async function check(repo: string, ...extra: string[]): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  const run = await runCli(["check", repo, "--as-of", AS_OF, "--format", "json", ...extra], { cwd: repo });
  return { code: run.code, stderr: run.stderr, findings: run.code === 2 ? [] : (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings };
}

const mkfifo = (path: string) => execFileSync("mkfifo", [path]);
const VISIT = "children/AB-1/2026-01-09-visit.md";
const NEW_VISIT = "children/AB-1/2026-01-12-visit.md";

describe("reads check the file before opening it", () => {
  // A document its folder's listing showed as a plain file is opened without a check first: what
  // is put in its place between the listing and the open is caught on the open itself.
  it.each([
    ["a link to a file outside the repository", (path: string) => {
      writeFileSync(join(work, "outside.md"), "---\ntype: visit\n---\n");
      symlinkSync(join(work, "outside.md"), path);
    }],
    ["a named pipe (the open does not wait for a writer)", (path: string) => mkfifo(path)],
  ])("a document swapped after its folder was listed for %s is not read", (_, swap) => {
    const path = join(work, `swapped-${++count}.md`);
    swap(path);
    expect(readRegularFile(path, 1024 * 1024, true)).toEqual({ ok: false, problem: { kind: "not-a-file" } });
  });

  it("a named pipe as a document is a `read` finding; the run goes on", async () => {
    const repo = repository();
    mkfifo(join(repo, NEW_VISIT));
    const result = await check(repo);
    expect(result.findings).toContainEqual(expect.objectContaining({ file: NEW_VISIT, rule: "read", message: expect.stringMatching(/not a regular file/) }));
    expect(result.findings).toContainEqual(expect.objectContaining({ file: VISIT, rule: "schema" }));
  });

  it("a named pipe as a child's profile is a `read` finding", async () => {
    const repo = repository();
    rmSync(join(repo, "children/AB-1/child.md"));
    mkfifo(join(repo, "children/AB-1/child.md"));
    expect((await check(repo)).findings).toContainEqual(expect.objectContaining({ file: "children/AB-1/child.md", rule: "read" }));
  });

  it("shell completion of --worker passes over a profile that is a named pipe (it hung at every TAB)", async () => {
    const repo = repository();
    mkdirSync(join(repo, "children/CD-2"));
    mkfifo(join(repo, "children/CD-2/child.md"));
    const run = await runCli(["__complete", "timeline", "--worker", ""], { cwd: repo });
    expect(run.stdout).toBe("Jo Khan\n:nofiles\n");
  });

  it("a named pipe as careplan.yaml is a configuration error", async () => {
    const repo = repository();
    mkfifo(join(repo, "careplan.yaml"));
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/careplan\.yaml: not a regular file .*careplan\.yaml must be a plain text file\./);
  });

  it("careplan.yaml linked to /dev/zero is a configuration error, read no further than its type", async () => {
    const repo = repository();
    symlinkSync("/dev/zero", join(repo, "careplan.yaml"));
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/careplan\.yaml: not a regular file/);
  });

  it("careplan.yaml larger than 1 MiB is a configuration error", async () => {
    const repo = repository();
    writeFileSync(join(repo, "careplan.yaml"), "# " + "x".repeat(1024 * 1024) + "\n");
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/careplan\.yaml: larger than 1 MiB/);
  });

  it("careplan.yaml that is a link to nothing is a configuration error, not skipped", async () => {
    const repo = repository();
    symlinkSync(join(repo, "nowhere.yaml"), join(repo, "careplan.yaml"));
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/careplan\.yaml: no such file \(or a link to nothing\)/);
  });

  it("a document that is a link to nothing is a `read` finding", async () => {
    const repo = repository();
    symlinkSync(join(repo, "children/AB-1/nowhere.md"), join(repo, NEW_VISIT));
    expect((await check(repo)).findings).toContainEqual(expect.objectContaining({ file: NEW_VISIT, rule: "read", message: expect.stringMatching(/broken link/) }));
  });
});

describe("links out of the repository", () => {
  it("a children folder that links out is a configuration error, and nothing in it is read", async () => {
    const repo = repository();
    const outside = join(work, `outside-${++count}`);
    cpSync(join(repo, "children"), outside, { recursive: true });
    rmSync(join(repo, "children"), { recursive: true });
    symlinkSync(outside, join(repo, "children"));
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/children: the children folder is a link to a folder outside the repository .*Move the folder into the repository/);
  });

  it("`new` refuses it too, and writes nothing there", async () => {
    const repo = repository();
    const outside = join(work, `outside-${++count}`);
    mkdirSync(outside);
    rmSync(join(repo, "children"), { recursive: true });
    symlinkSync(outside, join(repo, "children"));
    const run = await runCli(["new", "child", "--id", "ZZ-1", "--set", "name=A"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/outside the repository/);
  });

  it("a child's folder that links out is one `read` finding on the child; its files are not listed", async () => {
    const repo = repository();
    const outside = join(work, `outside-${++count}`);
    cpSync(join(repo, "children/AB-1"), outside, { recursive: true });
    symlinkSync(outside, join(repo, "children/CD-2"));
    const result = await check(repo);
    const linked = result.findings.filter((f) => f.file.startsWith("children/CD-2/"));
    expect(linked).toEqual([expect.objectContaining({ file: "children/CD-2/child.md", rule: "read", message: expect.stringMatching(/child's folder is a link to somewhere outside the repository/) })]);
  });

  it("a child's folder that links inside the repository is read", async () => {
    const repo = repository();
    symlinkSync(join(repo, "children/AB-1"), join(repo, "children/AB-2"));
    const result = await check(repo);
    expect(result.findings).toContainEqual(expect.objectContaining({ file: "children/AB-2/2026-01-09-visit.md", rule: "schema" }));
  });
});

describe("careplan.yaml is read under fixed bounds", () => {
  it("an alias bomb is a configuration error", async () => {
    const repo = repository();
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [name, previous] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"]] as const) levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    writeFileSync(join(repo, "careplan.yaml"), levels.join("\n") + "\n");
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/careplan\.yaml: uses too many YAML aliases/);
  });

  it("deep nesting is a configuration error, not a crash", async () => {
    const repo = repository();
    writeFileSync(join(repo, "careplan.yaml"), "rules: " + "[".repeat(100_000) + "\n");
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/careplan\.yaml:1: lists and mappings are nested more than 20 levels deep/);
  });

  it.each([
    ["an override", "rules:\n  visit: { interval: 100000000, unit: working-days }\n", /`rules\.visit`: `interval` is more than 1000/],
    ["a local rule's intervals", "rules:\n  extra-visit:\n    kind: recurrence\n    title: Extra visit\n    type: visit\n    interval: 6\n    unit: weeks\n    intervals:\n      - { when: { in_care_less_than: { interval: 5000, unit: years } }, interval: 1, unit: weeks }\n", /`rules\.extra-visit`: `intervals\.0\.when\.in_care_less_than\.interval` is more than 1000/],
  ])("a huge interval in %s is a configuration error (it hung counting working days)", async (_, text, message) => {
    const repo = repository();
    writeFileSync(join(repo, "careplan.yaml"), text);
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("limits.interval raises the bound", async () => {
    const repo = repository();
    writeFileSync(join(repo, "careplan.yaml"), "limits: { interval: 2000 }\nrules:\n  visit: { interval: 1500, unit: days }\n");
    expect((await check(repo)).code).toBe(1);
  });
});

describe("limits:", () => {
  const deepValue = (levels: number) => "note: " + "[".repeat(levels - 1) + "1" + "]".repeat(levels - 1);
  const list = (items: number) => "actions:\n" + "  - x\n".repeat(items);
  const visitWith = (field: string) => `---\ntype: visit\nchild: AB-1\ndate: 2026-01-12\nseen_alone: true\n${field}\n---\n`;

  it.each([
    ["a document larger than document_size", "x".repeat(2000), "limits: { document_size: 1024 }", "read", /larger than 1 KiB: move attachments out of the document \(or raise `limits\.document_size`/],
    ["nesting deeper than the limit", deepValue(21), "", "yaml", /nested more than 20 levels deep/],
    ["nesting deeper than the limit, with an alias in the text", deepValue(21) + "\nother: &a 1\nagain: *a", "", "yaml", /nested more than 20 levels deep/],
    ["nesting deeper than a lower limit", deepValue(4), "limits: { nesting: 3 }", "yaml", /nested more than 3 levels deep/],
    ["a list longer than list_items", list(1001), "", "yaml", /this list has more than 1000 items/],
    ["a list longer than a lower limit", list(3), "limits: { list_items: 2 }", "yaml", /this list has more than 2 items/],
    ["more aliases than the limit", "a: &a [1]\nb: [" + Array(5).fill("*a").join(", ") + "]", "limits: { aliases: 4 }", "yaml", /too many YAML aliases/],
  ])("%s is a finding for that document; the run goes on", async (_, field, config, rule, message) => {
    const repo = repository();
    if (config) writeFileSync(join(repo, "careplan.yaml"), config + "\n");
    writeFileSync(join(repo, NEW_VISIT), visitWith(field));
    const result = await check(repo);
    expect(result.code).toBe(1);
    const ownRules = result.findings.filter((f) => f.file === NEW_VISIT && !f.rule.startsWith("section-"));
    expect(ownRules).toEqual([expect.objectContaining({ rule, message: expect.stringMatching(message) })]);
    expect(result.findings).toContainEqual(expect.objectContaining({ file: VISIT, rule: "schema" }));
  });

  it.each([
    ["as deep as the limit", deepValue(20), ""],
    ["as long as the limit", list(1000), ""],
    ["as long as a raised limit", list(5000), "limits: { list_items: 5000 }"],
  ])("a document %s has no `yaml` finding", async (_, field, config) => {
    const repo = repository();
    if (config) writeFileSync(join(repo, "careplan.yaml"), config + "\n");
    writeFileSync(join(repo, NEW_VISIT), visitWith(field));
    const result = await check(repo);
    expect(result.findings.filter((f) => f.file === NEW_VISIT && (f.rule === "yaml" || f.rule === "read"))).toEqual([]);
  });

  it("every item of a long malformed list is located, each at its line (the locator reads the text once)", async () => {
    const repo = repository();
    writeFileSync(join(repo, "careplan.yaml"), "limits: { list_items: 100000 }\n");
    const items = 50_000;
    writeFileSync(
      join(repo, "children/AB-1/2026-01-12-care-plan.md"),
      `---\ntype: care-plan\nchild: AB-1\ndate: 2026-01-12\npermanence_plan: adoption\nactions:\n${"  - x\n".repeat(items)}---\n`,
    );
    const schema = (await check(repo)).findings.filter((f) => f.file === "children/AB-1/2026-01-12-care-plan.md" && f.rule === "schema");
    expect(schema).toHaveLength(items);
    expect(schema[items - 1]).toMatchObject({ line: 7 + items - 1, column: 5 });
  }, 60_000);

  it.each([
    ["an unknown limit", "limits: { size: 1 }", /`limits\.size` is not a limit\. The limits are: document_size, nesting, aliases, list_items, interval\./],
    ["a limit that is not a whole number", "limits: { nesting: deep }", /`limits\.nesting` \(levels of lists and mappings in a front matter\) must be a whole number from 1 to 100; the default is 20\./],
    ["a limit beyond its ceiling", "limits: { document_size: 1000000000 }", /`limits\.document_size` .* from 1 to 16777216/],
    ["limits that are not a mapping", "limits: 5", /`limits` must be a mapping of document_size, nesting, aliases, list_items, interval/],
  ])("%s is a configuration error", async (_, config, message) => {
    const repo = repository();
    writeFileSync(join(repo, "careplan.yaml"), config + "\n");
    const result = await check(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("templates are read as carefully", () => {
  it("a template that is a named pipe is a problem naming it, never opened", async () => {
    const { ProblemList, readTemplateSource } = await import("../../src/templates/template.js");
    const path = join(work, `template-${++count}.md`);
    mkfifo(path);
    const problems = new ProblemList();
    expect(readTemplateSource(path, "templates/visit.md", "visit", problems)).toBeUndefined();
    expect(problems.problems).toEqual([{ file: "templates/visit.md", line: 1, message: "cannot be read: not a regular file (a folder, device or pipe)." }]);
  });

  it("an authority's templates folder holding a named pipe: the run completes", async () => {
    const repo = repository();
    mkdirSync(join(repo, "templates"));
    mkfifo(join(repo, "templates/visit.md"));
    writeFileSync(join(repo, "careplan.yaml"), "templates: templates\n");
    expect((await check(repo)).code).toBeLessThan(2);
  });
});
