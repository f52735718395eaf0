// The cache as a user meets it (issue 13): on by default, kept out of git, never trusted when
// damaged, rebuilt when careplan.yaml or the repository's own forms change, safe with two runs at
// once, absent in a checkout careplan cannot write to, and never holding a name or a free text.
// Each repository is committed to git, as a user's is: git's blob ids key the files at once.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { main } from "../../src/cli.js";
// Not runCli: CAREPLAN_TEST_CACHE=off or warm would change what these tests are about.
import { runCli, temporaryFolder, type Run } from "../cli-harness.js";
import { selectPaths } from "../../src/casefile/repository.js";
import { careplanFolders, careplanIdentity, codeIdentity, openCache, recordKeeper, type CareplanIdentity } from "../../src/core/cache.js";
import { caseUnits } from "../../src/core/caseload.js";
import { recordContext } from "../../src/core/check.js";
import { repositoryForms } from "../../src/core/forms.js";
import { documentTypes } from "../../src/doctypes.js";
import { legalStatusesOf, resolvePolicy } from "../../src/timescales/policy.js";

// Real git and child processes: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const AS_OF = "2026-03-02";
const CACHE = ".careplan-cache";
const COMMITTER = { GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.org", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.org" };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A copy of a fixture repository (and more children beside its own), committed to git. */
function committed(fixture: string, more: Record<string, string> = {}): { root: string; git: (...args: string[]) => string } {
  const folder = temporaryFolder("careplan-cache-");
  cleanups.push(folder.remove);
  const root = join(folder.path, "repo");
  // Not the cache the suite's runs over the fixture in place may have left there.
  const notCache = (path: string) => !path.endsWith(CACHE);
  cpSync(join(PACKAGE_ROOT, fixture), root, { recursive: true, filter: notCache });
  for (const [child, from] of Object.entries(more)) cpSync(join(PACKAGE_ROOT, from), join(root, "children", child), { recursive: true, filter: notCache });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, env: { ...process.env, ...COMMITTER }, encoding: "utf8", stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "case files");
  return { root, git };
}

/** A command run in process on AS_OF (unless it says otherwise), the cache as a user has it. */
async function run(root: string, ...args: string[]): Promise<Run> {
  return runWith({}, root, ...args);
}

