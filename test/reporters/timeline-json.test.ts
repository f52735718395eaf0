// `timeline --format json` writes each item out as text (a whole authority has hundreds of
// thousands): the text must be the one JSON.stringify lays out for the whole report, with
// careplan's escapes (safeJson), whatever the strings hold.
import { describe, expect, it } from "vitest";
import { formatTimelineJson } from "../../src/reporters/timeline/json.js";
import type { TimelineReport } from "../../src/reporters/timeline/report.js";
import { safeJson } from "../../src/common/safe-text.js";
import type { TimelineItem } from "../../src/timescales/engine.js";

const item = (title: string, met: string | null, file = "children/AB-1/2026-01-05-visit.md"): TimelineItem => ({
  child: "AB-1",
  rule: "action",
  title,
  due: "2026-03-01",
  status: met === null ? "overdue" : "met",
  met,
  file,
  preset: "england",
  reason: "the date agreed on 2026-01-05",
  anchor: "2026-01-05",
  path: ["actions", 0],
});

describe("timeline JSON", () => {
  it.each([
    ["plain words", "Ring the school"],
    ["quotes and a backslash", 'Say "yes" \\ no'],
    ["control characters", "a\u0000b\u001b[2Jc\td\ne\u007f\u009b"],
    ["line and paragraph separators, bidirectional controls", "x\u2028y\u2029z\u202eevil\u2066"],
    ["a lone surrogate, and a pair", "\ud800 and \ud83d\ude00"],
    ["letters beyond ASCII", "Café — Zoë’s review"],
    ["nothing", ""],
  ])("writes an item's %s as JSON.stringify does, with careplan's escapes", (_, title) => {
    const items = [item(title, null), item(title, "2026-02-01", `children/AB-1/${title}.md`)];
    const report: TimelineReport = {
      asOf: "2026-03-02",
      policy: "england",
      horizon: "all",
      items,
      problems: [{ child: "AB-1", file: "children/AB-1/child.md", field: null, leftOut: "child", problem: "no deadline" }],
    };
    const whole = { asOf: report.asOf, policy: report.policy, items: items.map(({ child, rule, title, due, status, met, file, preset, reason }) => ({ child, rule, title, due, status, met, file, preset, reason })), problems: report.problems };
    const text = formatTimelineJson(report);
    expect(text).toBe(`${safeJson(whole, 2)}\n`);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  it("writes no items as an empty list", () => {
    expect(formatTimelineJson({ asOf: "2026-03-02", policy: "england", horizon: 28, items: [], problems: [] })).toBe(`${safeJson({ asOf: "2026-03-02", policy: "england", items: [], problems: [] }, 2)}\n`);
  });
});
