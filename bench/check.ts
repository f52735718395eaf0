// The whole-run benchmark of issue 13, in one run: the real binary (a process per run, as a user
// starts it) over generated repositories committed to git, against a plain read of every file
// measured in the same run; then the timeline engine over 84,000 children's facts built in memory.
//
//   npm run bench                                    10,000 and 100,000 documents, 84,000 children
//   node dist/bench/check.js [documents...]          other sizes, e.g. 2000 for a quick look
//   CAREPLAN_BENCH_ENGINE=8400                       fewer children for the engine
//   CAREPLAN_BENCH_ROUNDS=3                          rounds per measure (the best is shown)
//   CAREPLAN_BENCH_KEEP=<empty folder>               keep the repositories there for profiling
//
// Each figure is the best of its rounds: this machine is shared and its timings are noisy.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { selectPaths } from "../src/casefile/repository.js";
import { caseUnits, timelineContext } from "../src/core/caseload.js";
import { recordContext } from "../src/core/check.js";
import { loadDocumentTypes } from "../src/doctypes.js";
import { legalStatusesOf, resolvePolicy } from "../src/timescales/policy.js";
import { evaluateChild } from "../src/timescales/engine.js";
import { factsOn, type ChildFacts } from "../src/timescales/facts.js";
import { generateRepository } from "./generate.js";

const AS_OF = "2026-03-02";
/** Documents per child on average (20 to 60 each): 2,500 children make 100,000 documents. */
const PER_CHILD = 40;
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(10_000, 100_000);
const engineChildren = Number(process.env.CAREPLAN_BENCH_ENGINE ?? 84_000);
const rounds = Number(process.env.CAREPLAN_BENCH_ROUNDS ?? 2);
const keep = process.env.CAREPLAN_BENCH_KEEP;

const HERE = fileURLToPath(new URL(".", import.meta.url));
const MEASURE = join(HERE, "measure.js");
const PLAIN_READ = join(HERE, "plain-read.js");
const COMMITTER = { GIT_AUTHOR_NAME: "Bench", GIT_AUTHOR_EMAIL: "bench@example.org", GIT_COMMITTER_NAME: "Bench", GIT_COMMITTER_EMAIL: "bench@example.org" };

interface Measure {
  ms: number;
  /** Peak resident memory, MiB (undefined for the plain read, which holds one file at a time). */
  mib: number | undefined;
}

/** A node process, timed from start to exit; with careplan's arguments, through measure.js for its peak memory. */
function timed(cwd: string, script: string, args: string[], env: Record<string, string> = {}): Measure {
  const result = join(cwd, "..", `measure-${process.pid}.json`);
  const measured = script === MEASURE;
  const start = performance.now();
  const run = spawnSync(process.execPath, [script, ...(measured ? [result] : []), ...args], { cwd, env: { ...process.env, CI: "true", ...env }, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - start;
  if (run.status === null || run.status > 1) throw new Error(`${args.join(" ")} failed: ${run.stderr}`);
  if (!measured) return { ms, mib: undefined };
  const { maxRssKiB } = JSON.parse(readFileSync(result, "utf8")) as { maxRssKiB: number };
  rmSync(result);
  return { ms, mib: maxRssKiB / 1024 };
}

/** The best of the rounds (`before` runs untimed before each, to set the scene). */
function best(measure: (round: number) => Measure, before: (round: number) => void = () => undefined): Measure & { worst: number } {
  const all: Measure[] = [];
  for (let round = 0; round < rounds; round++) {
    before(round);
    all.push(measure(round));
  }
  const fastest = all.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...fastest, mib: Math.max(...all.map((m) => m.mib ?? 0)) || undefined, worst: Math.max(...all.map((m) => m.ms)) };
}

const careplan = (root: string, args: string[], env?: Record<string, string>) => timed(root, MEASURE, [...args, "--as-of", AS_OF], env);
const clearCache = (root: string) => rmSync(join(root, ".careplan-cache"), { recursive: true, force: true });

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
}

