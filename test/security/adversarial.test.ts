// Adversarial 1 MiB lines through every scanner that reads a case file: the section scanner, the
// front-matter split, the front-matter parser and field locator, and the file-name reader. Each
// must return, and return the right answer. No timing is asserted: a scanner that backtracks
// super-linearly takes hours on these lines, and vitest's timeout reports it (bench/adversarial.ts
// measures the growth).
import { describe, expect, it } from "vitest";
import { scanBody, scanSections } from "../../src/casefile/sections.js";
import { normaliseHeading } from "../../src/rules/headings.js";
import { normaliseText, splitFrontMatter } from "../../src/casefile/frontmatter.js";
import { fileNameReader } from "../../src/casefile/filename.js";
import { createYamlLocator, parseFrontMatterYaml } from "../../src/casefile/yaml.js";
import { parseDocumentText } from "../../src/casefile/document.js";

const MIB = 1024 * 1024;
/** `unit` repeated to exactly 1 MiB. */
const fill = (unit: string) => unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB);

describe("the section scanner on 1 MiB lines", () => {
  // Each line stands between two sections; the headings found say how it was read.
  const around = ["Before", "After"];
  const cases: [string, string, string[]][] = [
    ["spaces", fill(" "), around],
    ["a heading with a long run of spaces before its last word", "## a" + fill(" ") + "b", ["Before", "a b", "After"]],
    ["a heading with a long run of spaces before closing hashes", "## a" + fill(" ") + "##", ["Before", "a", "After"]],
    ["a heading whose last word follows a long run of tabs", "## a" + fill("\t") + "b", ["Before", "a b", "After"]],
    ["hashes", fill("#"), around],
    ["a heading of hashes", "## " + fill("#") + " x", ["Before", fill("#") + " x", "After"]],
    ["stars (a thematic break)", fill("*"), around],
    ["underscores (a thematic break)", fill("_"), around],
    ["spaced stars (a thematic break)", fill("* "), around],
    ["stars and words", fill("*a"), around],
    ["underscores and words", fill("_a "), around],
    ["a heading of emphasis marks", "## " + fill("*_`"), ["Before", "", "After"]],
    ["a comment that never ends", "<!--" + fill(" x"), ["Before"]],
    ["brackets", fill("["), around],
    ["brackets and words", fill("[a"), around],
    ["backslashes", fill("\\"), around],
    ["a heading of backslashes", "## " + fill("\\"), ["Before", "\\".repeat(MIB / 2), "After"]],
    ["dashes (a thematic break)", fill("- "), around],
    ["nested list items", fill("- ") + "x", around],
    ["a heading inside nested list items", fill("- ") + "## x", around],
    ["tabs (indented code)", fill("\t") + "x", around],
    ["nested block quotes", fill("> ") + "## x", around],
    ["block quote markers", fill(">") + "## x", around],
    ["a fence whose info string holds a line separator", fill("~") + "\u2028", ["Before"]],
    ["a list item with a line separator after its spaces", "* " + fill(" ") + "\u2028", around],
    ["a div with many attributes", "<div" + fill(" a") + ">", around],
    ["an open tag that never closes", "<a" + fill(" b='c'"), around],
    ["a complete tag with many attributes", "<a" + fill(" b") + ">", around],
    ["digits before a list marker", fill("1") + ".", around],
    ["equals signs", fill("="), around],
    ["backticks (a fence that never closes)", fill("`"), ["Before"]],
    ["angle brackets", fill("<"), around],
    ["comment openers", fill("<!"), around],
    ["entity starts", fill("&#"), around],
  ];

  it.each(cases)("%s", (_, line, expected) => {
    const sections = scanSections(`## Before\n\ntext\n\n${line}\n\n## After\n`, 1);
    expect(sections.map((s) => s.heading)).toEqual(expected);
  });

  it("a setext heading underlined by a 1 MiB line", () => {
    expect(scanSections(`Title\n${fill("-")}\ntext`, 1)).toEqual([expect.objectContaining({ heading: "Title", line: 1, column: 1, empty: false })]);
  });

  it("a million short lines", () => {
    const body = "## A\n" + "> x\n".repeat(MIB / 4) + "## B\n" + "- x\n".repeat(MIB / 4) + "\n## C\n" + "<!-- x\n".repeat(MIB / 7);
    expect(scanSections(body, 1).map((s) => [s.heading, s.empty])).toEqual([["A", false], ["B", false], ["C", true]]);
  });
});

describe("heading look-alikes on 1 MiB lines (bold lines, numbered items, headings pasted from Word)", () => {
  const lookalikes = (line: string) => scanBody(`${line}\n`, 1).headings.map((h) => [h.form, h.text]);
  it.each([
    ["a bold line with a long run of spaces inside", "**a" + fill(" ") + "b**", [["bold", "a b"]]],
    ["a bold line followed by a long run of spaces", "**a**" + fill(" ") + ":", [["bold", "a"]]],
    ["bold markers and spaces that never close", "**_" + fill("*") + fill(" ") + "*", []],
    ["a numbered item with a long run of spaces", "1. a" + fill(" ") + "b", [["list", "a b"]]],
    ["a heading of another level with a long run of tabs", "### a" + fill("\t") + "b", [["heading", "a b"]]],
  ])("%s", (_, line, expected) => {
    expect(lookalikes(line)).toEqual(expected);
  });

  it.each([
    ["trailing spaces then a letter", "Health" + fill(" ") + "x", "health x"],
    ["trailing punctuation and spaces", "Health" + fill(" :.;,!?"), "health"],
    ["tabs then a character no heading ends with", fill("\t") + "\u0000\t", "\u0000"],
  ])("normalising a heading: %s", (_, heading, expected) => {
    expect(normaliseHeading(heading)).toBe(expected);
  });
});

