// Micro-benchmark of the choices on the common path, per document: js-yaml's core schema versus
// yaml 2 for front matter, the hand-written section scanner versus a CommonMark parser, against a
// plain read. Also checks that the two YAML parsers agree on every generated document.
// Run: npm run bench (or node dist/bench/parse.js [documents]).
import { isDeepStrictEqual } from "node:util";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import jsYaml from "js-yaml";
import { fromMarkdown } from "mdast-util-from-markdown";
import { LineCounter, parse, parseDocument } from "yaml";
import { normaliseText, splitFrontMatter } from "../src/casefile/frontmatter.js";
import { scanSections } from "../src/casefile/sections.js";
import { generateRepository } from "./generate.js";

const documents = Number(process.argv[2] ?? 2000);
const root = mkdtempSync(join(tmpdir(), "careplan-parse-"));
try {
  generateRepository(root, { children: Math.ceil(documents / 20), perChild: 19, asOf: "2026-03-02" });
  const files = readdirSync(join(root, "children")).flatMap((id) => readdirSync(join(root, "children", id)).map((name) => join(root, "children", id, name)));
  const texts = files.map((file) => readFileSync(file, "utf8"));
  const splits = texts.map((text) => splitFrontMatter(normaliseText(text)));

  let disagreements = 0;
  for (const split of splits) if (!isDeepStrictEqual(jsYaml.load(split.yaml!, { schema: jsYaml.CORE_SCHEMA }), parse(split.yaml!))) disagreements++;

  /** Median of several timed rounds, after a warm-up, in µs per document. */
  const measure = (run: () => void): number => {
    run();
    const rounds = [0, 1, 2, 3, 4].map(() => {
      const start = performance.now();
      run();
      return ((performance.now() - start) * 1000) / files.length;
    });
    return rounds.sort((a, b) => a - b)[2]!;
  };
  const read = measure(() => files.forEach((file) => readFileSync(file, "utf8")));
  const rows: [string, number][] = [
    ["plain read (readFileSync)", read],
    ["front matter: js-yaml, core schema", measure(() => splits.forEach((s) => jsYaml.load(s.yaml!, { schema: jsYaml.CORE_SCHEMA })))],
    ["front matter: yaml 2 parse", measure(() => splits.forEach((s) => parse(s.yaml!)))],
    ["front matter: yaml 2 parseDocument + LineCounter", measure(() => splits.forEach((s) => parseDocument(s.yaml!, { lineCounter: new LineCounter() })))],
    ["sections: careplan's scanner", measure(() => splits.forEach((s) => scanSections(s.body, s.bodyFirstLine)))],
    // The reference parser is slow: time a tenth of the documents and scale per document.
    ["sections: mdast-util-from-markdown", measure(() => splits.slice(0, files.length / 10).forEach((s) => fromMarkdown(s.body))) * 10],
  ];
  const size = texts.reduce((sum, t) => sum + t.length, 0) / texts.length / 1024;
  console.log(`${files.length} documents, ${size.toFixed(1)} KB each on average; µs per document (median of 5 rounds)`);
  for (const [name, us] of rows) console.log(`${name.padEnd(50)} ${us.toFixed(1).padStart(8)}  ${(us / read).toFixed(1).padStart(6)}x read`);
  console.log(disagreements === 0 ? "js-yaml (core schema) and yaml 2 agree on every document." : `WARNING: js-yaml and yaml 2 disagree on ${disagreements} documents.`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
