// Growth of every scanner on adversarial input: each input at n, 2n and 4n, timed. Linear work
// takes about 2x and 4x as long; quadratic about 4x and 16x. The tests only assert that these
// inputs return with the right answer (test/security/adversarial.test.ts); the growth is measured
// here. Run: npm run bench (or node dist/bench/adversarial.js [n in KiB, default 256]).
import { performance } from "node:perf_hooks";
import { scanBody } from "../src/casefile/sections.js";
import { normaliseText, splitFrontMatter } from "../src/casefile/frontmatter.js";
import { fileNameReader } from "../src/casefile/filename.js";
import { createYamlLocator, parseFrontMatterYaml } from "../src/casefile/yaml.js";
import { normaliseHeading } from "../src/rules/headings.js";
import { DEFAULT_LIMITS } from "../src/config/limits.js";

const base = Number(process.argv[2] ?? 256) * 1024;
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const readName = fileNameReader(["care-plan", "care-planning-meeting", "visit", "review"]);
const noLimits = { ...DEFAULT_LIMITS, listItems: 10_000_000 };

interface Case {
  name: string;
  run: (size: number) => unknown;
}

const sections = (line: (size: number) => string): Case["run"] => (size) => scanBody(`## Before\n\n${line(size)}\n\n## After\n`, 1);

const cases: Case[] = [
  { name: "sections: heading, spaces before its last word", run: sections((n) => "## a" + fill(" ", n) + "b") },
  { name: "sections: heading, spaces before closing hashes", run: sections((n) => "## a" + fill(" ", n) + "#") },
  { name: "sections: stars (thematic break)", run: sections((n) => fill("*", n)) },
  { name: "sections: nested list items", run: sections((n) => fill("- ", n) + "x") },
  { name: "sections: nested block quotes", run: sections((n) => fill("> ", n) + "x") },
  { name: "sections: tag with many attributes", run: sections((n) => "<a" + fill(" b", n) + ">") },
  { name: "sections: comment never closed", run: sections((n) => "<!--" + fill(" x", n)) },
  { name: "sections: bold line, spaces inside", run: sections((n) => "**a" + fill(" ", n) + "b**") },
  { name: "sections: heading of backslashes", run: sections((n) => "## " + fill("\\", n)) },
  { name: "sections: short lines (> x)", run: sections((n) => fill("> x\n", n)) },
  { name: "heading normalised: trailing spaces", run: (n) => normaliseHeading("Health" + fill(" ", n) + "x") },
  { name: "front-matter split: fence-like lines", run: (n) => splitFrontMatter(normaliseText("---\n" + fill("--\n", n) + "---\nbody")) },
  { name: "file name: many .md", run: (n) => readName("2026-01-05-" + fill(".md", n - (n % 3)) + "x") },
  { name: "front matter (js-yaml): key, spaces, value", run: (n) => parseFrontMatterYaml("a:" + fill(" ", n) + "b", 2) },
  { name: "front matter (js-yaml): nested lists, refused", run: (n) => parseFrontMatterYaml(fill("- ", n) + "x", 2) },
  { name: "front matter (yaml 2): nested lists + alias, refused", run: (n) => parseFrontMatterYaml(fill("- ", n) + "*x", 2) },
  { name: "front matter (yaml 2): unclosed flow list", run: (n) => parseFrontMatterYaml("[" + fill("a, ", n), 2) },
  {
    name: "locate every item of a malformed list",
    run: (n) => {
      const items = Math.floor(n / 6);
      const source = "actions:\n" + "  - x\n".repeat(items);
      parseFrontMatterYaml(source, 2, noLimits);
      const locate = createYamlLocator(source, 2);
      for (let i = 0; i < items; i++) locate(["actions", i]);
    },
  },
  {
    name: "locate every item (flow style, parser path)",
    run: (n) => {
      const items = Math.floor(n / 3);
      const source = "actions: [" + "1, ".repeat(items) + "]";
      const locate = createYamlLocator(source, 2);
      for (let i = 0; i < items; i++) locate(["actions", i]);
    },
  },
];

/** Best of three rounds, in ms. */
function time(run: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const sizes = [base, 2 * base, 4 * base];
const header = `| input | ${sizes.map((s) => `${s / 1024} KiB (ms)`).join(" | ")} | 4n / n |`;
process.stdout.write(`Growth on adversarial input (linear: 4n / n near 4; quadratic: near 16)\n\n${header}\n| --- | --- | --- | --- | --- |\n`);
for (const { name, run } of cases) {
  const times = sizes.map((size) => time(() => run(size)));
  const ratio = times[2]! / Math.max(times[0]!, 0.01);
  process.stdout.write(`| ${name} | ${times.map((t) => t.toFixed(1)).join(" | ")} | ${ratio.toFixed(1)} |\n`);
}
