// CONTRACT.md section 7 for the period; the snapshot's shape is docs/stats.md's.
import type { StatsReport } from "./report.js";
import { safeJson } from "../../common/safe-text.js";

export function formatStatsJson(report: StatsReport): string {
  // CONTRACT 7 fixes the keys exactly: what is not counted goes to stderr (and the human views).
  const { problems: _notCounted, ...figures } = report;
  // A key may be a worker's name: its control characters are escaped, the value read back the same.
  return safeJson(figures, 2) + "\n";
}
