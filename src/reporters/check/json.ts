// CONTRACT.md section 5: one JSON object, each finding exactly the contract's keys; the summary
// carries `waived`, `baselined` and `baselineUnused` as extra keys. Written as it goes (findings
// as they come, the summary last), so a run with a great many findings never holds its report.
import type { CheckResult, CheckSummary, Finding } from "../../core/check.js";
import { listEntryJson, safeJson } from "../../common/safe-text.js";

export function formatCheckJson(result: CheckResult): string {
  let text = "";
  const writer = new CheckJsonWriter(result.asOf, (chunk) => (text += chunk));
  writer.findings(result.findings);
  writer.end(result.summary);
  return text;
}

/** The same text as `safeJson` of the whole report with two spaces, written in pieces. */
export class CheckJsonWriter {
  private first = true;

  constructor(
    asOf: string,
    private readonly write: (chunk: string) => void,
  ) {
    write(`{\n  "asOf": ${safeJson(asOf)},\n  "findings": [`);
  }

  findings(findings: readonly Finding[]): void {
    if (findings.length === 0) return;
    const parts = findings.map(({ file, line, column, rule, severity, message }, i) => listEntryJson(i === 0 && this.first ? "" : ",", { file, line, column, rule, severity, message }));
    this.write(parts.join(""));
    this.first = false;
  }

  end(summary: CheckSummary): void {
    this.write(`${this.first ? "" : "\n  "}],\n  "summary": ${safeJson(summary, 2).replace(/\n/g, "\n  ")}\n}\n`);
  }
}
