// CONTRACT.md section 7 for the period; the snapshot's shape is docs/stats.md's.
import type { StatsReport } from "./report.js";

export function formatStatsJson(report: StatsReport): string {
  // JSON.stringify escapes C0 controls only; C1 and bidi controls (a worker's name as a key) are
  // escaped too, so that none reaches a terminal. The value read back is the same.
  const text = JSON.stringify(report, null, 2).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text + "\n";
}
