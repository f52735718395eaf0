// careplan's own templates keep the template language a repository's templates are held to (their
// declarations and bodies are not checked again on every run).
import { mkdtempSync, readFileSync, rmSync, cpSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEMPLATES_DIR } from "../../src/assets.js";
import { builtInTemplateProblems } from "../../src/templates/forms.js";

describe("the built-in templates", () => {
  it("have no problem, declarations and bodies checked", () => {
    expect(builtInTemplateProblems(TEMPLATES_DIR)).toEqual([]);
  });

  it.each([
    ["a declaration out of its form", (text: string) => text.replace(/^title: .*$/m, "title: [not, a, line]"), /title/],
    ["a body with a helper", (text: string) => text.replace("## Seen alone", "## Seen alone\n{{#each child}}{{/each}}"), /blocks/],
  ])("a copy with %s is found out (the check can fail)", (_, change, problem) => {
    const dir = mkdtempSync(join(tmpdir(), "careplan-templates-"));
    try {
      cpSync(TEMPLATES_DIR, dir, { recursive: true });
      writeFileSync(join(dir, "visit.md"), change(readFileSync(join(dir, "visit.md"), "utf8")));
      expect(builtInTemplateProblems(dir).join("\n")).toMatch(problem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
