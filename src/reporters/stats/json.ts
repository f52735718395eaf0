// CONTRACT.md section 7 for the period; the snapshot's shape is docs/stats.md's.
import type { StatsReport } from "./report.js";
import { safeJson } from "../../common/safe-text.js";

export function formatStatsJson(report: StatsReport): string {
  // A key may be a worker's name: its control characters are escaped, the value read back the same.
  return safeJson(report, 2) + "\n";
}