/** `run` with more in its environment. */
async function runWith(env: Record<string, string>, root: string, ...args: string[]): Promise<Run> {
  const [command, ...rest] = args;
  const day = command === "stats" || rest.includes("--as-of") ? [] : ["--as-of", AS_OF];
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main({ argv: [command!, ...day, ...rest], env: { CI: "true", ...env }, cwd: root, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

class Capture {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

const check = (root: string, ...options: string[]) => run(root, "check", "--format", "json", ...options);

/** Every file of the cache folder, by its path in it. */
function cacheFiles(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else files.set(`${prefix}${entry.name}`, readFileSync(join(dir, entry.name)));
    }
  };
  walk(join(root, CACHE), "");
  return files;
}

/** The files that hold what a run kept: the index, the packs, the findings of the day. */
const records = (root: string) => [...cacheFiles(root).keys()].filter((file) => /^packs\/.+\.pack$/.test(file) || file === "index.json" || file === "findings.json");

/** What the cache's index lists: each child's pack, from the index's JSON (after its checksum line). */
function listed(root: string): Map<string, string> {
  const [, packs, entries] = JSON.parse(readFileSync(join(root, CACHE, "index.json"), "utf8").split("\n").slice(1).join("\n")) as [string, string[], [string, string, number, number, number, number][]];
  return new Map(entries.map(([id, , , pack]) => [id, packs[pack]!]));
}

/** The packs of the cache folder. */
const packs = (root: string) => readdirSync(join(root, CACHE, "packs")).sort();

const FIVE = ["AB-1042", "CD-2210", "EF-0317", "GH-5120", "JK-7788"];

/** Every case file's time set a minute back, as if time had passed (its change time stays: see `settled`). */
function settle(root: string): void {
  const past = new Date(Date.now() - 60_000);
  for (const child of readdirSync(join(root, "children"))) for (const file of readdirSync(join(root, "children", child))) utimesSync(join(root, "children", child, file), past, past);
}

/** Files changed within the last 3 seconds are keyed file by file, or (changed since the commit) not kept at all: waits them out. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 3200));

describe("a re-check", () => {
  it("is answered from the cache, exactly as a run without it", async () => {
    const { root } = committed("fixtures/example");
    await settled();
    const fresh = await check(root, "--no-cache");
    expect(existsSync(join(root, CACHE))).toBe(false);
    expect(fresh.code).toBe(1);
    expect(await check(root)).toEqual(fresh);
    // A few files, however many children: one pack holds every record, the index lists them.
    expect(records(root).sort()).toEqual(["findings.json", "index.json", `packs/${packs(root)[0]}`]);
    expect([...listed(root).keys()].sort()).toEqual(FIVE);
    const kept = cacheFiles(root);
    const times = records(root).map((file) => statSync(join(root, CACHE, file)).mtimeMs);
    expect(await check(root)).toEqual(fresh);
    // Nothing changed: no child read, nothing written again.
    expect(records(root).map((file) => statSync(join(root, CACHE, file)).mtimeMs)).toEqual(times);
    expect(cacheFiles(root)).toEqual(kept);
  });

  it("a Markdown file added under another ending (.markdown) is read on the next run", async () => {
    const { root } = committed("fixtures/example");
    await check(root);
    const visit = readFileSync(join(root, "children/AB-1042/2026-02-13-visit.md"));
    writeFileSync(join(root, "children/AB-1042/notes.markdown"), visit);
    const after = await check(root);
    expect(after).toEqual(await check(root, "--no-cache"));
    expect(after.stdout).toContain('"file": "children/AB-1042/notes.markdown"');
  });

  it("a changed child is read again, the others come from the cache", async () => {
    const { root } = committed("fixtures/example");
    await settled();
    await check(root);
    const visit = join(root, "children/AB-1042/2026-02-13-visit.md");
    writeFileSync(visit, readFileSync(visit, "utf8").replace(/^seen_alone: .*$/m, "seen_alone: maybe"));
    await settled();
    const before = listed(root);
    const after = await check(root);
    expect(after).toEqual(await check(root, "--no-cache"));
    expect(after.stdout).toContain('"file": "children/AB-1042/2026-02-13-visit.md"');
    // Only the changed child's record written, in a pack of its own; the others' stay where they were.
    const now = listed(root);
    expect(packs(root)).toHaveLength(2);
    expect(now.get("AB-1042")).not.toBe(before.get("AB-1042"));
    for (const id of FIVE.filter((id) => id !== "AB-1042")) expect(now.get(id)).toBe(before.get(id));
    const added = statSync(join(root, CACHE, "packs", now.get("AB-1042")!)).size;
    expect(added).toBeLessThan(statSync(join(root, CACHE, "packs", now.get("CD-2210")!)).size / 2);
    // On another day (the findings of the day not kept), the records are read: nothing is written.
    const index = readFileSync(join(root, CACHE, "index.json"));
    expect(await check(root, "--as-of", "2026-03-03")).toEqual(await check(root, "--no-cache", "--as-of", "2026-03-03"));
    expect(readFileSync(join(root, CACHE, "index.json"))).toEqual(index);
    expect(packs(root)).toHaveLength(2);
  });

  it("timeline uses the same cache and shows what it shows without one", async () => {
    const { root } = committed("fixtures/example");
    await check(root);
    for (const format of ["json", "table"]) {
      const fresh = await run(root, "timeline", "--all", "--format", format, "--no-cache");
      expect(await run(root, "timeline", "--all", "--format", format)).toEqual(fresh);
      expect(await run(root, "timeline", "--all", "--format", format)).toEqual(fresh);
    }
  });
});

describe("a timeline reads the front matter alone", () => {
  it("its records hold the facts, not a check's findings: a check after it reads the children again and finds all a check finds", async () => {
    const { root } = committed("fixtures/example");
    const timeline = await run(root, "timeline", "--all", "--format", "json", "--no-cache");
    expect(await run(root, "timeline", "--all", "--format", "json")).toEqual(timeline);
    expect(await run(root, "timeline", "--all", "--format", "json")).toEqual(timeline);
    const fresh = await check(root, "--no-cache");
    // The example has findings: a check that trusted the timeline's records would find none.
    expect(fresh.code).toBe(1);
    expect(await check(root)).toEqual(fresh);
    expect(await check(root)).toEqual(fresh);
    // The check's records serve the timeline as well.
    expect(await run(root, "timeline", "--all", "--format", "json")).toEqual(timeline);
  });
});

describe("what the engine reads besides dates and true/false", () => {
  it("a number a rule's `where` tests (an own form's integer field) is kept, and read back", async () => {
    const { root, git } = committed("fixtures/example");
    writeFileSync(join(root, "templates/visit.md"), "---\nextends: visit\nfields:\n  visit_number:\n    type: integer\n    description: Which visit this is.\n---\n");
    const config = join(root, "careplan.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("rules: {}", "rules:\n  second-visit: { kind: recurrence, title: Second visit follow-up, type: visit, where: { visit_number: 2 }, interval: 1, unit: months }"));
    const visit = join(root, "children/AB-1042/2026-02-13-visit.md");
    writeFileSync(visit, readFileSync(visit, "utf8").replace("type: visit\n", "type: visit\nvisit_number: 2\n"));
    git("add", ".");
    git("commit", "-q", "-m", "an own visit form");
    // Due on 2026-03-13, a month after the visit: overdue on the day checked.
    const fresh = await check(root, "--no-cache", "--as-of", "2027-11-01");
    expect(fresh.stdout).toContain("timescale/second-visit");
    // Files just written are keyed file by file; once settled (as if seconds had passed), the
    // record found that way is kept again under the key the next run looks for first.
    expect(await check(root, "--as-of", "2027-11-01")).toEqual(fresh);
    settle(root);
    for (let round = 0; round < 3; round++) expect(await check(root, "--as-of", "2027-11-01")).toEqual(fresh);
  });
});

describe("a damaged cache is rebuilt, never trusted", () => {
  const damages: [string, (bytes: Buffer) => Buffer][] = [
    ["cut short", (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ["garbage", () => Buffer.from("\u0000\u00ff not a record \u001b[2J")],
    ["empty", () => Buffer.alloc(0)],
    // The header kept, a date in the body changed: only the checksum tells.
    ["a date changed under its header", (bytes) => Buffer.from(bytes.toString("latin1").replace(/"202([4-6])-/g, '"192$1-'), "latin1")],
    ["a finding's severity flipped under its header", (bytes) => Buffer.from(bytes.toString("latin1").replace(/,1,"/g, ',0,"'), "latin1")],
  ];

  it.each(damages)("every record %s", async (_, damage) => {
    const { root } = committed("fixtures/example");
    const fresh = await check(root, "--no-cache");
    await check(root);
    for (const file of records(root)) {
      const path = join(root, CACHE, file);
      const damaged = damage(readFileSync(path));
      writeFileSync(path, damaged);
    }
    expect(await check(root)).toEqual(fresh);
    // Rebuilt: the next run reads the records written again, and agrees.
    const written = ["index.json", "findings.json", ...new Set([...listed(root).values()].map((pack) => `packs/${pack}`))];
    for (const file of written) expect(readFileSync(join(root, CACHE, file), "latin1")).toMatch(/^careplan-cache \d+ [0-9a-f]+\n/);
    expect([...listed(root).keys()].sort()).toEqual(FIVE);
    expect(await check(root)).toEqual(fresh);
    expect(await run(root, "timeline", "--all", "--format", "json")).toEqual(await run(root, "timeline", "--all", "--format", "json", "--no-cache"));
  });

  it("the damage is one the records would show if they were trusted: the test is not vacuous", async () => {
    const { root } = committed("fixtures/example");
    await check(root);
    const body = (file: string) => readFileSync(join(root, CACHE, file), "latin1").split("\n").slice(1).join("\n");
    expect(body("findings.json")).toMatch(/,1,"/);
    expect(body(`packs/${listed(root).get("JK-7788")}`)).toMatch(/"202[4-6]-/);
  });

  it("a cache folder that is a file is passed over", async () => {
    const { root } = committed("fixtures/example");
    const fresh = await check(root, "--no-cache");
    writeFileSync(join(root, CACHE), "not a folder");
    expect(await check(root)).toEqual(fresh);
  });

  // Another day than the one checked first: the findings of the day are not kept, the records are read.
  const OTHER_DAY = "2026-03-03";
  const replacements: [string, (path: string, copy: string) => void][] = [
    ["a folder", (path) => mkdirSync(path)],
    ["a named pipe", (path) => execFileSync("mkfifo", [path])],
    // The very bytes the cache held, copied outside: followed, the link would be trusted.
    ["a link to a copy of it", (path, copy) => symlinkSync(copy, path)],
    ["a file of nothing", (path) => writeFileSync(path, "")],
  ];
  const places: [string, (root: string) => string][] = [
    ["the index", () => "index.json"],
    ["a pack", (root) => `packs/${listed(root).get("AB-1042")}`],
    ["the packs folder", () => "packs"],
  ];
  const cases = places.flatMap(([place, file]) => replacements.map(([what, make]) => [place, what, file, make] as const));

  it.each(cases)("%s replaced by %s: the children are read again and the cache rebuilt", async (_, __, file, make) => {
    const { root } = committed("fixtures/example");
    const fresh = await check(root, "--no-cache", "--as-of", OTHER_DAY);
    await check(root);
    const outside = temporaryFolder("careplan-outside-");
    cleanups.push(outside.remove);
    cpSync(join(root, CACHE), join(outside.path, "copy"), { recursive: true });
    const path = join(root, CACHE, file(root));
    const copy = join(outside.path, "copy", file(root));
    rmSync(path, { recursive: true });
    make(path, copy);
    expect(await check(root, "--as-of", OTHER_DAY)).toEqual(fresh);
    expect(await check(root, "--as-of", OTHER_DAY)).toEqual(fresh);
    expect([...listed(root).keys()].sort()).toEqual(FIVE);
    expect(await run(root, "timeline", "--all", "--format", "json", "--as-of", OTHER_DAY)).toEqual(await run(root, "timeline", "--all", "--format", "json", "--no-cache", "--as-of", OTHER_DAY));
  });

  it("a byte flipped in one record of a pack: that child alone is read again", async () => {
    const { root } = committed("fixtures/example");
    const fresh = await check(root, "--no-cache", "--as-of", OTHER_DAY);
    await check(root);
    const before = listed(root);
    const pack = join(root, CACHE, "packs", before.get("GH-5120")!);
    const bytes = readFileSync(pack);
    const [, , entries] = JSON.parse(readFileSync(join(root, CACHE, "index.json"), "utf8").split("\n").slice(1).join("\n")) as [string, string[], [string, string, number, number, number, number][]];
    const [, , , , offset, length] = entries.find(([id]) => id === "GH-5120")!;
    // A date's year changed by one: still a date, only the checksum tells.
    const at = bytes.indexOf('"202', offset) + 4;
    expect(at).toBeLessThan(offset + length);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(pack, bytes);
    expect(await check(root, "--as-of", OTHER_DAY)).toEqual(fresh);
    const after = listed(root);
    expect(FIVE.filter((id) => after.get(id) !== before.get(id))).toEqual(["GH-5120"]);
    expect(await check(root, "--as-of", OTHER_DAY)).toEqual(fresh);
  });
});

describe("a change besides the case files makes every record stale", () => {
  it("careplan.yaml: a rule switched off", async () => {
    const { root } = committed("fixtures/example");
    const before = await check(root);
    expect(before.stdout).toContain('"rule": "timescale/');
    const config = join(root, "careplan.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("severity: {}", "severity:\n  timescale/*: off"));
    const after = await check(root);
    expect(after).toEqual(await check(root, "--no-cache"));
    expect(after.stdout).not.toContain('"rule": "timescale/');
  });

  it("careplan.yaml: a closure day moves a deadline", async () => {
    const { root } = committed("fixtures/example");
    const before = await run(root, "timeline", "--all", "--format", "json");
    const config = join(root, "careplan.yaml");
    const closures = Array.from({ length: 28 }, (_, i) => `2026-02-${String(i + 1).padStart(2, "0")}`);
    writeFileSync(config, readFileSync(config, "utf8").replace("closures: []", `closures: [${closures.join(", ")}]`));
    const after = await run(root, "timeline", "--all", "--format", "json");
    expect(after).toEqual(await run(root, "timeline", "--all", "--format", "json", "--no-cache"));
    expect(after.stdout).not.toEqual(before.stdout);
  });

  it("the repository's own forms: a section made required", async () => {
    const { root } = committed("fixtures/example");
    const before = await check(root);
    const template = join(root, "templates/care-plan.md");
    writeFileSync(template, readFileSync(template, "utf8").replace("      optional: true\n", ""));
    const after = await check(root);
    expect(after).toEqual(await check(root, "--no-cache"));
    expect(after.stdout).toContain("Family time plan");
    expect(before.stdout).not.toContain("Family time plan");
  });
});

describe("a new careplan makes every record stale", () => {
  /** The children whose records a run on AS_OF by a careplan of this identity would take from the cache of `root`. */
  function stored(root: string, identity: CareplanIdentity): string[] {
    const { repository } = selectPaths([root], root, undefined);
    const forms = repositoryForms(repository);
    const cache = openCache(repository, undefined, () => undefined, identity)!.forRun({ config: repository.config, forms, types: documentTypes(forms, AS_OF) });
    const found = readdirSync(join(root, "children")).filter((id) => cache.entry(id)?.record(AS_OF, "check") !== undefined);
    cache.close();
    return found;
  }

  it("another version", async () => {
    const { root } = committed("fixtures/example");
    await check(root);
    // Not vacuous: this careplan finds every child's record.
    expect(stored(root, careplanIdentity()).sort()).toEqual(["AB-1042", "CD-2210", "EF-0317", "GH-5120", "JK-7788"]);
    expect(stored(root, { ...careplanIdentity(), version: `${careplanIdentity().version}-next` })).toEqual([]);
  });

  it("another table of bank holidays (or any file of careplan's own changed)", async () => {
    const { root } = committed("fixtures/example");
    await check(root);
    // careplan's own files include the bank holidays' table: a copy of them stands for a new careplan.
    const own = careplanFolders();
    expect(own.some((folder) => existsSync(join(folder, "timescales/bank-holidays.json")))).toBe(true);
    const folder = temporaryFolder("careplan-own-");
    cleanups.push(folder.remove);
    const copies = own.map((from, i) => {
      const to = join(folder.path, String(i));
      cpSync(from, to, { recursive: true, preserveTimestamps: true });
      return to;
    });
    const before = { version: careplanIdentity().version, code: codeIdentity(copies) };
    expect(codeIdentity(copies)).toBe(before.code);
    // Records made by the careplan of the copies: found by it, until its bank holidays change.
    const { repository } = selectPaths([root], root, undefined);
    const forms = repositoryForms(repository);
    const settings = { config: repository.config, forms, types: documentTypes(forms, AS_OF) };
    const current = openCache(repository, undefined, () => undefined)!.forRun(settings);
    const copy = openCache(repository, undefined, () => undefined, before)!.forRun(settings);
    const record = current.entry("AB-1042")!.record(AS_OF, "check")!;
    copy.put("AB-1042", current.entry("AB-1042")!.key, record);
    current.close();
    copy.close();
    expect(stored(root, before)).toEqual(["AB-1042"]);
    const table = join(copies.find((copied) => existsSync(join(copied, "timescales/bank-holidays.json")))!, "timescales/bank-holidays.json");
    const holidays = JSON.parse(readFileSync(table, "utf8")) as { holidays: { date: string; title: string }[] };
    writeFileSync(table, JSON.stringify({ ...holidays, holidays: [...holidays.holidays, { date: "2026-02-27", title: "A new bank holiday" }] }));
    const after = { ...before, code: codeIdentity(copies) };
    expect(after.code).not.toBe(before.code);
    expect(stored(root, after)).toEqual([]);
  });
});

