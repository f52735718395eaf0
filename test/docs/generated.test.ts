// The generated parts of docs/ match their sources: a change to a template or a preset that was
// not followed by `npm run docs` fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT, TEMPLATES_DIR } from "../../src/assets.js";
import { generatedDocs } from "../../src/templates/generated-docs.js";

describe("generated documentation", () => {
  it.each(generatedDocs(TEMPLATES_DIR).map((doc) => [doc.file, doc] as const))("%s is up to date (run npm run docs)", (file, doc) => {
    const current = readFileSync(join(PACKAGE_ROOT, file), "utf8");
    expect(current, `${file} is stale: run npm run docs`).toBe(doc.render(current));
  });

  it("lists every preset rule and every template field", () => {
    const rules = readFileSync(join(PACKAGE_ROOT, "docs/rules.md"), "utf8");
    for (const id of ["review.second", "cpm.minutes", "assessment.pre-pathway", "review.placement-change", "visit.unannounced"]) expect(rules).toContain(`| \`${id}\` |`);
    const format = readFileSync(join(PACKAGE_ROOT, "docs/format.md"), "utf8");
    for (const key of ["placements.N.start", "permanence_plan", "placement_start", "seen_alone", "record_circulated"]) expect(format).toContain(`| \`${key}\` |`);
  });
});

describe("the README's demo", () => {
  it("shows what the demo command prints today", async () => {
    const { runCli } = await import("../cli-harness.js");
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    expect(readme).toContain("npx careplan timeline fixtures/example --as-of 2026-03-02");
    const shown = /<!-- demo:begin -->[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
    const run = await runCli(["timeline", "fixtures/example", "--as-of", "2026-03-02"], { cwd: PACKAGE_ROOT });
    expect(shown, "README.md's demo output is stale: paste the command's output again").toBe(run.stdout.replace(/\n+$/, "\n"));
  });
});
