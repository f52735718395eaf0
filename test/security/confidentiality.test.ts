// Issue 14, "confidentiality everywhere": a repository whose every free text, name and malformed
// value holds SENTINEL (fixtures/security/sentinels, with fixtures/check/sentinels' SN-1 beside
// it) through every command, format and error path. CONTRACT section 5 says what may show what:
// check, stats, baseline, warnings and errors show none; timeline shows an action's text (its
// title); stats --by worker and --by team show those names, the group keys. Every file a run
// creates in the repository (a baseline, a cache when there is one) is read too: it may hold
// dates, booleans and codes, never a sentinel nor a hash of one.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { CHECK_FORMATS } from "../../src/commands/check.js";
import { STATS_BY, STATS_FORMATS } from "../../src/commands/stats.js";
import { TIMELINE_FORMATS } from "../../src/commands/timeline.js";
import { runCli, temporaryFolder, type Run } from "../cli-harness.js";

const FIXTURE = join(PACKAGE_ROOT, "fixtures/security/sentinels");
const MORE = join(PACKAGE_ROOT, "fixtures/check/sentinels/children/SN-1");
const AS_OF = "2026-03-02";
const PERIOD = ["--from", "2025-09-01", "--to", AS_OF];

/** Every file of a folder, as paths from it. */
function filesUnder(root: string, folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(root, path) : [relative(root, path)];
  });
}

/** The case files' lines (not the fixture's README). */
const LINES = [FIXTURE, MORE].flatMap((root) =>
  filesUnder(root)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .flatMap((file) => readFileSync(join(root, file), "utf8").split("\n")),
);

