// Whole-run benchmark: `check` and `timeline` over a generated repository, against a plain read
// of every file. The target (issue 3): a full check within about 5 times the plain read.
// Run: npm run bench (or node dist/bench/check.js [children] [documents per child]);
// CAREPLAN_BENCH_KEEP=<empty folder> keeps the generated repository there for profiling.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { TEMPLATES_DIR } from "../src/assets.js";
import { selectPaths } from "../src/casefile/repository.js";
import { computeTimeline, readCaseload, timelineContext } from "../src/core/caseload.js";
import { checkCaseload } from "../src/core/check.js";
// Each measured run reads and parses the repository itself, as `careplan check` does.
import { loadDocumentTypes } from "../src/doctypes.js";
import { renderDocument } from "../src/templates/scaffold.js";
import { loadTemplates } from "../src/templates/template.js";
import { addDays } from "../src/timescales/dates.js";
import { resolvePolicy } from "../src/timescales/policy.js";

const children = Number(process.argv[2] ?? 1000);
const perChild = Number(process.argv[3] ?? 20);

const PARAGRAPH =
  "The child was seen at home and spoke about school, friends and time with family. The carer reported a settled fortnight with good sleep and attendance. " +
  "Agreed next steps were shared with the child in words they understood, and the plan will be looked at again at the next meeting. ";

function generate(root: string): number {
  const templates = loadTemplates(TEMPLATES_DIR);
  const types = ["visit", "care-planning-meeting", "review", "care-plan", "health-assessment", "pep", "placement-plan"];
  let files = 0;
  writeFileSync(join(root, "careplan.yaml"), "policy: [england, care-planning-meetings]\n");
  for (let c = 0; c < children; c++) {
    const id = `C-${String(c).padStart(6, "0")}`;
    const folder = join(root, "children", id);
    mkdirSync(folder, { recursive: true });
    const since = addDays("2024-01-08", c % 400);
    const profile = {
      type: "child", id, name: `Child ${c}`, dob: addDays("2012-03-01", c % 3000), looked_after_since: since, legal_status: "care-order",
      iro: { name: "Pat Lee", email: "pat.lee@example.org" }, social_worker: { name: "Jo Khan", team: "North" },
      placements: [{ start: since, type: "foster-care", provider: "Foster carers", permanent: false }],
    };
    writeFileSync(join(folder, "child.md"), fill(renderDocument(templates.get("child")!, profile, profile)));
    files++;
    for (let d = 0; d < perChild; d++) {
      const type = types[d % types.length]!;
      const date = addDays(since, 7 + d * 21);
      const data: Record<string, unknown> = { type, child: id, date, name: profile.name, dob: profile.dob };
      if (type === "visit") Object.assign(data, { seen_alone: true, unannounced: d % 5 === 0 });
      if (type === "care-plan") Object.assign(data, { permanence_plan: "long-term-fostering", actions: [{ action: "Book a dental check", who: "Carer", when: addDays(date, 30) }] });
      if (type === "placement-plan") data.placement_start = since;
      if (type === "review") Object.assign(data, { record_circulated: addDays(date, 10), actions: [{ action: "Update the PEP", who: "SW", when: addDays(date, 40) }] });
      if (type === "care-planning-meeting") data.distributed = addDays(date, 3);
      writeFileSync(join(folder, `${date}-${type}-${d}.md`), fill(renderDocument(templates.get(type)!, data, profile)));
      files++;
    }
  }
  return files;
}

/** Writes some text into every section, to about 7 KB a document. */
function fill(text: string): string {
  return text.replace(/(<!--[^\n]*-->)\n/g, `$1\n${PARAGRAPH.repeat(3)}\n`);
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
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
  const files = generate(root);
  const asOf = "2026-03-02";
  plainRead(root); // warm the page cache so both runs read from memory
  const [bytes, readMs] = time(() => plainRead(root));
  const types = loadDocumentTypes();
  const selection = selectPaths([root], root, undefined);
  const policy = resolvePolicy(selection.repository.config, [...types.keys()]);
  const [, loadMs] = time(() => [...readCaseload(selection, types)].length);
  const [result, checkMs] = time(() => checkCaseload({ children: readCaseload(selection, types), types, policy, config: selection.repository.config, asOf }));
  const [timeline, timelineMs] = time(() => computeTimeline(readCaseload(selection, types), timelineContext(types, policy, selection.repository.config.closures, asOf)));
  const perDoc = (ms: number) => ((ms * 1000) / files).toFixed(1);
  console.log(`${files} documents, ${(bytes / files / 1024).toFixed(1)} KB each on average, ${children} children`);
  console.log(`plain read            ${readMs.toFixed(0).padStart(6)} ms  ${perDoc(readMs).padStart(6)} µs/doc  1.0x`);
  console.log(`read + parse          ${loadMs.toFixed(0).padStart(6)} ms  ${perDoc(loadMs).padStart(6)} µs/doc  ${(loadMs / readMs).toFixed(1)}x`);
  console.log(`check (all rules)     ${checkMs.toFixed(0).padStart(6)} ms  ${perDoc(checkMs).padStart(6)} µs/doc  ${(checkMs / readMs).toFixed(1)}x  (${result.findings.length} findings)`);
  console.log(`timeline              ${timelineMs.toFixed(0).padStart(6)} ms  ${perDoc(timelineMs).padStart(6)} µs/doc  ${(timelineMs / readMs).toFixed(1)}x  (${timeline.items.length} items)`);
} finally {
  if (!keep) rmSync(root, { recursive: true, force: true });
}
