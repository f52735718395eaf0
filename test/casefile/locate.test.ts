// Positions of fields: the line reader (the fast path) must give exactly what the parser gives,
// whenever it answers at all.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import jsYaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { normaliseText, splitFrontMatter } from "../../src/casefile/frontmatter.js";
import { locateByLines, locateByParsing, locateInYaml, type YamlPath } from "../../src/casefile/yaml.js";

/** Every path to a value in parsed front matter, parents first. */
function paths(value: unknown, prefix: (string | number)[] = []): YamlPath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...paths(item, [...prefix, i])]);
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

/** Compares the two ways on every path of a YAML text; returns how many the line reader answered. */
function agree(source: string): { answered: number; total: number } {
  const all = paths(jsYaml.load(source, { schema: jsYaml.CORE_SCHEMA }));
  let answered = 0;
  for (const path of all) {
    const quick = locateByLines(source, path);
    if (quick === undefined) continue;
    answered++;
    expect(quick, `${JSON.stringify(path)} in\n${source}`).toEqual(locateByParsing(source, 1, path));
  }
  return { answered, total: all.length };
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith(".md") ? [path] : [];
  });
}

describe("locating a field", () => {
  it("agrees with the parser on every path of every fixture, and answers most of them", () => {
    let answered = 0;
    let total = 0;
    for (const file of markdownFiles(join(PACKAGE_ROOT, "fixtures/example"))) {
      const yaml = splitFrontMatter(normaliseText(readFileSync(file, "utf8"))).yaml!;
      const result = agree(yaml);
      answered += result.answered;
      total += result.total;
    }
    expect(total).toBeGreaterThan(500);
    expect(answered / total).toBeGreaterThan(0.95);
  });

  it.each([
    ["a list at its key's own indent", "actions:\n- action: x\n  when: 2026-01-01\nnext: 1", ["actions", 0, "when"], { line: 3, column: 3 }],
    ["comments and blank lines", "# note\n\na: 1\n  # indented note\nb:\n  c: 2", ["b", "c"], { line: 6, column: 3 }],
    ["an item whose first key is on the dash line", "items:\n  -   x: 1\n      y: 2", ["items", 0, "y"], { line: 3, column: 7 }],
  ])("%s", (_, source, path, expected) => {
    expect(locateByLines(source, path)).toEqual(expected);
    expect(locateByParsing(source, 1, path)).toEqual(expected);
  });

  it.each([
    ["flow style", "a: { b: 1 }", ["a", "b"]],
    ["a quoted key", '"a": 1', ["a"]],
    ["a tab", "a:\n\tb: 1", ["a", "b"]],
    ["an item's value on the next line", "a:\n  -\n    b: 1", ["a", 0, "b"]],
    ["a key written twice", "a: 1\na: 2", ["a"]],
    ["a missing key", "a: 1", ["b"]],
  ])("leaves %s to the parser", (_, source, path) => {
    expect(locateByLines(source, path)).toBeUndefined();
  });

  it("offsets lines by the front matter's first line", () => {
    expect(locateInYaml("a: 1\nb: 2", 2, ["b"])).toEqual({ line: 3, column: 1 });
    expect(locateInYaml("a: { b: 1 }", 2, ["a", "b"])).toEqual({ line: 2, column: 6 });
  });

  const key = fc.constantFrom("type", "date", "name", "iro", "email", "placements", "start", "end", "actions", "when", "done", "seen_alone", "waivers", "rule");
  const scalar = fc.oneof(fc.constantFrom("2026-01-05", "yes", "true", "a: b", "- x", "# not", "multi\nline", "  padded", "{x}", "[y]", "'q'", '"d"', "*a", "&b", "!c", "|", ">"), fc.boolean(), fc.integer(), fc.string({ maxLength: 12 }));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
  })).node;
  const frontMatter = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });

  it.each([
    ["yaml, as careplan new writes it", (data: object) => stringify(data, { lineWidth: 0 })],
    ["yaml with lists at their key's indent", (data: object) => stringify(data, { indentSeq: false })],
    ["js-yaml", (data: object) => jsYaml.dump(data)],
  ])("agrees on generated front matter written by %s", (_, write) => {
    fc.assert(
      fc.property(frontMatter, (data) => {
        agree(write(data));
      }),
      { numRuns: Number(process.env.LOCATE_RUNS ?? 400) },
    );
  });
});
