// `careplan init` and `careplan new`, in process, over temporary repositories.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import jsYaml from "js-yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { PACKAGE_ROOT, TEMPLATES_DIR } from "../../src/assets.js";
import { normaliseText, splitFrontMatter } from "../../src/casefile/frontmatter.js";
import { scanSections } from "../../src/casefile/sections.js";
import { loadDocumentTypes } from "../../src/doctypes.js";
import { loadBuiltInForms, loadTemplates } from "../../src/templates/forms.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const PROFILE_WITHOUT_NAME = [
  "--set", "dob=2016-04-12",
  "--set", "looked_after_since=2026-01-05",
  "--set", "legal_status=interim-care-order",
  "--set", "iro.name=Pat Lee",
  "--set", "iro.email=pat.lee@example.org",
  "--set", "social_worker.name=Jo Khan",
  "--set", "placements.0.start=2025-06-01",
  "--set", "placements.0.end=2025-08-01",
  "--set", "placements.0.type=foster-care",
  "--set", "placements.1.start=2026-01-05",
  "--set", "placements.1.type=connected-person",
  "--set", "placements.1.provider=Aunt and uncle",
];
const PROFILE = ["--set", "name=Sam Example", ...PROFILE_WITHOUT_NAME];

/** The values each type needs that the profile and defaults do not give. */
const REQUIRED_SETS: Record<string, string[]> = {
  visit: ["--set", "seen_alone=true"],
  assessment: ["--set", "kind=child-and-family"],
};

let folder: { path: string; remove: () => void };
let repo: string;
const types = loadDocumentTypes();
const templates = loadTemplates(TEMPLATES_DIR);

function frontMatter(path: string): Record<string, unknown> {
  return jsYaml.load(splitFrontMatter(normaliseText(readFileSync(path, "utf8"))).yaml!, { schema: jsYaml.CORE_SCHEMA }) as Record<string, unknown>;
}

beforeEach(async () => {
  folder = temporaryFolder();
  repo = join(folder.path, "caseload");
  expect((await runCli(["init", "caseload"], { cwd: folder.path })).code).toBe(0);
  expect((await runCli(["new", "child", "--id", "AB-1042", ...PROFILE], { cwd: repo })).code).toBe(0);
});

afterEach(() => folder.remove());

