// Help that teaches: every command's --help ends with examples that work, and `careplan help
// <topic>` explains rules, waivers and presets from the data, pointing to docs/ that exist.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { CHECK_RULES } from "../../src/rules/registry.js";
import { PRESETS } from "../../src/timescales/policy.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const TODAY = "2026-03-02";

/** The commands a help text lists under "Commands:". */
function listed(help: string): string[] {
  const start = help.indexOf("\nCommands:\n");
  if (start === -1) return [];
  const section = help.slice(start, help.indexOf("\n\n", start + 1));
  return [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!);
}

/** The commands `careplan --help` lists, and the subcommands each of them lists ("templates show"). */
async function commands(): Promise<string[]> {
  const all: string[] = [];
  for (const name of listed((await runCli(["--help"], { cwd: PACKAGE_ROOT })).stdout)) {
    all.push(name);
    // commander's own `help [command]` of a command with subcommands is no command of careplan's.
    const subcommands = listed((await runCli([name, "--help"], { cwd: PACKAGE_ROOT })).stdout).filter((sub) => sub !== "help");
    all.push(...subcommands.map((sub) => `${name} ${sub}`));
  }
  return all;
}

async function help(command: string): Promise<string> {
  const run = await runCli(command === "careplan" ? ["--help"] : [...command.split(" "), "--help"], { cwd: PACKAGE_ROOT });
  expect(run.code).toBe(0);
  return run.stdout;
}

