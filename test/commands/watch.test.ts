// `careplan check --watch` and the VS Code tasks of `careplan init --vscode`: the watch runs again
// when a file changes, and the problem matchers read from the written tasks.json find in check's
// real output exactly the findings `check --format json` reports.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { main } from "../../src/cli.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
const AS_OF = "2026-03-02";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

/** A copy of the example repository, with VS Code's tasks written into it by init --vscode. */
async function repository(): Promise<string> {
  const temp = temporaryFolder("careplan-watch-");
  cleanups.push(temp.remove);
  cpSync(EXAMPLE, temp.path, { recursive: true });
  const init = await runCli(["init", "--vscode"], { cwd: temp.path });
  expect(init).toMatchObject({ code: 0, stderr: "", stdout: expect.stringContaining("Wrote .vscode/tasks.json") });
  return temp.path;
}

interface Matcher {
  fileLocation: [string, string];
  pattern: [{ regexp: string; file: number }, { regexp: string; line: number; column: number; severity: number; message: number; code: number; loop: boolean }];
  background?: { activeOnStart: boolean; beginsPattern: string; endsPattern: string };
}

function tasks(root: string): { label: string; command: string; args: string[]; isBackground?: boolean; problemMatcher: Matcher }[] {
  return (JSON.parse(readFileSync(join(root, ".vscode/tasks.json"), "utf8")) as { tasks: never[] }).tasks;
}

interface Problem {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  rule: string;
}

/**
 * What VS Code's multi-line matcher takes from the output: a line matching the first pattern
 * names the file; each following line matching the looped second pattern is a problem in it.
 */
function match(output: string, matcher: Matcher): Problem[] {
  const [fileLine, problemLine] = matcher.pattern.map((p) => new RegExp(p.regexp)) as [RegExp, RegExp];
  const [filePattern, problemPattern] = matcher.pattern;
  const problems: Problem[] = [];
  let file: string | undefined;
  for (const line of output.split("\n")) {
    const found = file === undefined ? null : problemLine.exec(line);
    if (found) {
      problems.push({
        file: file!,
        line: Number(found[problemPattern.line]),
        column: Number(found[problemPattern.column]),
        severity: found[problemPattern.severity]!,
        message: found[problemPattern.message]!,
        rule: found[problemPattern.code]!,
      });
      continue;
    }
    file = fileLine.exec(line)?.[filePattern.file];
  }
  return problems;
}

async function findings(root: string): Promise<Problem[]> {
  const run = await runCli(["check", "--as-of", AS_OF, "--format", "json"], { cwd: root });
  return (JSON.parse(run.stdout) as { findings: Problem[] }).findings.map(({ file, line, column, severity, message, rule }) => ({ file, line, column, severity, message, rule }));
}

/** Output that can be waited on, as a terminal shows it. */
class Terminal {
  text = "";
  private waiting: { test: (text: string) => boolean; resolve: () => void }[] = [];
  write(chunk: string): boolean {
    this.text += chunk;
    this.waiting = this.waiting.filter((w) => (w.test(this.text) ? (w.resolve(), false) : true));
    return true;
  }
  until(test: (text: string) => boolean): Promise<void> {
    return test(this.text) ? Promise.resolve() : new Promise((resolve) => this.waiting.push({ test, resolve }));
  }
}

