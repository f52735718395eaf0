// CONTRACT.md section 5: one JSON object, each finding exactly the contract's keys; the summary
// carries `waived`, `baselined` and `baselineUnused` as extra keys.
import type { CheckResult } from "../../core/check.js";

export function formatCheckJson(result: CheckResult): string {
  const findings = result.findings.map(({ file, line, column, rule, severity, message }) => ({ file, line, column, rule, severity, message }));
  return JSON.stringify({ asOf: result.asOf, findings, summary: result.summary }, null, 2) + "\n";
}