describe("the front-matter split on 1 MiB lines", () => {
  it.each([
    ["a fence followed by spaces", "---" + fill(" ") + "\ntype: visit\n---\nbody", { yaml: "type: visit\n", bodyFirstLine: 4 }],
    ["a long line of dashes", "---\n" + fill("-") + "\n---\nbody", { yaml: fill("-") + "\n", bodyFirstLine: 4 }],
    ["dots", "---\n" + fill(".") + "\n...\nbody", { yaml: fill(".") + "\n", bodyFirstLine: 4 }],
    ["half a million fence-like lines", "---\n" + "--\n".repeat(MIB / 2) + "---\nbody", { yaml: "--\n".repeat(MIB / 2), bodyFirstLine: MIB / 2 + 3 }],
  ])("%s", (_, text, expected) => {
    expect(splitFrontMatter(normaliseText(text))).toMatchObject(expected);
  });

  it("a front matter that never closes", () => {
    expect(splitFrontMatter("---\n" + fill("a: b\n")).unterminated).toBe(true);
  });
});

describe("the front-matter parser and locator on 1 MiB lines", () => {
  const tooDeep = /nested more than 20 levels deep/;
  // Text with an alias, or that js-yaml refuses, goes to \`yaml\` 2, which is linear but slower
  // (bench/adversarial.ts): a quarter of the size, and room for a loaded machine.
  const QUARTER = MIB / 4;
  const SLOW_PATH = 60_000;
  it.each([
    ["a key with a long run of spaces before its value", "a:" + fill(" ") + "b", { a: "b" }],
    ["a key with a long run of tabs before its value", "a:" + fill("\t") + "b", { a: "b" }],
    ["a long double-quoted value of backslashes", 'a: "' + fill("\\\\") + '"', { a: "\\".repeat(MIB / 2) }],
    ["a long plain value", "a: " + fill("x"), { a: fill("x") }],
    ["a long anchor name", "a: &" + fill("x"), { a: null }],
    ["a comment", "a: 1 #" + fill(" #"), { a: 1 }],
  ])("%s", (_, source, data) => {
    expect(parseFrontMatterYaml(source, 2)).toEqual({ ok: true, data });
    expect(createYamlLocator(source, 2)(["a"])).toEqual({ line: 2, column: 1 });
  });

  it.each([
    ["nested lists on one line", fill("- ") + "x"],
    ["nested flow lists", fill("[")],
    ["nested flow mappings", fill("{a: ")],
    ["nested lists, with an alias", "- ".repeat(QUARTER / 2) + "*x"],
    ["nested flow lists under a key, with an alias", "a: *x\nb: " + "[".repeat(QUARTER)],
  ])("%s: a `yaml` problem, not a crash", (_, source) => {
    const result = parseFrontMatterYaml(source, 2);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.message).toMatch(tooDeep);
  }, SLOW_PATH);

  it("nested lists: no position is looked for in them", () => {
    expect(createYamlLocator(fill("- ") + "x", 2)(["a", 0])).toEqual({ line: 1, column: 1 });
  }, SLOW_PATH);

  it.each([
    ["stars", "a: " + "*".repeat(QUARTER)],
    ["question marks", "? ".repeat(QUARTER / 2)],
    ["colons", "a: " + ": ".repeat(QUARTER / 2)],
    ["an unclosed flow list of many items", "[" + "a, ".repeat(QUARTER / 3)],
  ])("%s: a `yaml` problem", (_, source) => {
    expect(parseFrontMatterYaml(source, 2).ok).toBe(false);
  }, SLOW_PATH);
});

describe("the file-name reader on 1 MiB names", () => {
  const read = fileNameReader(["care-plan", "care-planning-meeting", "visit"]);
  it.each([
    ["a long slug", "2026-01-05-visit-" + fill("a") + ".md", { kind: "document", type: "visit", slug: fill("a") }],
    ["a slug of dashes", "2026-01-05-care-plan-" + fill("-") + ".md", { kind: "document", type: "care-plan", slug: fill("-") }],
    ["many .md", "2026-01-05-" + ".md".repeat(MIB / 4), { kind: "misnamed", problem: "type" }],
    ["many .md and then not", "2026-01-05-" + ".md".repeat(MIB / 4) + "x", { kind: "other" }],
    ["digits and dashes", fill("2026-01-05-") + ".md", { kind: "misnamed", problem: "type" }],
    ["a type repeated", "2026-01-05-" + fill("care-plan") + ".md", { kind: "misnamed", problem: "type" }],
  ])("%s", (_, name, expected) => {
    expect(read(name)).toMatchObject(expected);
  });
});

describe("a whole document of adversarial lines", () => {
  it("is read, its sections and front matter right", () => {
    const text = `---\ntype: visit\nnote: "${fill("\\\\")}"\n---\n## Seen\n${fill("- ")}x\n\n## a${fill(" ")}b\n<!--${fill(" ")}\n## Hidden\n`;
    const document = parseDocumentText("children/A/2026-01-05-visit.md", "A", { kind: "document", date: "2026-01-05", type: "visit", slug: undefined }, text);
    expect(document.yamlProblem).toBeUndefined();
    expect(document.data?.type).toBe("visit");
    expect(document.sections.map((s) => [s.heading, s.line, s.empty])).toEqual([["Seen", 5, false], ["a b", 8, true]]);
    expect(document.locate(["note"])).toEqual({ line: 3, column: 1 });
  });
});
