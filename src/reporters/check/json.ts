// CONTRACT.md section 5: one JSON object; the summary carries `waived` as an extra key.
import type { CheckResult } from "../../core/check.js";

export function formatCheckJson(result: CheckResult): string {
  return JSON.stringify({ asOf: result.asOf, findings: result.findings, summary: result.summary }, null, 2) + "\n";
}
