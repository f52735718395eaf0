// Issue 14, class 5: control characters from a repository (file and folder names, action texts,
// names, headings, a local rule's title, a template's title) or from the command line never reach
// a terminal, a CI log or a report raw, and never start a line of their own. Every command and
// format runs over a repository written with hostile names and texts (test/security/hostile-text.ts).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_FORMATS } from "../../src/commands/check.js";
import { STATS_BY, STATS_FORMATS } from "../../src/commands/stats.js";
import { TIMELINE_FORMATS } from "../../src/commands/timeline.js";
import { runCli, temporaryFolder, type Run } from "../cli-harness.js";
import { CONTROL, FORGED, HOSTILE_CHILD as child, outputProblems, writeHostileRepository } from "./hostile-text.js";

const AS_OF = "2026-03-02";
const folder = temporaryFolder("careplan-hostile-");
// The repository's own folder is hostile too: stylish paths and usage errors show it from the cwd.
const REPO_FOLDER = `repo\u001b[2J\n${FORGED}`;
let repo: string;

beforeAll(() => {
  repo = writeHostileRepository(folder.path, REPO_FOLDER);
});
afterAll(() => folder.remove());

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: folder.path, env });

/** Both streams obey the rules; a format with CRLF lines (iCalendar, CSV) may end its lines so. */
function expectClean(result: Run, options: { crlf?: boolean; colour?: boolean; json?: boolean; wrapped?: boolean } = {}): void {
  expect(outputProblems(result.stdout, options)).toEqual([]);
  expect(outputProblems(result.stderr)).toEqual([]);
  // The guard (common/safe-text.ts) is the last check, not the way: the reporters escaped it all.
  if (!options.json) expect(result.stdout + result.stderr).not.toMatch(/\\u00[0-9a-f]{2}|\\u20[26][0-9a-f]/);
  expect(result.stderr).not.toMatch(/internal error/);
}

/** Every table in a Markdown text keeps its header's number of columns. */
function tableColumns(markdown: string): { header: number; row: number; line: string }[] {
  const wrong: { header: number; row: number; line: string }[] = [];
  let header: number | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      header = undefined;
      continue;
    }
    const cells = line.replace(/\\\\/g, "").replace(/\\\|/g, "").split("|").length - 2;
    header ??= cells;
    if (cells !== header) wrong.push({ header, row: cells, line });
  }
  return wrong;
}

describe("the repository is as hostile as it claims", () => {
  it("its file and folder names and texts hold raw control characters", () => {
    const names = readdirSync(join(repo, "children")).concat(readdirSync(join(repo, "children", child)));
    expect(names.filter((name) => CONTROL.test(name) || name.includes("\n")).length).toBe(7);
    expect(readFileSync(join(repo, "children", child, "2025-06-10-care-plan.md"), "utf8")).toMatch(CONTROL);
  });

  it("the hostile texts reach the outputs (as printable text): the tests below are not vacuous", async () => {
    const timeline = await run(["timeline", REPO_FOLDER, "--as-of", AS_OF, "--all", "--format", "json"]);
    const titles = JSON.parse(timeline.stdout).items.map((item: { title: string }) => item.title);
    expect(titles.some((title: string) => title.includes("\u001b[2J") && title.includes(FORGED))).toBe(true);
    expect(titles.some((title: string) => title.includes("Hostile\u001b[2J rule"))).toBe(true);
    const check = await run(["check", REPO_FOLDER, "--as-of", AS_OF, "--format", "json"]);
    const files = JSON.parse(check.stdout).findings.map((f: { file: string }) => f.file);
    expect(files.filter((file: string) => CONTROL.test(file)).length).toBeGreaterThanOrEqual(6);
  });
});

