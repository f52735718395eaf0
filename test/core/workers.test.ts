// Worker threads change nothing a user sees: `check` over a caseload spread on workers prints
// exactly what one thread prints, every finding and position, with or without the cache. The
// workers run only from the built files, so this runs the real binary (`npm test` builds first).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { generateRepository } from "../../bench/generate.js";
import { temporaryFolder } from "../cli-harness.js";

// The real binary, run several times a test (and a wait of 3.2 s): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const AS_OF = "2026-03-02";
const folder = temporaryFolder("careplan-workers-");
afterAll(() => folder.remove());

const root = folder.path;
generateRepository(root, { children: 30, perChild: 6, asOf: AS_OF, manyFindings: true });
// Children with other mistakes: a value in the wrong form, an empty section, a misnamed file.
cpSync(join(PACKAGE_ROOT, "fixtures/check/small/children/AB-1"), join(root, "children/AB-1"), { recursive: true });
cpSync(join(PACKAGE_ROOT, "fixtures/check/sentinels/children/SN-1"), join(root, "children/SN-1"), { recursive: true });
writeFileSync(join(root, "children/C-000003/2026-13-01-visit.md"), "---\ntype: visit\n---\n");
// A document the timeline leaves out, and a child it leaves out: warnings on stderr.
const visit = join(root, "children/C-000005", readdirSync(join(root, "children/C-000005")).find((name) => name.endsWith("-visit.md"))!);
writeFileSync(visit, readFileSync(visit, "utf8").replace(/^date: .*$/m, "date: 2026-02-30"));
const profile = join(root, "children/C-000007/child.md");
writeFileSync(profile, readFileSync(profile, "utf8").replace(/^dob: .*$/m, "dob: sometime"));

function careplan(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(join(PACKAGE_ROOT, "bin/careplan"), [...args, "--as-of", AS_OF], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  return { status, stdout, stderr };
}

function check(env: Record<string, string>, ...options: string[]): string {
  const day = options.includes("--as-of") ? [] : ["--as-of", AS_OF];
  try {
    execFileSync(join(PACKAGE_ROOT, "bin/careplan"), ["check", ...day, "--format", "json", ...options], { cwd: root, encoding: "utf8", stdio: "pipe", env: { ...process.env, ...env } });
  } catch (error) {
    const { status, stdout } = error as { status: number; stdout: string };
    expect(status).toBe(1);
    return stdout;
  }
  throw new Error("check found nothing in a caseload full of mistakes");
}

const ONE_THREAD = { CAREPLAN_WORKERS: "1" };
const WORKERS = { CAREPLAN_WORKERS: "2", CAREPLAN_WORKER_THRESHOLD: "1" };

describe("check on worker threads", () => {
  it("the built worker is there to be started: the comparison is not vacuous", () => {
    expect(existsSync(join(PACKAGE_ROOT, "dist/src/core/worker.js"))).toBe(true);
  });

  it("finds the same findings at the same positions as one thread", () => {
    const alone = check(ONE_THREAD, "--no-cache");
    const findings = JSON.parse(alone).findings as { line: number; rule: string }[];
    expect(findings.length).toBeGreaterThan(300);
    expect(new Set(findings.map((finding) => finding.rule)).size).toBeGreaterThan(4);
    expect(findings.some((finding) => finding.line > 1)).toBe(true);
    expect(check(WORKERS, "--no-cache")).toBe(alone);
  });

  it("keeps records in the cache that a run on one thread reads back the same", async () => {
    // Files changed within the last 3 seconds are never kept (their time stamps may not show a change yet).
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const alone = check(ONE_THREAD, "--no-cache");
    const cache = join(root, ".careplan-cache");
    expect(check(WORKERS, "--cache-location", cache)).toBe(alone);
    // Each worker keeps its records in a pack of its own (named with its thread), and the index lists them all.
    const index = readFileSync(join(cache, "index.json"));
    const [, packs, entries] = JSON.parse(index.toString("utf8").split("\n").slice(1).join("\n")) as [string, string[], [string, string, number, number, number, number][]];
    expect(entries.map(([id]) => id).sort()).toEqual(readdirSync(join(root, "children")).sort());
    expect(packs.length).toBeGreaterThanOrEqual(2);
    for (const pack of packs) expect(pack).toMatch(/^[0-9a-f]{16}-[1-9]\d*\.pack$/);
    // Another day: the findings of the day are not kept, so the records the workers kept are read, and none written again.
    expect(check(ONE_THREAD, "--cache-location", cache, "--as-of", "2026-03-03")).toBe(check(ONE_THREAD, "--no-cache", "--as-of", "2026-03-03"));
    expect(readFileSync(join(cache, "index.json"))).toEqual(index);
    // timeline on workers keeps records too: a cache it starts lists them all.
    rmSync(cache, { recursive: true });
    expect(careplan(WORKERS, "timeline", "--cache-location", cache, "--all", "--format", "json")).toEqual(careplan(ONE_THREAD, "timeline", "--no-cache", "--all", "--format", "json"));
    expect(JSON.parse(readFileSync(join(cache, "index.json"), "utf8").split("\n").slice(1).join("\n"))[2]).toHaveLength(entries.length);
  });

  it("timeline: the same items, titles, order and warnings as one thread, every view", () => {
    for (const view of [["--all", "--format", "json"], ["--format", "json"], ["--within", "90"]]) {
      const alone = careplan(ONE_THREAD, "timeline", "--no-cache", ...view);
      expect(alone.stdout.length).toBeGreaterThan(1000);
      expect(alone.stderr).toMatch(/C-000005\/[-\w]+-visit\.md: left out of the timeline/);
      expect(alone.stderr).toMatch(/C-000007\/child\.md: the child is left out of the timeline/);
      expect(careplan(WORKERS, "timeline", "--no-cache", ...view)).toEqual(alone);
    }
    const all = JSON.parse(careplan(ONE_THREAD, "timeline", "--no-cache", "--all", "--format", "json").stdout) as { items: { title: string; status: string }[] };
    expect(new Set(all.items.map((item) => item.status))).toEqual(new Set(["met", "overdue", "upcoming"]));
  });
});