/** The values planted in the case files, whole: a field's value, a heading, a line of text. */
const PLANTED = LINES.filter((line) => /SENTINEL/i.test(line)).map((line) => {
  const value = /^\s*(?:- )?[\w-]+:\s+(.*)$/.exec(line)?.[1] ?? line.replace(/^[#\s]*/, "");
  return value.trim().replace(/^"(.*)"?$/, "$1");
});

/** An action's text is its title in the timeline: the only sentinels a timeline may show. */
const ACTION_TEXTS = LINES.flatMap((line) => /^\s*- action: (.*)$/.exec(line)?.[1]?.trim() ?? []);

/** What is left of the sentinels once those the view may show are taken out. */
function leaks(text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const shown of [...allowed].sort((a, b) => b.length - a.length)) rest = rest.split(shown).join("");
  return [...rest.matchAll(/.{0,40}SENTINEL.{0,40}/gi)].map((m) => m[0]);
}

/** Each planted value's hashes, in the forms a cache might keep one. */
const HASHES = PLANTED.flatMap((value) =>
  ["sha256", "sha1", "md5"].flatMap((algorithm) => {
    const digest = createHash(algorithm).update(value).digest();
    return [digest.toString("hex"), digest.toString("hex").slice(0, 16), digest.toString("base64"), digest.toString("base64url")];
  }),
);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Repository {
  root: string;
  /** Somewhere outside the repository, for -o and $GITHUB_STEP_SUMMARY. */
  outside: string;
  run(args: string[], env?: Record<string, string>): Promise<Run>;
  /** The files in the repository made since it was copied (a baseline, a cache) and what they hold. */
  created(): { file: string; text: string }[];
}

function sentinelRepository(): Repository {
  const folder = temporaryFolder("careplan-confidential-");
  cleanups.push(folder.remove);
  const root = join(folder.path, "repo");
  const outside = join(folder.path, "outside");
  cpSync(FIXTURE, root, { recursive: true });
  cpSync(MORE, join(root, "children/SN-1"), { recursive: true });
  mkdirSync(outside);
  const before = new Set(filesUnder(root));
  return {
    root,
    outside,
    run: (args, env = {}) => runCli(args, { cwd: root, env, today: AS_OF }),
    created: () => filesUnder(root).filter((file) => !before.has(file)).map((file) => ({ file, text: readFileSync(join(root, file), "latin1") })),
  };
}

/** Nothing on stderr, nothing in what the run created; stdout shows only what `allowed` lists. */
function expectConfidential(repository: Repository, run: Run, allowed: readonly string[] = []): void {
  expect(run.stderr).not.toMatch(/internal error/);
  expect(leaks(run.stdout, allowed), "stdout").toEqual([]);
  expect(leaks(run.stderr), "stderr").toEqual([]);
  for (const { file, text } of repository.created()) {
    expect(leaks(text), file).toEqual([]);
    expect(HASHES.filter((hash) => text.includes(hash)), `${file} holds a hash of a planted value`).toEqual([]);
  }
}

describe("the fixture", () => {
  it("plants sentinels in names, free text, action texts, keys and malformed values: the tests are not vacuous", () => {
    expect(PLANTED.length).toBeGreaterThan(30);
    expect(ACTION_TEXTS.filter((text) => /SENTINEL/.test(text)).length).toBeGreaterThanOrEqual(6);
    for (const value of ["SENTINEL-NAME Example", "SENTINEL-WORKER", "SENTINEL-ABOUT likes football.", "SENTINEL-NEXT-REVIEW", "SENTINEL-DOB"]) expect(PLANTED).toContain(value);
  });

  it("the timeline shows the action texts and the stats the workers: the allowances are needed", async () => {
    const repository = sentinelRepository();
    const timeline = await repository.run(["timeline", "--as-of", AS_OF, "--all"]);
    expect(timeline.stdout).toContain("ACTION-SENTINEL-ONE book the dentist");
    expect(leaks(timeline.stdout)).not.toEqual([]);
    const stats = await repository.run(["stats", ...PERIOD, "--by", "worker"]);
    expect(stats.stdout).toContain("SENTINEL-WORKER");
  });

  it("a file a run leaves in the repository is read: a sentinel in it, or a hash of one, is found", () => {
    const repository = sentinelRepository();
    writeFileSync(join(repository.root, ".careplan-cache-example"), createHash("sha256").update("SENTINEL-WORKER").digest("hex"));
    expect(repository.created().map((c) => c.file)).toEqual([".careplan-cache-example"]);
    expect(() => expectConfidential(repository, { code: 0, stdout: "", stderr: "" })).toThrow(/hash of a planted value/);
  });
});

describe("check", () => {
  it.each(CHECK_FORMATS)("--format %s, with the step summary and -o", async (format) => {
    const repository = sentinelRepository();
    const summary = join(repository.outside, "summary.md");
    const run = await repository.run(["check", "--as-of", AS_OF, "--format", format], { GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBeGreaterThan(1000);
    expectConfidential(repository, run);
    if (format === "github") expect(leaks(readFileSync(summary, "utf8"))).toEqual([]);
    const file = join(repository.outside, `report.${format}`);
    const written = await repository.run(["check", "--as-of", AS_OF, "--format", format, "-o", file]);
    expectConfidential(repository, written);
    expect(leaks(readFileSync(file, "utf8"))).toEqual([]);
  });

  it.each([["--quiet"], ["--no-baseline"], ["--fix-dry-run"], ["--max-warnings", "0"], ["--color"]])("%s", async (...flags) => {
    const repository = sentinelRepository();
    const run = await repository.run(["check", "--as-of", AS_OF, ...flags]);
    expect(run.code).toBe(1);
    expectConfidential(repository, run);
  });

  it("--fix: the list of what it added (on stdout, and on stderr beside a JSON report)", async () => {
    const repository = sentinelRepository();
    const json = await repository.run(["check", "--as-of", AS_OF, "--fix-dry-run", "--format", "json"]);
    expect(json.stderr).toMatch(/would add/);
    expectConfidential(repository, json);
    const fixed = await repository.run(["check", "--as-of", AS_OF, "--fix"]);
    expect(fixed.stdout).toMatch(/Made \d+ changes/);
    expectConfidential(repository, fixed);
  });

  it("baseline: the file it writes, its report, and check against it", async () => {
    const repository = sentinelRepository();
    const recorded = await repository.run(["baseline", "--as-of", AS_OF]);
    expect(recorded.code).toBe(0);
    expect(repository.created().map((c) => c.file)).toContain("careplan-baseline.json");
    expectConfidential(repository, recorded);
    for (const format of CHECK_FORMATS) expectConfidential(repository, await repository.run(["check", "--as-of", AS_OF, "--format", format]));
    writeFileSync(join(repository.root, "children/SV-1/2025-09-20-visit.md"), "---\ntype: visit\n---\n");
    expectConfidential(repository, await repository.run(["baseline", "--as-of", AS_OF, "--prune"]));
  });

  it("--changed and --staged in git", async () => {
    const repository = sentinelRepository();
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repository.root, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.org", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.org" } });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "case files");
    writeFileSync(join(repository.root, "children/SV-1/2025-09-20-visit.md"), "---\ntype: visit\nchild: SV-1\ndate: SENTINEL-CHANGED\n---\nSENTINEL-CHANGED-BODY\n");
    git("add", "-A");
    for (const mode of ["--changed", "--staged"]) {
      for (const format of CHECK_FORMATS) {
        const run = await repository.run(["check", "--as-of", AS_OF, mode, "--format", format]);
        expect(run.code, run.stderr).toBe(1);
        expectConfidential(repository, run);
      }
    }
  });
});

