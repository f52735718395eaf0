// A view that reads a document again for one field (an action's title) decodes the front matter
// alone: frontMatterEnd must cut the bytes where splitFrontMatter would find the same front matter
// (and the same problems) in the whole file, whatever its line ends, byte order mark and fences.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocumentText } from "../../src/casefile/document.js";
import { frontMatterEnd } from "../../src/casefile/frontmatter.js";
import type { FileName } from "../../src/casefile/filename.js";

const NAME = { kind: "document", type: "visit" } as unknown as FileName;

/** What a view reads of a document: its data, or why it has none, and where a field stands. */
function frontMatterOf(bytes: Buffer) {
  const document = parseDocumentText("children/AB-1/x.md", "AB-1", NAME, bytes.toString("utf8"), undefined, { body: false });
  return { data: document.data, yamlProblem: document.yamlProblem, bodyUnknown: document.bodyUnknown, actions: document.locate(["actions", 0]), date: document.locate(["date"]) };
}

/** The bytes cut where the front matter ends; the same front matter found in them as in the whole. */
function sameAsWhole(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const cut = bytes.subarray(0, frontMatterEnd(bytes));
  expect(frontMatterOf(cut)).toEqual(frontMatterOf(bytes));
  return cut.toString("utf8");
}

describe("frontMatterEnd", () => {
  const body = "\n# Visit\n\n## Seen alone\nYes, in the garden. ---\n---\n";
  const front = "type: visit\ndate: 2026-02-03\nactions:\n  - action: Ring the school — café\n    when: 2026-03-01\n";
  // Those whose front matter is closed are cut at the end of the closing fence; the others are read whole.
  it.each([
    ["LF", `---\n${front}---${body}`, true],
    ["CRLF", `---\n${front}---${body}`.replace(/\n/g, "\r\n"), true],
    ["lone CR", `---\n${front}---${body}`.replace(/\n/g, "\r"), true],
    ["a byte order mark", `\uFEFF---\n${front}---${body}`, true],
    ["spaces and a tab after the fences", `--- \t\n${front}---  ${body}`, true],
    ["a closing `...`", `---\n${front}...${body}`, true],
    ["`----` and `-- -` inside, not fences", `---\n${front}# ----\nnote: "-- -"\n---${body}`, true],
    ["no line end after the closing fence", `---\n${front}---`, true],
    ["an empty front matter", `---\n---${body}`, true],
    ["a front matter never closed", `---\n${front}`, false],
    ["no front matter", `# Visit\n${front}---${body}`, false],
    ["`...` as the first line", `...\n${front}---${body}`, false],
    ["an empty file", "", false],
  ])("finds the same front matter as the whole file with %s", (_, text, closed) => {
    const cut = sameAsWhole(text);
    if (closed) expect(cut).toMatch(/(---|\.\.\.)[ \t]*$/);
    if (!closed) expect(cut).toBe(text);
    else expect(cut).not.toContain("# Visit");
  });

  it("finds the same front matter as the whole file for any lines", () => {
    const line = fc.oneof(fc.constantFrom("---", "...", "--- ", "---\t", "----", " ---", "-- -", "type: visit", "date: 2026-02-03", "actions:", "  - action: x", "", "\uFEFF", "é"), fc.string({ maxLength: 8 }));
    const end = fc.constantFrom("\n", "\r\n", "\r");
    const lines = fc.array(fc.tuple(line, end), { maxLength: 8 });
    fc.assert(
      fc.property(lines, fc.boolean(), (lines, bom) => {
        sameAsWhole((bom ? "\uFEFF" : "") + lines.map(([l, e]) => l + e).join(""));
      }),
    );
  });
});
