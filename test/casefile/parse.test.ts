// Reading a document: front matter, positions and sections are those of the file as written,
// whether it has LF or CRLF line ends and a byte order mark or not.
import { describe, expect, it } from "vitest";
import { parseDocumentText } from "../../src/casefile/document.js";
import { normaliseText, splitFrontMatter } from "../../src/casefile/frontmatter.js";
import { parseFrontMatterYaml } from "../../src/casefile/yaml.js";

const LF = [
  "---",
  "type: visit",
  "child: AB-1",
  "date: 2026-02-30",
  "placements:",
  "  - start: 2026-01-05",
  "    type: foster-care",
  "seen_alone: yes",
  "---",
  "# Visit",
  "",
  "## Purpose of the visit",
  "<!-- guidance -->",
  "",
  "## Seen alone",
  "Yes, in the garden.",
  "",
].join("\n");

const variants: [string, string][] = [
  ["LF", LF],
  ["CRLF", LF.replace(/\n/g, "\r\n")],
  ["BOM + LF", "\uFEFF" + LF],
  ["BOM + CRLF", "\uFEFF" + LF.replace(/\n/g, "\r\n")],
];

const name = { kind: "document", date: "2026-02-28", type: "visit", slug: undefined } as const;

describe.each(variants)("a %s document", (_, text) => {
  const document = parseDocumentText("children/AB-1/2026-02-28-visit.md", "AB-1", name, text);

  it("keeps dates as strings and reads only true/false as booleans", () => {
    expect(document.data).toEqual({
      type: "visit",
      child: "AB-1",
      date: "2026-02-30",
      placements: [{ start: "2026-01-05", type: "foster-care" }],
      seen_alone: "yes",
    });
  });

  it.each([
    [["date"], 4, 1],
    [["seen_alone"], 8, 1],
    [["placements", 0], 6, 5],
    [["placements", 0, "type"], 7, 5],
  ] as const)("locates %j at line %i, column %i", (path, line, column) => {
    expect(document.locate(path)).toEqual({ line, column });
  });

  it("finds its sections at their lines, empty or not", () => {
    expect(document.sections).toEqual([
      { heading: "Purpose of the visit", line: 12, column: 1, end: 14, empty: true },
      { heading: "Seen alone", line: 15, column: 1, end: 16, empty: false },
    ]);
  });
});

describe.each(variants.map(([label, text]) => [label, text.replace("seen_alone: yes", "seen_alone: [unclosed")] as [string, string]))("a %s document with broken YAML", (_, text) => {
  it("reports the parser's position in the file, in words that do not quote it", () => {
    const document = parseDocumentText("f.md", "AB-1", name, text);
    expect(document.data).toBeUndefined();
    expect(document.yamlProblem?.line).toBeGreaterThanOrEqual(8);
    expect(document.yamlProblem?.message).not.toContain("unclosed");
  });
});

describe("splitFrontMatter", () => {
  it.each([
    ["no front matter", "# Title\n", { yaml: undefined, bodyFirstLine: 1, unterminated: false }],
    ["empty front matter", "---\n---\nbody\n", { yaml: "", bodyFirstLine: 3, unterminated: false }],
    ["unterminated", "---\ntype: visit\n", { yaml: "type: visit\n", unterminated: true }],
    ["closing with ...", "---\ntype: visit\n...\nbody", { yaml: "type: visit\n", bodyFirstLine: 4, body: "body" }],
    ["fence with trailing spaces", "---  \na: 1\n---\t\nx", { yaml: "a: 1\n", bodyFirstLine: 4 }],
    ["a thematic break later is body", "---\na: 1\n---\ntext\n---\n", { yaml: "a: 1\n", body: "text\n---\n" }],
  ])("%s", (_, text, expected) => {
    expect(splitFrontMatter(normaliseText(text))).toMatchObject(expected);
  });
});

describe("the fast YAML path agrees with yaml 2", () => {
  it.each([
    ["dates stay strings", "d: 2026-01-05\nq: '2026-01-05'", { d: "2026-01-05", q: "2026-01-05" }],
    ["YAML 1.1 booleans are strings", "a: yes\nb: no\nc: on\nd: off\ne: true\nf: False", { a: "yes", b: "no", c: "on", d: "off", e: true, f: false }],
    ["numbers", "a: 1\nb: 1.5\nc: 0x10\nd: 012", { a: 1, b: 1.5, c: 16, d: 12 }],
    ["nulls", "a:\nb: ~\nc: null", { a: null, b: null, c: null }],
    ["an alias goes through yaml 2", "a: &x 1\nb: *x", { a: 1, b: 1 }],
  ])("%s", (_, source, expected) => {
    expect(parseFrontMatterYaml(source, 2)).toEqual({ ok: true, data: expected });
  });

  it.each([
    ["a duplicate key", "a: 1\na: 2", 3],
    ["a tab for indentation", "a:\n\tb: 1", 3],
    ["an unclosed quote", "a: 'x\nb: 1", 2],
  ])("%s is an error at a file position", (_, source, line) => {
    const result = parseFrontMatterYaml(source, 2);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.line).toBeGreaterThanOrEqual(line);
  });

  it("bounds a billion-laughs alias bomb instead of expanding it", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]", "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]"].join("\n");
    expect(parseFrontMatterYaml(bomb, 2).ok).toBe(false);
  });
});
