// Shell completion: what `careplan __complete` offers for a command line being typed, and the
// scripts at work in real shells: bash sourcing its script and asking _careplan; zsh and fish
// where they are installed (checked for syntax, and asked, with a message when they are not).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli } from "../cli-harness.js";

const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
const TYPES = ["assessment", "care-plan", "care-planning-meeting", "child", "health-assessment", "pathway-plan", "pep", "placement-plan", "review", "visit"];
const CHILDREN = ["AB-1042", "CD-2210", "EF-0317", "GH-5120", "JK-7788"];

async function complete(words: string[], cwd = EXAMPLE): Promise<string[]> {
  const run = await runCli(["__complete", ...words], { cwd, today: "2026-03-02" });
  expect(run).toMatchObject({ code: 0, stderr: "" });
  return run.stdout.trimEnd().split("\n");
}

describe("careplan __complete <words...>", () => {
  it.each([
    // (every command `careplan --help` lists: below)
    [["ti"], ["timeline", ":nofiles"]],
    [["-"], ["--help", "--version", ":nofiles"]],
    [["new", ""], [...TYPES, ":nofiles"]],
    [["new", "care"], ["care-plan", "care-planning-meeting", ":nofiles"]],
    [["new", "visit", "--child", ""], [...CHILDREN, ":nofiles"]],
    [["timeline", "--child", "G"], ["GH-5120", ":nofiles"]],
    [["timeline", "--worker", ""], ["Amira Said", "Jo Khan", "Tom Reed", ":nofiles"]],
    [["timeline", "--team", "Children in Care W"], ["Children in Care West", ":nofiles"]],
    [["timeline", "--worker", "Jo\\ K"], ["Jo Khan", ":nofiles"]],
    [["timeline", "--format", ""], ["table", "json", "ics", "markdown", ":nofiles"]],
    [["check", "--format", "s"], ["stylish", "sarif", ":nofiles"]],
    [["stats", "--by", ""], ["rule", "child", "worker", "team", "month", "preset", ":nofiles"]],
    [["stats", "--rule", "review"], ["review.*", "review.first", "review.record", "review.second", "review.subsequent", ":nofiles"]],
    [["check", "--as-of", ""], ["2026-03-02", ":nofiles"]],
    [["completion", ""], ["bash", "zsh", "fish", ":nofiles"]],
    [["templates", ""], ["list", "show", "schema", "check", ":nofiles"]],
    [["templates", "show", "v"], ["visit", ":nofiles"]],
    [["templates", "show", "visit", "--"], ["--date", "--config", "--help", ":nofiles"]],
    [["help", "presets", ""], ["england", "care-planning-meetings", "newcastle", "stoke-on-trent", "sparks-fostering", ":nofiles"]],
    // Paths and files: the shell's own file names.
    [["check", ""], [":files"]],
    [["timeline", "-o", ""], [":files"]],
    [["init", ""], [":files"]],
    // Nothing to offer: a free text.
    [["new", "review", "--slug", ""], [":nofiles"]],
    [["bogus", ""], [":nofiles"]],
  ])("%j", async (words, expected) => {
    expect(await complete(words)).toEqual(expected);
  });

  it("offers every command `careplan --help` lists, and help every topic and command", async () => {
    const help = (await runCli(["--help"], { cwd: PACKAGE_ROOT })).stdout;
    const section = help.slice(help.indexOf("\nCommands:\n"), help.indexOf("\n\n", help.indexOf("\nCommands:\n") + 1));
    const listed = [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!);
    expect(listed).toEqual(expect.arrayContaining(["init", "new", "check", "timeline", "stats", "templates", "report", "completion", "help"]));
    expect(await complete([""])).toEqual([...listed, ":nofiles"]);
    expect(await complete(["help", ""])).toEqual(["rules", "waivers", "presets", ...listed.filter((name) => name !== "help"), ":nofiles"]);
  });

  it("offers each option once, unless it may be repeated", async () => {
    const options = await complete(["stats", "--by", "month", "--rule", "visit", "--"]);
    expect(options).not.toContain("--by");
    expect(options).toContain("--rule");
    expect(options).toContain("--from");
    expect(options.at(-1)).toBe(":nofiles");
  });

  it("reads child ids from the repository the command line names, else from the folder it is typed in", async () => {
    expect(await complete(["timeline", EXAMPLE, "--child", ""], PACKAGE_ROOT)).toEqual([...CHILDREN, ":nofiles"]);
    expect(await complete(["timeline", "--config", join(EXAMPLE, "careplan.yaml"), "--child", ""], PACKAGE_ROOT)).toEqual([...CHILDREN, ":nofiles"]);
    // Outside any repository: nothing, and no error.
    expect(await complete(["timeline", "--child", ""], "/")).toEqual([":nofiles"]);
  });

  it("prints a script for each shell, and refuses another", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const run = await runCli(["completion", shell], { cwd: PACKAGE_ROOT });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("careplan __complete");
    }
    const run = await runCli(["completion", "powershell"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("careplan completion needs a shell: bash, zsh, fish");
  });
});

