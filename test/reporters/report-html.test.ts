// The report's colours hold WCAG 2.2 AA, counted with the WCAG formula here (not the code's), and
// the page uses no other colour; its HTML builder escapes every value it is given.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { escapeHtml, html } from "../../src/reporters/report/html.js";
import { COLOUR_PAIRS, COLOURS } from "../../src/reporters/report/palette.js";
import { runCli } from "../cli-harness.js";

/** WCAG 2.2 relative luminance of an sRGB colour written #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** (L1 + 0.05) / (L2 + 0.05), the lighter over the darker. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe("colour contrast (WCAG 2.2 AA)", () => {
  it("the formula gives the published values", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#ffffff", "#ffffff")).toBe(1);
    // #767676 on white is the well-known lightest grey that passes 4.5:1.
    expect(contrast("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrast("#777777", "#ffffff")).toBeLessThan(4.5);
  });

  it.each(COLOUR_PAIRS.map((pair) => [`${pair.foreground} on ${pair.background} (${pair.use})`, pair] as const))("%s", (_, pair) => {
    const needed = pair.use === "text" ? 4.5 : 3;
    expect(contrast(COLOURS[pair.foreground], COLOURS[pair.background])).toBeGreaterThanOrEqual(needed);
  });

  it("the page uses the palette's colours and no other", async () => {
    const run = await runCli(["report", join(PACKAGE_ROOT, "fixtures/example"), "--as-of", "2026-03-02"], { cwd: PACKAGE_ROOT });
    const used = new Set([...run.stdout.matchAll(/#[0-9a-fA-F]{3,8}\b/g)].map((m) => m[0].toLowerCase()));
    const palette = new Set(Object.values(COLOURS));
    expect([...used].filter((colour) => !palette.has(colour as never))).toEqual([]);
    expect(run.stdout).not.toMatch(/\b(?:rgb|hsl)a?\(|\b(?:red|green|blue|orange|grey|gray|black|white)\b\s*;/);
    // Every colour of the palette is held to a pair.
    const paired = new Set(COLOUR_PAIRS.flatMap((pair) => [pair.foreground, pair.background]));
    expect(Object.keys(COLOURS).filter((name) => !paired.has(name as never))).toEqual([]);
  });
});

describe("html``", () => {
  it.each([
    [`<script>alert("x")</script>`, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"],
    [`Tom & Jerry's`, "Tom &amp; Jerry&#39;s"],
    ["a\u0007b\u202ec", "a\uFFFDb\uFFFDc"],
    ["two\nlines", "two lines"],
  ])("escapes %j", (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    expect(html`<td title="${text}">${text}</td>`.text).toBe(`<td title="${escaped}">${escaped}</td>`);
  });

  it("keeps its own markup, lists and numbers, and drops nothing else", () => {
    const cell = (text: string) => html`<td>${text}</td>`;
    expect(html`<tr>${["<a>", "b"].map(cell)}</tr>${0}${false}${null}`.text).toBe("<tr><td>&lt;a&gt;</td><td>b</td></tr>0");
  });
});