/** The examples at the end of a help text: what each does, and the command line. */
function examples(text: string): { what: string; command: string }[] {
  const block = text.slice(text.indexOf("\nExamples:\n"));
  return [...block.matchAll(/^ {2}# (.+)\n {2}\$ (.+)$/gm)].map((m) => ({ what: m[1]!, command: m[2]! }));
}

/** A command line as a shell splits it, up to a redirection or a pipe (the example's own words). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|([^\s"']+)/g)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] !== undefined && /^[|>;&]/.test(word)) break;
    out.push(word);
  }
  return out;
}

describe("every command's --help ends with examples", () => {
  it("lists the commands it documents", async () => {
    expect(await commands()).toEqual(expect.arrayContaining(["init", "new", "check", "timeline", "stats", "report", "completion", "help", "templates", "templates show"]));
  });

  it("has two or three examples after its options, for the program and each command", async () => {
    for (const command of ["careplan", ...(await commands())]) {
      const text = await help(command);
      const found = examples(text);
      expect(found.length, `${command} --help: examples`).toBeGreaterThanOrEqual(2);
      expect(found.length, `${command} --help: examples`).toBeLessThanOrEqual(3);
      expect(text.indexOf("\nExamples:\n"), `${command} --help: examples come last`).toBeGreaterThan(Math.max(text.indexOf("Commands:"), text.indexOf("Options:")));
      for (const example of found) expect(words(example.command)[0]).toBe("careplan");
      // Nothing but the examples and a pointer to read more follows them.
      expect(text.slice(text.indexOf("\nExamples:\n")).split("\n").filter((line) => line !== "").every((line) => /^(Examples:| {2}[#$] |Learn more: )/.test(line))).toBe(true);
    }
  });

  describe("and each example works, run in a copy of the example repository", () => {
    const temp = temporaryFolder("careplan-examples-");
    const root = join(temp.path, "cases");
    beforeAll(() => {
      cpSync(join(PACKAGE_ROOT, "fixtures/example"), root, { recursive: true });
      // check --changed asks git: a repository with everything committed.
      const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=careplan", "-c", "user.email=careplan@example.org", ...args], { cwd: root, stdio: "ignore" });
      git("init", "-q");
      git("add", "-A");
      git("commit", "-qm", "example");
    });
    afterAll(() => temp.remove());

    it("every example of every command", async () => {
      const tried = new Set<string>();
      for (const command of ["careplan", ...(await commands())]) {
        // An example shown twice (the program's and its command's) runs once: init would refuse a second time.
        for (const example of examples(await help(command)).filter((e) => !tried.has(e.command))) {
          const argv = words(example.command).slice(1);
          // One that runs until stopped is parsed only: its options are checked, then help is shown.
          const run = await runCli(argv.includes("--watch") ? [...argv, "--help"] : argv, { cwd: root, today: TODAY });
          expect(run.stderr, example.command).not.toMatch(/error: (unknown|missing|option)/);
          expect([0, argv[0] === "check" ? 1 : 0], `${example.command}\n${run.stderr}`).toContain(run.code);
          tried.add(example.command);
        }
      }
      expect(tried.size).toBeGreaterThanOrEqual(20);
    });
  });
});

describe("careplan help <topic>", () => {
  it("is a command's own help for a command", async () => {
    expect((await runCli(["help", "timeline"], { cwd: PACKAGE_ROOT })).stdout).toBe(await help("timeline"));
    expect((await runCli(["help"], { cwd: PACKAGE_ROOT })).stdout).toBe(await help("careplan"));
    expect((await runCli(["help", "templates", "show"], { cwd: PACKAGE_ROOT })).stdout).toBe(await help("templates show"));
  });

  it("presets: every preset from the data, with its title and source; one preset's rules", async () => {
    const text = (await runCli(["help", "presets"], { cwd: PACKAGE_ROOT })).stdout;
    for (const preset of PRESETS.values()) {
      expect(text).toContain(`  ${preset.name.padEnd(Math.max(...[...PRESETS.keys()].map((k) => k.length)))}  ${preset.title} (${preset.rules.length} rules)`);
      expect(text).toContain(preset.source);
      const one = await runCli(["help", "presets", preset.name], { cwd: PACKAGE_ROOT });
      expect(one.code).toBe(0);
      expect([...one.stdout.matchAll(/^ {2}([a-z.-]+): /gm)].map((m) => m[1])).toEqual(preset.rules.map((rule) => rule.id));
    }
    const england = (await runCli(["help", "presets", "england"], { cwd: PACKAGE_ROOT })).stdout;
    expect(england).toContain("  placement-plan: Placement plan for the placement\n      due: each placement's `start` + 5 working days\n");
  });

  it("rules: every check rule from the registry; waivers: the fields a waiver has", async () => {
    const rules = (await runCli(["help", "rules"], { cwd: PACKAGE_ROOT })).stdout;
    for (const rule of CHECK_RULES) expect(rules).toContain(rule.description);
    const waivers = (await runCli(["help", "waivers"], { cwd: PACKAGE_ROOT })).stdout;
    expect(waivers).toMatch(/waivers:\n {4}- rule: timescale\/visit\n {6}reason: .+\n {6}until: \d{4}-\d{2}-\d{2}\n/);
  });

  it("points only to documentation that exists", async () => {
    const texts = await Promise.all([...["rules", "waivers", "presets"].map((topic) => runCli(["help", topic], { cwd: PACKAGE_ROOT })), ...(await commands()).map((c) => runCli([...c.split(" "), "--help"], { cwd: PACKAGE_ROOT }))]);
    const pointers = new Set(texts.flatMap((run) => [...run.stdout.matchAll(/\b(docs\/[a-z-]+\.md|README\.md)/g)].map((m) => m[1]!)));
    expect(pointers.size).toBeGreaterThanOrEqual(5);
    for (const file of pointers) expect(existsSync(join(PACKAGE_ROOT, file)), file).toBe(true);
  });

  it.each([
    [["help", "bogus"], "help bogus: no such command or topic. The commands: init, new, check"],
    [["help", "presets", "nwcastle"], "nwcastle is not a preset. Did you mean `newcastle`?"],
    [["help", "waivers", "extra"], "careplan help waivers takes nothing more"],
    [["help", "timeline", "extra"], "help timeline extra: timeline has no command extra."],
  ])("%j exits 2: %s", async (argv, message) => {
    const run = await runCli(argv, { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