describe("check", () => {
  it.each(CHECK_FORMATS)("--format %s", async (format) => {
    const summaryFolder = temporaryFolder();
    const summary = join(summaryFolder.path, "summary.md");
    try {
      const result = await run(["check", REPO_FOLDER, "--as-of", AS_OF, "--format", format], { GITHUB_STEP_SUMMARY: summary });
      expect(result.code).toBe(1);
      expectClean(result, { json: ["json", "sarif", "gitlab"].includes(format) });
      if (format === "github") {
        const json = JSON.parse((await run(["check", REPO_FOLDER, "--as-of", AS_OF, "--format", "json"])).stdout);
        const lines = result.stdout.split("\n").slice(0, -1);
        // Exactly one workflow command per finding, and nothing else.
        expect(lines).toHaveLength(json.findings.length);
        for (const line of lines) expect(line).toMatch(/^::(error|warning) file=[^,]*,line=\d+,col=\d+,title=[^:]*::/);
        const text = readFileSync(summary, "utf8");
        expect(outputProblems(text)).toEqual([]);
        expect(tableColumns(text)).toEqual([]);
      }
      if (["json", "sarif", "gitlab"].includes(format)) {
        // Machine formats keep a path exact: the escapes read back as the characters.
        expect(JSON.stringify(JSON.parse(result.stdout))).toMatch(/\\u001b\[2J/);
      }
    } finally {
      summaryFolder.remove();
    }
  });

  it("with colour: careplan's own colours, nothing from the files", async () => {
    const result = await run(["check", REPO_FOLDER, "--as-of", AS_OF, "--color"]);
    expect(result.stdout).toMatch(/\u001b\[31m/);
    expectClean(result, { colour: true });
  });

  it.each([["--fix-dry-run"], ["--quiet"], ["--no-baseline"]])("%s", async (flag) => {
    const result = await run(["check", REPO_FOLDER, "--as-of", AS_OF, flag]);
    expectClean(result);
  });

  it("--fix lists what it added, headings from the repository's own template included", async () => {
    const copy = temporaryFolder();
    try {
      writeHostileRepository(copy.path, REPO_FOLDER);
      const result = await runCli(["check", REPO_FOLDER, "--as-of", AS_OF, "--fix", "--format", "json"], { cwd: copy.path });
      expect(result.stderr).toMatch(/What happened/);
      expectClean(result, { json: true });
    } finally {
      copy.remove();
    }
  });
});

describe("timeline", () => {
  it.each(TIMELINE_FORMATS.flatMap((format) => [[format, "week"], [format, "child"]]))("--format %s --group %s", async (format, group) => {
    const result = await run(["timeline", REPO_FOLDER, "--as-of", AS_OF, "--all", "--format", format, "--group", group]);
    expect(result.code).toBe(0);
    expectClean(result, { crlf: format === "ics", json: format === "json" });
    if (format === "markdown") expect(tableColumns(result.stdout)).toEqual([]);
    if (format === "ics") {
      expect(result.stdout.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      const calendar = new ICAL.Component(ICAL.parse(result.stdout));
      const json = JSON.parse((await run(["timeline", REPO_FOLDER, "--as-of", AS_OF, "--all", "--format", "json"])).stdout);
      const childProblems = json.problems.filter((p: { leftOut: string }) => p.leftOut === "child").length;
      const events = calendar.getAllSubcomponents("vevent");
      expect(events).toHaveLength(json.items.length + childProblems);
      const allowed = new Set(["uid", "dtstamp", "dtstart", "dtend", "summary", "description", "categories", "transp"]);
      for (const event of events) {
        expect(event.getAllProperties().map((p) => p.name).filter((name) => !allowed.has(name))).toEqual([]);
        expect(event.getAllSubcomponents().map((c) => c.name)).toEqual(event.getAllSubcomponents().length ? ["valarm"] : []);
      }
      // An action's text arrives whole in its event, as text.
      const summaries = events.map((e) => String(e.getFirstPropertyValue("summary")));
      expect(summaries.some((s) => s.includes(`SUMMARY:${FORGED}`) && s.includes(`X-${FORGED}:1`))).toBe(true);
    }
  });

  it("the table on a terminal, wrapped to its width and coloured", async () => {
    const result = await runCli(["timeline", REPO_FOLDER, "--as-of", AS_OF, "--all", "--color"], { cwd: folder.path, tty: true, columns: 60 });
    // Long titles wrap onto lines of their own, indented under the title's column.
    expectClean(result, { colour: true, wrapped: true });
  });

  it("warnings on stderr name the files left out, printable", async () => {
    const result = await run(["timeline", REPO_FOLDER, "--as-of", AS_OF]);
    expect(result.stderr).toMatch(/warning: /);
    expectClean(result);
  });
});

describe("stats and report", () => {
  it.each(STATS_FORMATS.flatMap((format) => STATS_BY.map((by) => [format, by])))("stats --format %s --by %s", async (format, by) => {
    const result = await run(["stats", REPO_FOLDER, "--from", "2025-06-01", "--to", AS_OF, "--format", format, "--by", by]);
    expect(result.code).toBe(0);
    expectClean(result, { crlf: format === "csv", json: format === "json" });
    if (format === "markdown") expect(tableColumns(result.stdout)).toEqual([]);
  });

  it("report -o: the page and what is said about it", async () => {
    const page = join(folder.path, `report\u001b[2J\n${FORGED}.html`);
    const result = await run(["report", REPO_FOLDER, "--as-of", AS_OF, "-o", page]);
    expect(result.code).toBe(0);
    expectClean(result);
    expect(outputProblems(readFileSync(page, "utf8"))).toEqual([]);
  });
});

describe("templates and new", () => {
  it.each([["list"], ["show", "hostile-form"], ["check"], ["schema", "hostile-form"]])("templates %s", async (...args) => {
    const result = await runCli(["templates", ...args], { cwd: join(folder.path, REPO_FOLDER) });
    expect(result.code).toBe(0);
    expectClean(result, { json: args[0] === "schema" });
  });

  it("new --dry-run, pre-filled from a hostile profile", async () => {
    const result = await runCli(["new", "care-plan", "--child", child, "--date", "2026-03-01", "--dry-run", "--set", "permanence_plan=adoption"], { cwd: join(folder.path, REPO_FOLDER), today: AS_OF });
    expect(result.code).toBe(0);
    expect(outputProblems(result.stdout).filter((p) => p.startsWith("raw"))).toEqual([]);
    expectClean({ ...result, stdout: "" });
  });
});

describe("shell completion", () => {
  it.each([["--child"], ["--worker"], ["--team"]])("%s offers no name holding a control character: one candidate a line", async (flag) => {
    const result = await runCli(["__complete", "timeline", flag, ""], { cwd: join(folder.path, REPO_FOLDER) });
    expect(result.stdout.split("\n").filter((line) => line !== "").every((line) => !CONTROL.test(line))).toBe(true);
    expect(result.stdout).not.toMatch(new RegExp(`^${FORGED}`, "m"));
    expectClean(result);
  });
});

describe("usage and configuration errors echo what was given printable, on one line", () => {
  const hostile = `x\u001b[2J\n${FORGED}\u202e`;
  it.each([
    ["a path that does not exist", ["check", hostile]],
    ["--config naming nothing", ["check", REPO_FOLDER, "--config", hostile]],
    ["--child naming no child", ["timeline", REPO_FOLDER, "--as-of", AS_OF, "--child", hostile]],
    ["--worker naming nobody", ["timeline", REPO_FOLDER, "--as-of", AS_OF, "--worker", hostile]],
    ["--rule naming no rule", ["stats", REPO_FOLDER, "--from", "2025-06-01", "--to", AS_OF, "--rule", hostile]],
    ["a value not among the choices (commander's own message)", ["check", REPO_FOLDER, "--format", hostile]],
    ["an unknown option (commander's own message)", ["check", `--${hostile}`]],
    ["an unknown command", [hostile]],
    ["--set with no value", ["new", "visit", "--child", child, "--config", join(REPO_FOLDER, "careplan.yaml"), "--set", hostile]],
    ["an unknown type", ["new", hostile, "--child", child, "--config", join(REPO_FOLDER, "careplan.yaml")]],
    ["templates show of an unknown type", ["templates", "show", hostile, "--config", join(REPO_FOLDER, "careplan.yaml")]],
    ["-o into a folder that does not exist", ["check", REPO_FOLDER, "--as-of", AS_OF, "-o", join(hostile, "x.json")]],
  ])("%s", async (_what, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/FORGED/);
    expectClean(result);
  });

  it.each([
    ["a policy that is no preset", `policy: "engl\\e[2Jand\\n${FORGED}"`],
    ["an unknown setting", `"polic\\e[2Jy\\n${FORGED}": england`],
    ["a rule key that is no rule", `rules: { "visit\\e[2J\\n${FORGED}": off }`],
    ["a local rule naming an unknown type", `rules: { r: { kind: recurrence, title: t, type: "visit\\e[2J\\n${FORGED}", interval: 1, unit: weeks } }`],
    ["an unknown limit", `limits: { "x\\e[2J\\n${FORGED}": 1 }`],
    ["a severity for a rule", `severity: { "x\\e[2J\\n${FORGED}": loud }`],
    ["a templates folder that does not exist", `templates: "t\\e[2J\\n${FORGED}"`],
  ])("careplan.yaml with %s: described, not echoed", async (_what, yaml) => {
    const config = temporaryFolder();
    try {
      const root = writeHostileRepository(config.path);
      writeFileSync(join(root, "careplan.yaml"), yaml + "\n");
      const result = await runCli(["check", "--as-of", AS_OF], { cwd: root });
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/FORGED|\\e|\uFFFD/);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expectClean(result);
    } finally {
      config.remove();
    }
  });
});