describe("a check with more findings than the cache keeps (MAX_KEPT_FINDINGS, lowered by CAREPLAN_MAX_KEPT_FINDINGS)", () => {
  const limited = (limit: number, root: string, ...options: string[]) => runWith({ CAREPLAN_MAX_KEPT_FINDINGS: String(limit) }, root, "check", "--format", "json", ...options);
  const findingCount = (result: Run) => (JSON.parse(result.stdout) as { findings: unknown[] }).findings.length;

  it("keeps the records but not the day's findings, and reports as a run without the cache", async () => {
    const { root } = committed("fixtures/example");
    const fresh = await check(root, "--no-cache");
    const total = findingCount(fresh);
    expect(total).toBeGreaterThan(2);
    // At the limit, the findings are kept (the test is not vacuous); over it, they are not.
    expect(await limited(total, root)).toEqual(fresh);
    expect(records(root)).toContain("findings.json");
    rmSync(join(root, CACHE), { recursive: true });
    for (const limit of [total - 1, 1]) {
      expect(await limited(limit, root)).toEqual(fresh);
      expect(records(root)).not.toContain("findings.json");
      expect([...listed(root).keys()].sort()).toEqual(FIVE);
      // The next run reads the children's records again, and agrees.
      expect(await limited(limit, root)).toEqual(fresh);
      expect(await limited(limit, root, "--as-of", "2026-03-03")).toEqual(await check(root, "--no-cache", "--as-of", "2026-03-03"));
    }
  });

  it("drops the day's findings kept before, once a change takes them over the limit", async () => {
    const { root } = committed("fixtures/example");
    await check(root);
    expect(records(root)).toContain("findings.json");
    const visit = join(root, "children/AB-1042/2026-02-13-visit.md");
    writeFileSync(visit, readFileSync(visit, "utf8").replace(/^seen_alone: .*$/m, "seen_alone: maybe"));
    const fresh = await check(root, "--no-cache");
    expect(await limited(findingCount(fresh) - 1, root)).toEqual(fresh);
    expect(records(root)).not.toContain("findings.json");
    expect(await check(root)).toEqual(fresh);
  });
});