describe("careplan check --watch", () => {
  it("checks, then checks again when a file changes, each run framed for the background matcher; stops when told", async () => {
    const root = await repository();
    const watchTask = tasks(root).find((task) => task.isBackground)!;
    expect(watchTask).toMatchObject({ label: "careplan: check --watch", command: "careplan", args: ["check", "--watch", "--no-color"] });
    const { beginsPattern, endsPattern } = watchTask.problemMatcher.background!;
    const runs = (text: string) => text.split("\n").filter((line) => new RegExp(endsPattern).test(line)).length;

    const stdout = new Terminal();
    const stderr = new Terminal();
    const stop = new AbortController();
    const exit = main({ argv: ["check", "--watch", "--as-of", AS_OF, "--no-color"], env: { CI: "true" }, cwd: root, stdout, stderr, signal: stop.signal });
    await stdout.until((text) => runs(text) === 1);
    const first = await findings(root);
    expect(match(stdout.text, watchTask.problemMatcher)).toEqual(first);

    // An empty section gets written: the warning goes, and the next run says so.
    const visit = join(root, "children/JK-7788/2026-02-16-visit.md");
    writeFileSync(visit, readFileSync(visit, "utf8").replace("## Home and bedroom\n", "## Home and bedroom\nA room of her own, newly decorated.\n"));
    await stdout.until((text) => runs(text) === 2);
    const second = await findings(root);
    expect(second).toEqual(first.filter((f) => f.rule !== "section-empty"));
    const lines = stdout.text.split("\n");
    const begins = lines.map((line, i) => (new RegExp(beginsPattern).test(line) ? i : -1)).filter((i) => i >= 0);
    expect(begins).toHaveLength(2);
    expect(match(lines.slice(begins[1]).join("\n"), watchTask.problemMatcher)).toEqual(second);

    stop.abort();
    expect(await exit).toBe(0);
    expect(stderr.text).toBe("");
  });

  it("keeps watching through a careplan.yaml that is wrong for a while, and says what is wrong", async () => {
    const root = await repository();
    const stdout = new Terminal();
    const stderr = new Terminal();
    const stop = new AbortController();
    const exit = main({ argv: ["check", "--watch", "--as-of", AS_OF], env: { CI: "true" }, cwd: root, stdout, stderr, signal: stop.signal });
    await stdout.until((text) => text.includes("[careplan] Watching"));
    writeFileSync(join(root, "careplan.yaml"), "policy: englnd\n");
    await stderr.until((text) => text.includes("careplan.yaml"));
    expect(stderr.text).toContain('`policy` names "englnd", which is not a preset');
    await stdout.until((text) => text.split("[careplan] Watching").length === 3);
    stop.abort();
    expect(await exit).toBe(0);
  });

  it.each([
    [["--format", "json"], "--watch prints the report for people and editors: leave out --format."],
    [["-o", "out.txt"], "--watch prints to the terminal: leave out -o."],
    [["no-such-folder"], "no-such-folder: no such file or folder."],
    [["--fix"], "--watch only reports: run careplan check --fix on its own, then watch."],
  ])("refuses %j with exit 2", async (args, message) => {
    const run = await runCli(["check", "--watch", ...args], { cwd: EXAMPLE });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("careplan init --vscode", () => {
  it("the one-off task's matcher finds in check's real output exactly its findings", async () => {
    const root = await repository();
    const task = tasks(root).find((t) => !t.isBackground)!;
    expect(task).toMatchObject({ label: "careplan: check", command: "careplan", args: ["check", "--no-color"] });
    expect(task.problemMatcher.fileLocation).toEqual(["relative", "${workspaceFolder}"]);
    // Findings in three files, one an error at a line of its own, so that every part of the pattern is tried.
    const review = join(root, "children/AB-1042/2026-02-02-review.md");
    writeFileSync(review, readFileSync(review, "utf8").replace(/^date: 2026-02-02$/m, "date: 2026-02-30"));
    const run = await runCli([...task.args, "--as-of", AS_OF], { cwd: root });
    expect(run.code).toBe(1);
    const expected = await findings(root);
    expect(expected.length).toBeGreaterThan(3);
    expect(new Set(expected.map((f) => f.file)).size).toBeGreaterThanOrEqual(3);
    expect(match(run.stdout, task.problemMatcher)).toEqual(expected);
    // Nothing is found in a clean run's summary.
    expect(match("✓ 75 files checked as of 2026-03-02: no problems.\n", task.problemMatcher)).toEqual([]);
  });

  it("is the matcher docs/editor.md shows", async () => {
    const root = await repository();
    const docs = readFileSync(join(PACKAGE_ROOT, "docs/editor.md"), "utf8");
    const shown = JSON.parse(`{${/```json\n("problemMatcher": \{[\s\S]*?\n\})\n```/.exec(docs)![1]!}}`) as { problemMatcher: Matcher };
    expect(shown.problemMatcher).toEqual(tasks(root).find((task) => task.isBackground)!.problemMatcher);
  });

  it("starts a new repository with the tasks, and never writes over a tasks.json", async () => {
    const temp = temporaryFolder("careplan-vscode-");
    cleanups.push(temp.remove);
    const run = await runCli(["init", "cases", "--vscode"], { cwd: temp.path });
    expect(run).toMatchObject({ code: 0, stdout: "Started a case-file repository in cases: careplan.yaml, children/, README.md, .gitignore, .vscode/tasks.json.\nNext: careplan new child --id <id>\n" });
    const before = readFileSync(join(temp.path, "cases/.vscode/tasks.json"), "utf8");
    const again = await runCli(["init", "cases", "--vscode"], { cwd: temp.path });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(".vscode/tasks.json already exists: nothing was written.");
    expect(readFileSync(join(temp.path, "cases/.vscode/tasks.json"), "utf8")).toBe(before);
  });
});
