// CONTRACT.md section 5: one JSON object, each finding exactly the contract's keys; the summary
// carries `waived`, `baselined` and `baselineUnused` as extra keys.
import type { CheckResult } from "../../core/check.js";
import { safeJson } from "../../common/safe-text.js";

export function formatCheckJson(result: CheckResult): string {
  const findings = result.findings.map(({ file, line, column, rule, severity, message }) => ({ file, line, column, rule, severity, message }));
  return safeJson({ asOf: result.asOf, findings, summary: result.summary }, 2) + "\n";
}