describe("two runs at once", () => {
  it("leave every record whole: a third run reads them and agrees with a run without the cache", async () => {
    const { root } = committed("fixtures/example", { "SN-1": "fixtures/check/sentinels/children/SN-1" });
    const binary = join(PACKAGE_ROOT, "bin/careplan");
    const once = (asOf: string) => promisify(execFile)(binary, ["check", "--as-of", asOf, "--format", "json"], { cwd: root }).catch((error: { stdout: string }) => error);
    await Promise.all([once(AS_OF), once(AS_OF), once("2026-03-05"), once("2026-03-05")]);
    expect([...cacheFiles(root).keys()].filter((file) => file.endsWith(".tmp"))).toEqual([]);
    expect(await check(root)).toEqual(await check(root, "--no-cache"));
  });
});

describe("never a write outside the cache", () => {
  it("a `clock` planted in the cache folder as a link to a file elsewhere is not followed", async () => {
    const { root } = committed("fixtures/example");
    const outside = temporaryFolder("careplan-outside-");
    cleanups.push(outside.remove);
    const victim = join(outside.path, "victim.txt");
    writeFileSync(victim, "kept\n");
    mkdirSync(join(root, CACHE));
    symlinkSync(victim, join(root, CACHE, "clock"));
    const fresh = await check(root, "--no-cache");
    expect(await check(root)).toEqual(fresh);
    expect(readFileSync(victim, "utf8")).toBe("kept\n");
  });
});

