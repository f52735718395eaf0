// CONTRACT.md section 4: one JSON object; `preset` and `reason` are extra keys consumers may ignore.
import type { TimelineReport } from "./report.js";

export function formatTimelineJson(report: TimelineReport): string {
  const items = report.items.map(({ child, rule, title, due, status, met, file, preset, reason }) => ({ child, rule, title, due, status, met, file, preset, reason }));
  return JSON.stringify({ asOf: report.asOf, policy: report.policy, items }, null, 2) + "\n";
}