describe("timeline: action texts only", () => {
  it.each(TIMELINE_FORMATS.flatMap((format) => [[format, "week"], [format, "child"]]))("--format %s --group %s, and its warnings", async (format, group) => {
    const repository = sentinelRepository();
    const run = await repository.run(["timeline", "--as-of", AS_OF, "--all", "--format", format, "--group", group]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/left out of the timeline/);
    // A calendar folds long lines: unfolded, an action's text is whole again.
    expectConfidential(repository, { ...run, stdout: format === "ics" ? run.stdout.replace(/\r\n /g, "") : run.stdout }, ACTION_TEXTS);
  });

  it.each([
    ["--child", "SV-1"],
    ["--worker", "sentinel-worker"],
    ["--team", "SENTINEL-TEAM"],
  ])("%s %s", async (...filter) => {
    const repository = sentinelRepository();
    const run = await repository.run(["timeline", "--as-of", AS_OF, ...filter]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ACTION-SENTINEL-ONE");
    expectConfidential(repository, run, ACTION_TEXTS);
  });
});

describe("stats: group keys only", () => {
  it.each(STATS_FORMATS.flatMap((format) => STATS_BY.map((by) => [format, by])))("--format %s --by %s", async (format, by) => {
    const repository = sentinelRepository();
    const run = await repository.run(["stats", ...PERIOD, "--format", format, "--by", by]);
    expect(run.code).toBe(0);
    const keys = by === "worker" ? ["SENTINEL-WORKER"] : by === "team" ? ["SENTINEL-TEAM"] : [];
    expectConfidential(repository, run, keys);
  });

  it.each(STATS_FORMATS)("--snapshot --format %s", async (format) => {
    const repository = sentinelRepository();
    const run = await repository.run(["stats", "--snapshot", AS_OF, "--format", format]);
    expect(run.code).toBe(0);
    expectConfidential(repository, run);
  });
});

describe("the other commands", () => {
  it.each([["list"], ["show", "contact-note"], ["show", "visit"], ["check"], ["schema", "contact-note"]])("templates %s", async (...args) => {
    const repository = sentinelRepository();
    const run = await repository.run(["templates", ...args]);
    expect(run.code).toBe(0);
    expectConfidential(repository, run);
  });

  it("report: what it says on the terminal, and nothing left in the repository", async () => {
    const repository = sentinelRepository();
    const run = await repository.run(["report", "--as-of", AS_OF, "-o", join(repository.outside, "report.html")]);
    expect(run.code).toBe(0);
    expectConfidential(repository, run);
  });

  it.each([
    ["a profile that cannot be read", "SN-1"],
    ["values in the profile that are not valid, so not copied", "SV-2"],
  ])("new: its warnings about %s (the document it prints may show the case file)", async (_what, child) => {
    const repository = sentinelRepository();
    const run = await repository.run(["new", "care-plan", "--child", child, "--date", "2026-03-01", "--dry-run", "--set", "permanence_plan=adoption"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning/);
    expectConfidential(repository, { ...run, stdout: "" });
  });
});

describe("usage and configuration errors", () => {
  it.each([
    ["a child that is not there", ["timeline", "--as-of", AS_OF, "--child", "SV-9"]],
    ["a worker no child has", ["timeline", "--as-of", AS_OF, "--worker", "Nobody"]],
    ["a team no child has", ["timeline", "--as-of", AS_OF, "--team", "Nobody"]],
    ["a document that is not there", ["check", "children/SV-1/2026-01-01-visit.md"]],
    ["a value that is not valid for the document", ["new", "visit", "--child", "SV-1", "--date", "2026-03-01", "--set", "seen_alone=SENTINEL-SET"]],
    ["a document that exists already", ["new", "visit", "--child", "SV-1", "--date", "2025-09-20", "--set", "seen_alone=true"]],
    ["a rule that is not in force", ["stats", ...PERIOD, "--rule", "nothing"]],
  ])("%s", async (_what, args) => {
    const repository = sentinelRepository();
    const run = await repository.run(args);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^careplan: /);
    expectConfidential(repository, run);
  });

  it("a careplan.yaml that breaks: the run stops before any case file is shown", async () => {
    const repository = sentinelRepository();
    writeFileSync(join(repository.root, "careplan.yaml"), "policy: england\nseverity: { section-empty: loud }\n");
    for (const command of [["check", "--as-of", AS_OF], ["timeline", "--as-of", AS_OF], ["stats", ...PERIOD], ["baseline", "--as-of", AS_OF]]) {
      const run = await repository.run(command);
      expect(run.code).toBe(2);
      expectConfidential(repository, run);
    }
  });
});
