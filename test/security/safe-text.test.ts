// src/common/safe-text.ts: what a control character becomes in each kind of text, and the guard
// on every output, which must let careplan's own colours through and nothing else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guardOutput, hasControl, isPlainName, printable, printableProse, safeJson } from "../../src/common/safe-text.js";
import { paint } from "../../src/reporters/color.js";
import { markdownMessage, markdownText } from "../../src/reporters/markdown.js";

const CONTROLS = ["\u0000", "\u0007", "\u0008", "\t", "\n", "\u000b", "\u000c", "\r", "\u001b", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"];
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("printable: a name or a path", () => {
  it.each(CONTROLS.map((char) => [char.charCodeAt(0).toString(16).padStart(4, "0"), char]))("U+%s becomes U+FFFD", (_code, char) => {
    expect(printable(`a${char}b`)).toBe("a\uFFFDb");
    expect(hasControl(`a${char}b`)).toBe(true);
  });

  it("leaves every other character alone (accents, emoji, right-to-left script, the marks LRM and RLM)", () => {
    const text = "Zoë O'Brien 😀 سارة \u200e\u200f %0A \\e[2J";
    expect(printable(text)).toBe(text);
    expect(hasControl(text)).toBe(false);
  });

  it("holds for any text: no control character is left, and the length is kept", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const shown = printable(text);
        expect(shown).not.toMatch(ANY_CONTROL);
        expect(shown.length).toBe(text.length);
      }),
    );
  });
});

describe("printableProse: an action's text, a title, a name", () => {
  it.each([
    ["a line break, as a writer means it", "Book the\nmeeting", "Book the meeting"],
    ["CR LF and tabs", "Book\r\n\tthe meeting", "Book the meeting"],
    ["the line and paragraph separators and NEL", "a\u2028b\u2029c\u0085d", "a b c d"],
    ["an escape sequence", "a\u001b[2Jb", "a\uFFFD[2Jb"],
    ["a bidirectional override", "\u202eabc", "\uFFFDabc"],
  ])("%s", (_what, text, shown) => {
    expect(printableProse(text)).toBe(shown);
  });
});

describe("safeJson: machine output stays exact", () => {
  it("escapes what JSON.stringify leaves raw, and reads back the same", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, key) => {
        const text = safeJson({ [key]: value }, 2);
        expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ [key]: value })));
      }),
    );
  });
});

describe("guardOutput: the last check on every stream and file", () => {
  it("lets careplan's own colours through, at every level chalk has", () => {
    for (const level of [1, 2, 3] as const) {
      const c = paint(level);
      const painted = [c.red("a"), c.green("a"), c.yellow("a"), c.bold("a"), c.dim("a"), c.underline("a"), c.red.bold("a"), c.yellow.bold("a"), c.green.bold("a")].join(" ");
      expect(painted).toMatch(/\u001b/);
      expect(guardOutput(painted)).toBe(painted);
    }
  });

  it("lets the progress line and CRLF line ends through", () => {
    expect(guardOutput("\rcareplan: checked 100 of 200 children")).toBe("\rcareplan: checked 100 of 200 children");
    expect(guardOutput("\r\u001b[K")).toBe("\r\u001b[K");
    expect(guardOutput("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  });

  it.each([
    ["clearing the screen", "a\u001b[2Jb", "a\\u001b[2Jb"],
    ["concealed text", "\u001b[8mhidden", "\\u001b[8mhidden"],
    ["a window title", "\u001b]0;owned\u0007", "\\u001b]0;owned\\u0007"],
    ["a CR that would overwrite the line", "ok\rforged", "ok\\u000dforged"],
    ["a C1 CSI", "\u009b2J", "\\u009b2J"],
    ["a bidirectional override", "\u202eabc", "\\u202eabc"],
  ])("escapes %s, as JSON writes it", (_what, text, guarded) => {
    expect(guardOutput(text)).toBe(guarded);
  });

  it("keeps JSON valid and its values exact", () => {
    const text = JSON.stringify({ a: "x\u009b\u202ey" });
    expect(JSON.parse(guardOutput(text))).toEqual({ a: "x\u009b\u202ey" });
  });
});

describe("isPlainName: what a configuration message may echo", () => {
  it.each([
    ["englnd", true],
    ["timescale/review.first", true],
    ["templates/own", true],
    ["", false],
    ["engl\u001b[2Jand", false],
    ["a name with spaces", false],
    ["x".repeat(65), false],
  ])("%j: %s", (value, plain) => {
    expect(isPlainName(value)).toBe(plain);
  });
});

describe("Markdown", () => {
  it("markdownText: no character of a name makes markup, and it stays one line", () => {
    expect(markdownText("| a | b |\n### heading <img src=x> &amp; *x* _y_ `z` [l](u) ~s~ \\")).toBe(
      "\\| a \\| b \\| \\#\\#\\# heading \\<img src=x\\> \\&amp; \\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~ \\\\",
    );
  });

  it("markdownMessage: careplan's sentence keeps its `code`, a name in it cannot end a cell", () => {
    expect(markdownMessage("`seen_alone` must be true or false in a|b.md\n<x>")).toBe("`seen_alone` must be true or false in a\\|b.md\uFFFD\\<x\\>");
  });
});