// The scripts call `careplan` on the PATH: the built bin/careplan (npm test builds first).
const PATH = `${join(PACKAGE_ROOT, "bin")}${delimiter}${process.env.PATH ?? ""}`;
const has = (shell: string) => spawnSync(shell, ["-c", "exit 0"]).status === 0;

function shell(program: string, script: string, cwd = EXAMPLE): string {
  return execFileSync(program, ["-c", script], { cwd, env: { ...process.env, PATH }, encoding: "utf8" });
}

// Each TAB starts careplan anew: on a loaded machine a few of them take seconds (nothing here is timed).
describe("the scripts in real shells", { timeout: 60_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(PACKAGE_ROOT, "dist/src/cli.js"))) execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: PACKAGE_ROOT });
  });

  it.each([
    [["careplan", "new", '""'], 2, TYPES],
    [["careplan", "new", "visit", "--child", '""'], 4, CHILDREN],
    [["careplan", "timeline", "--worker", "J"], 3, ["Jo\\ Khan"]],
    [["careplan", "stats", "--by", "mo"], 3, ["month"]],
    [["careplan", "check", "../../fixtures/exa"], 2, ["../../fixtures/example"]],
  ])("bash: COMP_WORDS=(%s), COMP_CWORD=%i", (words, cword, expected) => {
    const out = shell("bash", `source <(careplan completion bash); COMP_WORDS=(${words.join(" ")}); COMP_CWORD=${cword}; _careplan; printf "%s\\n" "\${COMPREPLY[@]}"`);
    expect(out.trimEnd().split("\n")).toEqual(expected);
  });

  it.runIf(has("zsh"))("zsh: the script parses, and _careplan gives its candidates to compadd", () => {
    expect(shell("zsh", "careplan completion zsh | zsh -n && echo parsed").trim()).toBe("parsed");
    const out = shell("zsh", 'compdef() { : }; source <(careplan completion zsh); compadd() { print -rl -- "${@:2}" }; _files() { print FILES }; words=(careplan new ""); CURRENT=3; _careplan; words=(careplan check ""); CURRENT=3; _careplan');
    expect(out.trimEnd().split("\n")).toEqual([...TYPES, "FILES"]);
  });

  it.runIf(has("fish"))("fish: the script parses, and complete -C asks it", () => {
    expect(shell("fish", "careplan completion fish | fish --no-execute; and echo parsed").trim()).toBe("parsed");
    const out = shell("fish", 'careplan completion fish | source; complete -C "careplan new "; complete -C "careplan timeline --worker T"');
    expect(out.trimEnd().split("\n")).toEqual([...TYPES, "Tom Reed"]);
  });

  it("says which shells were not there to try", () => {
    const missing = ["zsh", "fish"].filter((name) => !has(name));
    if (missing.length > 0) console.warn(`Completion scripts not tried in ${missing.join(" and ")}: not installed here (bash was tried).`);
    expect(has("bash")).toBe(true);
  });
});
