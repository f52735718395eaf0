// CONTRACT.md section 7 for the period; the snapshot's shape is docs/stats.md's.
import type { StatsReport } from "./report.js";

export function formatStatsJson(report: StatsReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
