// Whole-run benchmark: `check` and `timeline` over a generated repository, against a plain read
// of every file. The target (issue 3): a full check within about 5 times the plain read.
// Run: npm run bench (or node dist/bench/check.js [children] [documents per child]);
// CAREPLAN_BENCH_KEEP=<empty folder> keeps the generated repository there for profiling.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { selectPaths } from "../src/casefile/repository.js";
import { caseUnits, computeTimeline, readCaseload, timelineContext } from "../src/core/caseload.js";
import { checkCaseload, recordContext } from "../src/core/check.js";
// Each measured run reads and parses the repository itself, as `careplan check` does.
import { loadDocumentTypes } from "../src/doctypes.js";
import { resolvePolicy } from "../src/timescales/policy.js";
import { generateRepository } from "./generate.js";

const children = Number(process.argv[2] ?? 1000);
const perChild = Number(process.argv[3] ?? 20);

/** The better of two runs: this machine's timings are noisy, and the first run also warms the JIT. */
function time<T>(run: () => T): [T, number] {
  let best = Infinity;
  let result!: T;
  for (let round = 0; round < 2; round++) {
    const start = performance.now();
    result = run();
    best = Math.min(best, performance.now() - start);
  }
  return [result, best];
}

function plainRead(root: string): number {
  let bytes = 0;
  const childrenDir = join(root, "children");
  for (const id of readdirSync(childrenDir)) {
    for (const name of readdirSync(join(childrenDir, id))) bytes += readFileSync(join(childrenDir, id, name), "utf8").length;
  }
  return bytes;
}

const keep = process.env.CAREPLAN_BENCH_KEEP;
const root = keep ?? mkdtempSync(join(tmpdir(), "careplan-bench-"));
try {
  const files = generateRepository(root, { children, perChild, asOf: "2026-03-02" });
  const asOf = "2026-03-02";
  plainRead(root); // warm the page cache so every run reads from memory
  const [bytes, readMs] = time(() => plainRead(root));
  const types = loadDocumentTypes();
  const selection = selectPaths([root], root, undefined);
  const policy = resolvePolicy(selection.repository.config, [...types.keys()]);
  const [, loadMs] = time(() => [...readCaseload(selection, types)].length);
  const [result, checkMs] = time(() => checkCaseload({ children: readCaseload(selection, types), types, policy, config: selection.repository.config, asOf }));
  const records = recordContext(types, policy, selection.repository.config.closures, asOf);
  const [timeline, timelineMs] = time(() => computeTimeline(caseUnits(selection, records), timelineContext(types, policy, selection.repository.config.closures, asOf)));
  const perDoc = (ms: number) => ((ms * 1000) / files).toFixed(1);
  console.log(`${files} documents, ${(bytes / files / 1024).toFixed(1)} KB each on average, ${children} children`);
  console.log(`plain read            ${readMs.toFixed(0).padStart(6)} ms  ${perDoc(readMs).padStart(6)} µs/doc  1.0x`);
  console.log(`read + parse          ${loadMs.toFixed(0).padStart(6)} ms  ${perDoc(loadMs).padStart(6)} µs/doc  ${(loadMs / readMs).toFixed(1)}x`);
  console.log(`check (all rules)     ${checkMs.toFixed(0).padStart(6)} ms  ${perDoc(checkMs).padStart(6)} µs/doc  ${(checkMs / readMs).toFixed(1)}x  (${result.findings.length} findings)`);
  console.log(`timeline              ${timelineMs.toFixed(0).padStart(6)} ms  ${perDoc(timelineMs).padStart(6)} µs/doc  ${(timelineMs / readMs).toFixed(1)}x  (${timeline.items.length} items)`);
} finally {
  if (!keep) rmSync(root, { recursive: true, force: true });
}
