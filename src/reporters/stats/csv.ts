// RFC 4180 (CRLF line ends, quoted only where needed), one row per group then the total, the
// headers being the JSON keys. A cell beginning =, +, -, @, tab or CR is prefixed with a single
// quote (OWASP, CSV injection): a worker's name from a profile must never run as a formula, and
// control characters in it are replaced, since a CSV file is often printed to a terminal.
import { stringify } from "csv-stringify/sync";
import type { PeriodFigures, PeriodStats, SnapshotFigures, SnapshotGroupFigures, SnapshotStats } from "../../core/stats.js";
import { isSnapshot, type StatsReport } from "./report.js";
import { printableProse } from "../../common/safe-text.js";

/** The key of the total's row, after the groups. */
export const TOTAL_KEY = "(total)";

const PERIOD_COLUMNS = ["due", "on_time", "late", "overdue", "open", "share_on_time", "median_days_late"] as const;
const SNAPSHOT_COLUMNS = ["counted", "in_date", "not_in_date", "share_in_date"] as const;

export function formatStatsCsv(report: StatsReport): string {
  // null (no share, no median) is an empty cell; a month stays YYYY-MM, which spreadsheets read as a date.
  return stringify(isSnapshot(report) ? snapshotRows(report) : periodRows(report), { record_delimiter: "windows", escape_formulas: true });
}

function periodRows(report: PeriodStats): unknown[][] {
  const row = (key: string, figures: PeriodFigures) => [printableProse(key), ...PERIOD_COLUMNS.map((column) => figures[column])];
  return [["key", ...PERIOD_COLUMNS], ...report.groups.map((group) => row(group.key, group)), row(TOTAL_KEY, report.total)];
}

function snapshotRows(report: SnapshotStats): unknown[][] {
  const values = (figures: SnapshotFigures) => SNAPSHOT_COLUMNS.map((column) => figures[column]);
  const row = (key: string, figures: SnapshotGroupFigures) => [printableProse(key), ...values(figures), ...values(figures.looked_after_12_months)];
  const header = ["key", ...SNAPSHOT_COLUMNS, ...SNAPSHOT_COLUMNS.map((column) => `looked_after_12_months.${column}`)];
  return [header, ...report.groups.map((group) => row(group.key, group)), row(TOTAL_KEY, report.total)];
}