const base = keep ?? mkdtempSync(join(tmpdir(), "careplan-bench-"));
const growth: { documents: number; plainUs: number; checkUs: number; timelineUs: number }[] = [];
try {
  console.log(`careplan benchmark: node ${process.version}, ${rounds} rounds a measure (best shown, slowest in brackets)`);
  const startup = best(() => timed(base, MEASURE, ["--version"]));
  const bare = best(() => {
    const start = performance.now();
    execFileSync(process.execPath, ["-e", "0"]);
    return { ms: performance.now() - start, mib: undefined };
  });
  console.log(`start-up: careplan --version ${startup.ms.toFixed(0)} ms, node alone ${bare.ms.toFixed(0)} ms\n`);

  for (const documents of sizes) {
    const root = join(base, `repo-${documents}`);
    const findings = join(base, `findings-${documents}`);
    const children = Math.max(1, Math.round(documents / (PER_CHILD + 1)));
    let start = performance.now();
    for (const folder of [root, findings]) mkdirSync(folder, { recursive: true });
    const files = generateRepository(root, { children, perChild: PER_CHILD, asOf: AS_OF });
    generateRepository(findings, { children, perChild: PER_CHILD, asOf: AS_OF, manyFindings: true });
    const generated = performance.now() - start;
    start = performance.now();
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, env: { ...process.env, ...COMMITTER }, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "case files");
    const committed = performance.now() - start;
    const bytes = Number(execFileSync(process.execPath, [PLAIN_READ, root], { encoding: "utf8" }));
    console.log(`${files.toLocaleString("en-GB")} documents (${children} children, ${(bytes / files / 1024).toFixed(1)} KB each on average): generated in ${(generated / 1000).toFixed(0)} s, committed to git in ${(committed / 1000).toFixed(0)} s`);

    // The page cache warm for every run, the plain read's too.
    const plain = best(() => timed(root, PLAIN_READ, [root]));
    const coldTimeline = best(() => careplan(root, ["timeline", "--format", "json", "--all"]), () => clearCache(root));
    const coldOneThread = best(() => careplan(root, ["check", "--format", "json"], { CAREPLAN_WORKERS: "1" }), () => clearCache(root));
    const cold = best(() => careplan(root, ["check", "--format", "json"]), () => clearCache(root));
    const manyFindings = best(() => careplan(findings, ["check", "--format", "json"]), () => clearCache(findings));
    const findingCount = (() => {
      const run = spawnSync(process.execPath, [join(HERE, "../../bin/careplan"), "check", "--format", "json", "--as-of", AS_OF, "--no-cache"], { cwd: findings, encoding: "utf8", maxBuffer: 1 << 30 });
      return (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length;
    })();
    // The cache is full now (the last cold check wrote it).
    const again = best(() => careplan(root, ["check", "--format", "json"]));
    const timelineAgain = best(() => careplan(root, ["timeline", "--format", "json", "--all"]));
    const ids = readdirSync(join(root, "children")).sort();
    const oneChanged = best(
      () => careplan(root, ["check", "--format", "json"]),
      (round) => {
        const child = join(root, "children", ids[(round * 7) % ids.length]!);
        appendFileSync(join(child, readdirSync(child).find((name) => name !== "child.md")!), "\nOne more line.\n");
      },
    );
    const gitStatus = best(() => {
      const begin = performance.now();
      execFileSync("git", ["status", "--porcelain", "-uno"], { cwd: root, stdio: "ignore" });
      return { ms: performance.now() - begin, mib: undefined };
    });

    const row = (name: string, m: Measure & { worst: number }, count = files): string[] => [
      name,
      `${(m.ms / 1000).toFixed(2)} s`,
      `(${(m.worst / 1000).toFixed(2)})`,
      `${(m.ms / plain.ms).toFixed(2)}x`,
      `${Math.round((count / m.ms) * 1000).toLocaleString("en-GB")}`,
      m.mib === undefined ? "" : `${m.mib.toFixed(0)} MiB`,
    ];
    table([
      ["run", "wall", "(slowest)", "ratio to the plain read", "documents/s", "peak memory"],
      row("plain read of every file", plain),
      row("check --format json, cold (workers)", cold),
      row("check --format json, cold, one thread", coldOneThread),
      row(`check --format json, cold, ~${Math.round(findingCount / files)} findings a document`, manyFindings),
      row("timeline --format json --all, cold", coldTimeline),
      row("check again, nothing changed", again),
      row("check again, one child changed", oneChanged),
      row("timeline --format json --all again", timelineAgain),
      row("git status -uno (for scale)", gitStatus),
    ]);
    console.log("");
    growth.push({ documents: files, plainUs: (plain.ms * 1000) / files, checkUs: (cold.ms * 1000) / files, timelineUs: (coldTimeline.ms * 1000) / files });
    if (!keep) for (const folder of [root, findings]) rmSync(folder, { recursive: true, force: true });
  }

  if (growth.length > 1) {
    console.log("cost per document as the repository grows (µs):");
    table([["documents", "plain read", "check, cold", "timeline, cold"], ...growth.map((g) => [g.documents.toLocaleString("en-GB"), g.plainUs.toFixed(0), g.checkUs.toFixed(0), g.timelineUs.toFixed(0)])]);
    console.log("");
  }

  // The engine at national scale: the facts of real generated histories (parsed from a repository
  // of 250 children, as careplan reads them), each copied whole for a child of its own.
  const sample = join(base, "engine-sample");
  mkdirSync(sample);
  generateRepository(sample, { children: 250, perChild: PER_CHILD, asOf: AS_OF });
  const types = loadDocumentTypes(AS_OF);
  const selection = selectPaths([sample], sample, undefined);
  const policy = resolvePolicy(selection.repository.config, [...types.keys()], legalStatusesOf(types));
  const context = recordContext(types, policy, selection.repository.config.closures, AS_OF);
  const histories = [...caseUnits(selection, context)].flatMap((unit) => (unit.record.facts ? [unit.record.facts] : []));
  if (!keep) rmSync(sample, { recursive: true, force: true });
  const heapBefore = process.memoryUsage().heapUsed;
  let start = performance.now();
  const national: ChildFacts[] = Array.from({ length: engineChildren }, (_, i) => ({ ...structuredClone(histories[i % histories.length]!), id: `N-${i}` }));
  const built = performance.now() - start;
  const heapFacts = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const documents = national.reduce((sum, facts) => sum + facts.documents.length, 0);
  const { calendar } = timelineContext(types, policy, selection.repository.config.closures, AS_OF);
  let items = 0;
  start = performance.now();
  for (const facts of national) items += evaluateChild(factsOn(facts, AS_OF), policy.rules, AS_OF, calendar).length;
  const engineMs = performance.now() - start;
  console.log(`the engine over ${engineChildren.toLocaleString("en-GB")} children's facts (${documents.toLocaleString("en-GB")} documents' facts, from ${histories.length} generated histories):`);
  table([
    ["", "time", "per child", "memory"],
    ["facts built in memory", `${(built / 1000).toFixed(2)} s`, "", `${heapFacts.toFixed(0)} MiB of heap (${((heapFacts * 1024 * 1024) / documents).toFixed(0)} bytes a document)`],
    ["timeline engine, every child", `${(engineMs / 1000).toFixed(2)} s`, `${((engineMs * 1000) / engineChildren).toFixed(0)} µs`, `${items.toLocaleString("en-GB")} items; peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB for the whole benchmark process`],
  ]);
} finally {
  if (!keep) rmSync(base, { recursive: true, force: true });
}