describe("careplan init", () => {
  it("writes careplan.yaml, children/, a README and a .gitignore that keeps the cache out of git", () => {
    expect(readdirSync(repo).sort()).toEqual([".gitignore", "README.md", "careplan.yaml", "children"]);
    expect(readFileSync(join(repo, ".gitignore"), "utf8")).toMatch(/^\/\.careplan-cache\/$/m);
    expect(parseYaml(readFileSync(join(repo, "careplan.yaml"), "utf8"))).toMatchObject({ policy: "england", children: "children" });
  });

  it.each(["careplan.yaml", "README.md"])("refuses, writing nothing, when %s exists", async (existing) => {
    const target = join(folder.path, "second");
    await runCli(["init", "second"], { cwd: folder.path });
    const before = readFileSync(join(target, existing), "utf8");
    writeFileSync(join(target, existing), "mine\n");
    const run = await runCli(["init", "second"], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("already exist");
    expect(readFileSync(join(target, existing), "utf8")).toBe("mine\n");
    expect(before).not.toBe("mine\n");
  });
});

describe("careplan new: every template", () => {
  // Each version of each form, written on a day it is in force (the first version: before any other).
  const versions = [...loadBuiltInForms(TEMPLATES_DIR).values()]
    .filter((form) => form.type !== "child")
    .flatMap((form) => form.versions.map((template) => [form.type, template.since ?? "2026-01-12", template] as const));
  const scaffold = (type: string, date: string) => runCli(["new", type, "--child", "AB-1042", "--date", date, ...(REQUIRED_SETS[type] ?? [])], { cwd: repo, today: date });

  it.each(versions)("scaffolds a %s dated %s that keeps its schema and has that version's sections", async (type, date, template) => {
    const run = await scaffold(type, date);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const path = join(repo, "children/AB-1042", `${date}-${type}.md`);
    expect(run.stdout).toBe(`children/AB-1042/${date}-${type}.md\n`);
    const data = frontMatter(path);
    expect(types.get(type)!.at(date).validate(data)).toEqual([]);
    expect(data).toMatchObject({ type, child: "AB-1042", date });
    const split = splitFrontMatter(normaliseText(readFileSync(path, "utf8")));
    const headings = scanSections(split.body, split.bodyFirstLine).map((s) => s.heading);
    expect(headings).toEqual(template.sections.map((s) => s.heading));
  });

  it.each(versions)("a %s dated %s, as scaffolded, checks clean but for its empty sections", async (type, date, template) => {
    await scaffold(type, date);
    const file = `children/AB-1042/${date}-${type}.md`;
    const run = await runCli(["check", file, "--as-of", date, "--format", "json"], { cwd: repo });
    const findings = (JSON.parse(run.stdout) as { findings: { rule: string; message: string }[] }).findings;
    expect(findings.filter((f) => f.rule !== "section-empty")).toEqual([]);
    const required = template.sections.filter((s) => s.required).map((s) => s.heading);
    expect(findings.map((f) => f.message)).toEqual(required.map((h) => `the section "## ${h}" is empty: write it, or say why it does not apply`));
  });

  it("writes the profile it was given, valid against its schema", () => {
    const data = frontMatter(join(repo, "children/AB-1042/child.md"));
    expect(types.get("child")!.validate(data)).toEqual([]);
    expect(data).toMatchObject({ type: "child", id: "AB-1042", name: "Sam Example", placements: [{ start: "2025-06-01", end: "2025-08-01" }, { start: "2026-01-05" }] });
  });

  it("pre-fills from the profile: name, date of birth, IRO, social worker, the placement's start", async () => {
    await runCli(["new", "placement-plan", "--child", "AB-1042", "--date", "2026-01-09"], { cwd: repo });
    expect(frontMatter(join(repo, "children/AB-1042/2026-01-09-placement-plan.md"))).toMatchObject({
      name: "Sam Example",
      dob: "2016-04-12",
      placement_start: "2026-01-05",
      placement_type: "connected-person",
      provider: "Aunt and uncle",
      iro: { name: "Pat Lee", email: "pat.lee@example.org" },
      social_worker: { name: "Jo Khan" },
    });
    // On a date during the earlier placement, the plan is for that one.
    await runCli(["new", "placement-plan", "--child", "AB-1042", "--date", "2025-06-03"], { cwd: repo });
    expect(frontMatter(join(repo, "children/AB-1042/2025-06-03-placement-plan.md"))).toMatchObject({ placement_start: "2025-06-01", placement_type: "foster-care" });
  });

  it("gives a care plan the default permanence plan", async () => {
    await runCli(["new", "care-plan", "--child", "AB-1042", "--date", "2026-01-12"], { cwd: repo });
    expect(frontMatter(join(repo, "children/AB-1042/2026-01-12-care-plan.md"))).toMatchObject({ permanence_plan: "not-yet-agreed", legal_status: "interim-care-order" });
  });
});

describe("careplan new: refusals", () => {
  it("never overwrites: exit 2, the way out named, the file unchanged byte for byte", async () => {
    const path = join(repo, "children/AB-1042/2026-01-12-care-plan.md");
    await runCli(["new", "care-plan", "--child", "AB-1042", "--date", "2026-01-12"], { cwd: repo });
    writeFileSync(path, "my edits\r\n");
    const run = await runCli(["new", "care-plan", "--child", "AB-1042", "--date", "2026-01-12"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("already exists");
    expect(run.stderr).toContain("--slug");
    expect(readFileSync(path, "utf8")).toBe("my edits\r\n");
    const second = await runCli(["new", "care-plan", "--child", "AB-1042", "--date", "2026-01-12", "--slug", "revised"], { cwd: repo });
    expect(second).toMatchObject({ code: 0, stdout: "children/AB-1042/2026-01-12-care-plan-revised.md\n" });
  });

  it("refuses a second profile for the same child", async () => {
    const run = await runCli(["new", "child", "--id", "AB-1042", ...PROFILE], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("already exists");
  });

  it.each(["../escape", "a/b", "-x", ".hidden", "x".repeat(65), "spaces here", ""])("refuses the child id %j and writes nothing", async (id) => {
    const before = readdirSync(join(repo, "children")).sort();
    const run = await runCli(["new", "child", "--id", id, ...PROFILE], { cwd: repo });
    expect(run.code).toBe(2);
    expect(readdirSync(join(repo, "children")).sort()).toEqual(before);
    expect(existsSync(join(folder.path, "escape"))).toBe(false);
  });

  it.each([
    [["new", "nonsense", "--child", "AB-1042"], "unknown document type"],
    [["new", "visit", "--child", "NOBODY", "--set", "seen_alone=true"], "new child --id NOBODY"],
    [["new", "visit", "--set", "seen_alone=true"], "--child <id> is required"],
    [["new", "visit", "--child", "AB-1042", "--date", "2026-02-30", "--set", "seen_alone=true"], "--date must be a real date"],
    [["new", "visit", "--child", "AB-1042", "--slug", "no spaces", "--set", "seen_alone=true"], "--slug"],
  ])("%j exits 2: %s", async (argv, message) => {
    const run = await runCli(argv, { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("careplan new: missing values without a terminal", () => {
  it("lists every missing value with the --set that supplies it, exits 2, writes nothing", async () => {
    const run = await runCli(["new", "child", "--id", "CD-1"], { cwd: repo });
    expect(run.code).toBe(2);
    for (const key of ["name", "dob", "looked_after_since", "legal_status", "iro.name", "social_worker.name"]) {
      expect(run.stderr).toMatch(new RegExp(`^ +${key.replace(".", "\\.")} +--set ${key.replace(".", "\\.")}=`, "m"));
    }
    expect(run.stderr).toContain("--set dob=YYYY-MM-DD");
    expect(existsSync(join(repo, "children/CD-1"))).toBe(false);
  });

  it("asks only for what the profile cannot give: a visit's seen_alone", async () => {
    const run = await runCli(["new", "visit", "--child", "AB-1042", "--date", "2026-01-12"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("seen_alone  --set seen_alone=true|false");
    expect(run.stderr).not.toContain("name");
  });
});

describe("careplan new --set", () => {
  it.each([
    ["seen_alone=maybe", "`seen_alone` must be true or false (yes or no)"],
    ["seen_alone=true", undefined],
    ["unannounced=1", "`unannounced` must be true or false"],
    ["nonsense=1", "`nonsense` is not a field"],
    ["type=review", "`type` is set by"],
    ["date=2026-01-01", "`date` is set by --date"],
  ])("%s", async (assignment, message) => {
    const run = await runCli(["new", "visit", "--child", "AB-1042", "--date", "2026-01-12", "--set", "seen_alone=true", "--set", assignment], { cwd: repo });
    if (message === undefined) expect(run.code).toBe(0);
    else {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it.each([
    ["dob=2014-02-30", "`dob` must be a real date"],
    ["legal_status=custody", "`legal_status` must be one of"],
    ["placements.2.start=2026-01-01", "set item 0 of the list first"],
    ["placements.x.start=2026-01-01", "chosen by its number"],
    ["iro=Pat", "set one by one"],
    ["name.first=Sam", "`name` has no parts"],
  ])("a bad value exits 2 naming the key, never echoing the value: %s", async (assignment, message) => {
    const run = await runCli(["new", "child", "--id", "EF-3", "--set", assignment], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    const value = assignment.split("=")[1]!;
    expect(run.stderr).not.toContain(value);
  });

  it("types values by the field: numbers of list items, booleans, dates stay strings", async () => {
    const run = await runCli(["new", "child", "--id", "EF-3", ...PROFILE, "--set", "placements.1.permanent=true"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(frontMatter(join(repo, "children/EF-3/child.md")).placements).toEqual([
      { start: "2025-06-01", end: "2025-08-01", type: "foster-care" },
      { start: "2026-01-05", type: "connected-person", provider: "Aunt and uncle", permanent: true },
    ]);
  });

  it("marks a move made in an emergency: placements.N.emergency is a boolean", async () => {
    const run = await runCli(["new", "child", "--id", "EF-3", ...PROFILE, "--set", "placements.1.emergency=true"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(frontMatter(join(repo, "children/EF-3/child.md")).placements[1]).toEqual({ start: "2026-01-05", type: "connected-person", provider: "Aunt and uncle", emergency: true });
    const wrong = await runCli(["new", "child", "--id", "EF-4", ...PROFILE, "--set", "placements.1.emergency=maybe"], { cwd: repo });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("placements.1.emergency");
  });

  it("round-trips YAML-hostile values exactly and cannot add a section", async () => {
    const hostile = fc.oneof(
      fc.constantFrom("---", "a: b", "# not a comment", "'quoted'", '"double"', "line\nbreak", "## Injected", "{{child.name}}", " padded ", "yes", "2026-01-01", "null", "~", "- item", "| block", "> folded", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`", "\ttab", "Zoë Ñandú 😀"),
      fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ""),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        const id = `R-${n++}`;
        const run = await runCli(["new", "child", "--id", id, ...PROFILE_WITHOUT_NAME, "--set", `name=${name}`], { cwd: repo });
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        const text = readFileSync(join(repo, "children", id, "child.md"), "utf8");
        const split = splitFrontMatter(normaliseText(text));
        expect(jsYaml.load(split.yaml!, { schema: jsYaml.CORE_SCHEMA })).toMatchObject({ name });
        expect(parseYaml(split.yaml!)).toMatchObject({ name });
        expect(scanSections(split.body, split.bodyFirstLine).map((s) => s.heading)).toEqual(templates.get("child")!.sections.map((s) => s.heading));
      }),
      { numRuns: 60 },
    );
  });
});

describe("careplan new --dry-run", () => {
  it("prints the document and writes nothing", async () => {
    const run = await runCli(["new", "review", "--child", "AB-1042", "--date", "2026-02-02", "--dry-run"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^---\ntype: review\nchild: AB-1042\ndate: 2026-02-02\n/);
    expect(run.stdout).toContain("## Decisions");
    expect(existsSync(join(repo, "children/AB-1042/2026-02-02-review.md"))).toBe(false);
  });
});

describe("the real binary", () => {
  it("runs init and new end to end (after npm run build)", () => {
    const bin = join(PACKAGE_ROOT, "bin/careplan");
    const env = { ...process.env, CI: "true" };
    execFileSync(bin, ["init", "real"], { cwd: folder.path, env });
    const out = execFileSync(bin, ["new", "child", "--id", "ZZ-1", ...PROFILE], { cwd: join(folder.path, "real"), env, encoding: "utf8" });
    expect(out).toBe("children/ZZ-1/child.md\n");
    let code = 0;
    try {
      execFileSync(bin, ["new", "visit", "--child", "ZZ-1"], { cwd: join(folder.path, "real"), env, stdio: "pipe" });
    } catch (error) {
      code = (error as { status: number }).status;
    }
    expect(code).toBe(2);
  });
});

describe("careplan new: safety", () => {
  it("refuses to write through a child's folder that links outside the repository", async () => {
    const { mkdirSync, symlinkSync } = await import("node:fs");
    const outside = join(folder.path, "outside");
    mkdirSync(outside);
    symlinkSync(outside, join(repo, "children", "LINKED"));
    const run = await runCli(["new", "child", "--id", "LINKED", ...PROFILE], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("leads outside the repository");
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe("careplan new on a terminal", () => {
  it("asks for each missing value, again after a bad answer, then writes", async () => {
    const { PassThrough } = await import("node:stream");
    const { main } = await import("../../src/cli.js");
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let shown = "";
    const stdout = { isTTY: true, write: (chunk: string) => ((shown += chunk), true) };
    let errors = "";
    const stderr = { write: (chunk: string) => ((errors += chunk), true) };
    const answers = ["maybe", "Yes"];
    const feed = setInterval(() => {
      if (shown.includes("seen_alone (true|false): ") && answers.length > 0) {
        stdin.write(`${answers.shift()}\n`);
        shown = shown.replace("seen_alone (true|false): ", "");
      }
    }, 5);
    try {
      const code = await main({ argv: ["new", "visit", "--child", "AB-1042", "--date", "2026-02-01"], env: {}, cwd: repo, stdin, stdout, stderr });
      expect(code, errors).toBe(0);
    } finally {
      clearInterval(feed);
    }
    expect(answers).toEqual([]);
    expect(frontMatter(join(repo, "children/AB-1042/2026-02-01-visit.md"))).toMatchObject({ seen_alone: true });
  });
});

describe("careplan new --set with keys that name JavaScript's own properties", () => {
  it.each(["__proto__.x=1", "constructor=1", "legal_status=constructor", "placements.0.__proto__=1"])("%s exits 2 and pollutes nothing", async (assignment) => {
    const run = await runCli(["new", "child", "--id", "PP-1", ...PROFILE, "--set", assignment], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("[object");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("careplan new: the first week", () => {
  const TODAY = "2026-03-02";
  const newVisit = (...args: string[]) => runCli(["new", "visit", "--child", "AB-1042", "--set", "seen_alone=true", ...args], { cwd: repo, today: TODAY });

  it.each([
    [["--date", "2026-03-03"], "--date 2026-03-03 is after today (2026-03-02): a document records what has happened. Give the day it happened, or add --force to write it all the same."],
    [["--date", "2016-04-11"], "--date 2016-04-11 is before the child's date of birth (`dob` in the profile): check the date, or add --force to write it all the same."],
  ])("%j is refused without --force, and written with it", async (args, message) => {
    const refused = await newVisit(...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`careplan: ${message}\n`);
    expect(readdirSync(join(repo, "children/AB-1042"))).toEqual(["child.md"]);
    expect((await newVisit(...args, "--force")).code).toBe(0);
  });

  it("today and the date of birth itself are allowed", async () => {
    expect((await newVisit("--date", TODAY)).code).toBe(0);
    expect((await newVisit("--date", "2016-04-12")).code).toBe(0);
  });

  it("an unknown --child suggests the nearest ids", async () => {
    const run = await runCli(["new", "visit", "--child", "AB-1024", "--set", "seen_alone=true"], { cwd: repo, today: TODAY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Did you mean --child AB-1042?");
  });

  it.each([
    ["seen_alone=yes", true],
    ["seen_alone=No", false],
    ["seen_alone=Y", true],
    ["seen_alone=n", false],
    ["seen_alone=TRUE", true],
  ])("--set %s writes YAML's own boolean", async (assignment, value) => {
    const run = await runCli(["new", "visit", "--child", "AB-1042", "--date", "2026-02-01", "--set", assignment], { cwd: repo, today: TODAY });
    expect(run.code, run.stderr).toBe(0);
    const data = frontMatter(join(repo, "children/AB-1042/2026-02-01-visit.md"));
    expect(data.seen_alone).toBe(value);
    expect(readFileSync(join(repo, "children/AB-1042/2026-02-01-visit.md"), "utf8")).toContain(`seen_alone: ${value}\n`);
  });

  it.each([
    ["seen_alone", "careplan: --set seen_alone: the value is missing: write --set seen_alone=true|false.\n"],
    ["unannounced", "careplan: --set unannounced: the value is missing: write --set unannounced=true|false.\n"],
    ["nonsense", "careplan: --set nonsense: the value is missing: write --set nonsense=<value>.\n"],
    ["=true", "careplan: --set takes key=value (for example --set iro.name=\"Sam Lee\"); the key before the = is missing.\n"],
  ])("--set %s says what is missing", async (assignment, message) => {
    const run = await runCli(["new", "visit", "--child", "AB-1042", "--date", "2026-02-01", "--set", assignment], { cwd: repo, today: TODAY });
    expect(run).toMatchObject({ code: 2, stderr: message });
  });

  it("a type beginning with a vowel takes an", async () => {
    const run = await runCli(["new", "assessment", "--child", "AB-1042", "--date", "2026-02-01"], { cwd: repo, today: TODAY });
    expect(run.stderr).toMatch(/^careplan: an assessment needs values that were not given/);
    const wrongFlag = await runCli(["new", "assessment", "--id", "AB-1042"], { cwd: repo, today: TODAY });
    expect(wrongFlag.stderr).toBe("careplan: an assessment takes --child <id>, not --id.\n");
  });

  it.each(["--child", "--date", "--slug", "--id", "--config"])("%s given twice is a usage error, and nothing is written", async (flag) => {
    const values: Record<string, [string, string]> = { "--child": ["AB-1042", "AB-1043"], "--date": ["2026-02-01", "2026-02-02"], "--slug": ["a", "b"], "--id": ["X-1", "X-2"], "--config": ["careplan.yaml", "careplan.yaml"] };
    const [first, second] = values[flag]!;
    const run = await runCli(["new", "visit", "--set", "seen_alone=true", flag, first, flag, second], { cwd: repo, today: TODAY });
    expect(run).toMatchObject({ code: 2, stderr: `careplan: ${flag} was given twice; it takes one value: give it once.\n` });
    expect(readdirSync(join(repo, "children/AB-1042"))).toEqual(["child.md"]);
  });
});