describe("kept out of git", () => {
  it("an existing repository: the cache folder is listed in .git/info/exclude, once, and git sees nothing new", async () => {
    const { root, git } = committed("fixtures/example");
    await check(root);
    await check(root);
    const exclude = readFileSync(join(root, ".git/info/exclude"), "utf8");
    expect(exclude.split("\n").filter((line) => line === "/.careplan-cache/")).toHaveLength(1);
    expect(git("status", "--porcelain", "--ignored=no")).toBe("");
    expect(git("check-ignore", "--no-index", "-v", ".careplan-cache/x")).toMatch(/^\.git\/info\/exclude:\d+:\/\.careplan-cache\//);
  });

  it("init lists it in .gitignore, and adds it to a .gitignore already there", async () => {
    const folder = temporaryFolder("careplan-cache-init-");
    cleanups.push(folder.remove);
    const fresh = await runCli(["init", "new"], { cwd: folder.path });
    expect(fresh.code).toBe(0);
    expect(readFileSync(join(folder.path, "new/.gitignore"), "utf8")).toMatch(/^\/\.careplan-cache\/$/m);
    execFileSync("mkdir", [join(folder.path, "old")]);
    writeFileSync(join(folder.path, "old/.gitignore"), "*.tmp");
    expect((await runCli(["init", "old"], { cwd: folder.path })).code).toBe(0);
    expect(readFileSync(join(folder.path, "old/.gitignore"), "utf8")).toMatch(/^\*\.tmp\n# careplan's cache.*\n\/\.careplan-cache\/\n$/);
  });
});

describe("a checkout careplan cannot write to", () => {
  it("runs without a cache, says nothing of it, and reports as always", async () => {
    const { root } = committed("fixtures/example");
    const fresh = await check(root, "--no-cache");
    // Something careplan cannot use in the cache's place stands for a read-only file system (the tests may run as root).
    writeFileSync(join(root, CACHE), "");
    expect(await check(root)).toEqual(fresh);
    expect(readFileSync(join(root, CACHE), "utf8")).toBe("");
    if (process.getuid?.() !== 0) {
      rmSync(join(root, CACHE));
      execFileSync("chmod", ["-R", "a-w", root]);
      cleanups.unshift(() => execFileSync("chmod", ["-R", "u+w", root]));
      expect(await check(root)).toEqual(fresh);
      expect(existsSync(join(root, CACHE))).toBe(false);
    }
  });
});

describe("confidentiality", () => {
  it("names, free texts and malformed values planted as sentinels never reach the cache", async () => {
    const { root } = committed("fixtures/security/sentinels", { "SN-1": "fixtures/check/sentinels/children/SN-1" });
    const planted = readFileSync(join(root, "children/SN-1/child.md"), "utf8");
    expect(planted.match(/SENTINEL/g)!.length).toBeGreaterThan(8);
    await check(root);
    await run(root, "timeline", "--all", "--format", "json");
    await run(root, "check", "--as-of", "2026-06-01");
    await run(root, "stats", "--from", "2025-01-01", "--to", AS_OF, "--by", "worker");
    const files = cacheFiles(root);
    // Not vacuous: a record for every child, holding the dates the engine needs.
    expect([...listed(root).keys()].sort()).toEqual(["SN-1", "SV-1", "SV-2"]);
    expect(files.get(`packs/${listed(root).get("SV-1")}`)!.toString("latin1")).toMatch(/"20\d\d-\d\d-\d\d"/);
    for (const [file, bytes] of files) expect(bytes.toString("latin1"), file).not.toMatch(/SENTINEL/i);
  });
});

describe("packs: few files, and none kept that no index needs", () => {
  const changed = (root: string, ...ids: string[]) => {
    for (const id of ids) {
      const profile = join(root, "children", id, "child.md");
      writeFileSync(profile, `${readFileSync(profile, "utf8")}\n`);
    }
  };
  const old = (path: string) => {
    const past = new Date(Date.now() - 120_000);
    utimesSync(path, past, past);
  };

  const commands: [string, (output: string) => string[]][] = [
    ["check", () => ["check", "--format", "json"]],
    ["timeline", () => ["timeline", "--all", "--format", "json"]],
    ["stats", () => ["stats", "--from", "2025-01-01", "--to", AS_OF]],
    ["report", (output) => ["report", "-o", output]],
    ["baseline", () => ["baseline"]],
  ];
  it.each(commands)("%s lists every record it keeps in the index, for the next run to read", async (_, args) => {
    const { root } = committed("fixtures/example");
    const output = temporaryFolder("careplan-report-");
    cleanups.push(output.remove);
    await run(root, ...args(join(output.path, "report.html")));
    expect([...listed(root).keys()].sort()).toEqual(FIVE);
    expect(packs(root)).toHaveLength(1);
    rmSync(join(root, "careplan-baseline.json"), { force: true });
    expect(await check(root, "--as-of", "2026-03-03")).toEqual(await check(root, "--no-cache", "--as-of", "2026-03-03"));
  });

  it("a pack no index lists is deleted once a minute old; a younger one (a run at work) is left", async () => {
    const { root } = committed("fixtures/example");
    await settled();
    await check(root);
    const [first] = packs(root);
    const dead = join(root, CACHE, "packs", "0123456789abcdef-0.pack");
    const young = join(root, CACHE, "packs", "fedcba9876543210-3.pack");
    writeFileSync(dead, "left by a run that ended before writing its index");
    old(dead);
    writeFileSync(young, "a run still at work");
    // A run that keeps nothing writes no index and deletes nothing.
    await check(root, "--as-of", "2026-03-03");
    expect(packs(root)).toHaveLength(3);
    changed(root, "CD-2210");
    await settled();
    expect(await check(root)).toEqual(await check(root, "--no-cache"));
    const now = listed(root);
    expect(packs(root)).toEqual([first, now.get("CD-2210"), "fedcba9876543210-3.pack"].sort());
    expect(FIVE.filter((id) => now.get(id) === first)).toEqual(["AB-1042", "EF-0317", "GH-5120", "JK-7788"]);
  });

  it("a pack deleted while its run is at work (another run's sweep) is not made again: what the run keeps after it is not kept", () => {
    const folder = temporaryFolder("careplan-pack-");
    cleanups.push(folder.remove);
    mkdirSync(join(folder.path, "packs"));
    const selection = selectPaths([join(PACKAGE_ROOT, "fixtures/example")], PACKAGE_ROOT, undefined);
    const { config } = selection.repository;
    const types = documentTypes(repositoryForms(selection.repository), AS_OF);
    const policy = resolvePolicy(config, [...types.keys()], legalStatusesOf(types));
    const [unit] = caseUnits(selection, recordContext(types, policy, config.closures, AS_OF));
    const keeper = recordKeeper(folder.path, "the run's key");
    const first = keeper.put(unit!.record.id, "the child's key", unit!.record);
    expect(keeper.flush()).toBe(true);
    const pack = join(folder.path, "packs", first!.pack);
    expect(statSync(pack).size).toBe(first!.length);
    rmSync(pack);
    keeper.put(unit!.record.id, "the child's key", unit!.record);
    expect(keeper.flush()).toBe(false);
    expect(existsSync(pack)).toBe(false);
  });

  it("a temporary file a run that died left in the cache folder is deleted once a minute old; a younger one is left", async () => {
    const { root } = committed("fixtures/example");
    await settled();
    await check(root);
    const dead = join(root, CACHE, "index.json.0123456789ab-0-1.tmp");
    const young = join(root, CACHE, "index.json.ba9876543210-0-1.tmp");
    writeFileSync(dead, "an index a run wrote and never renamed");
    old(dead);
    writeFileSync(young, "a run still at work");
    changed(root, "CD-2210");
    await settled();
    expect(await check(root)).toEqual(await check(root, "--no-cache"));
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(young)).toBe(true);
  });

  it("a pack less than half of which is listed: its records are gathered into the run's pack, and it goes once a minute old", async () => {
    const { root } = committed("fixtures/example");
    await settled();
    await check(root);
    const [first] = packs(root);
    // One child changed of five: the first pack is mostly listed still, and stays.
    changed(root, "CD-2210");
    await settled();
    await check(root);
    expect(new Set(listed(root).values()).size).toBe(2);
    // Three more: most of it is not; what is left of it is copied.
    changed(root, "AB-1042", "GH-5120", "JK-7788");
    await settled();
    old(join(root, CACHE, "packs", first!));
    expect(await check(root)).toEqual(await check(root, "--no-cache"));
    const now = listed(root);
    expect(new Set(now.values()).size).toBe(2);
    expect(now.get("EF-0317")).toBe(now.get("AB-1042"));
    expect(packs(root)).not.toContain(first);
    // The records copied are read back as they were.
    const index = readFileSync(join(root, CACHE, "index.json"));
    expect(await check(root, "--as-of", "2026-03-03")).toEqual(await check(root, "--no-cache", "--as-of", "2026-03-03"));
    expect(readFileSync(join(root, CACHE, "index.json"))).toEqual(index);
  });

  it("more packs than CAREPLAN_CACHE_MAX_PACKS: the records are gathered into the run's own pack", async () => {
    const { root } = committed("fixtures/example");
    const limited = (...options: string[]) => runWith({ CAREPLAN_CACHE_MAX_PACKS: "2" }, root, "check", "--format", "json", ...options);
    await settled();
    await limited();
    const [first] = packs(root);
    for (const id of ["CD-2210", "EF-0317"]) {
      changed(root, id);
      await settled();
      expect(await limited()).toEqual(await check(root, "--no-cache"));
    }
    // Three packs would be listed: the largest stays, the rest is gathered with the run's record.
    const now = listed(root);
    expect(new Set(now.values()).size).toBe(2);
    expect(FIVE.filter((id) => now.get(id) === first)).toEqual(["AB-1042", "GH-5120", "JK-7788"]);
    expect(now.get("CD-2210")).toBe(now.get("EF-0317"));
    expect(await limited("--as-of", "2026-03-03")).toEqual(await check(root, "--no-cache", "--as-of", "2026-03-03"));
  });
});
