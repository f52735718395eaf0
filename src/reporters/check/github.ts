// GitHub Actions: a workflow command per finding (shown as annotations), and a Markdown summary
// for $GITHUB_STEP_SUMMARY, because GitHub shows only the first annotations of a step.
import type { CheckResult } from "../../core/check.js";
import { count } from "../../common/words.js";
import { printable } from "../../common/safe-text.js";
import { markdownMessage, markdownText } from "../markdown.js";

/**
 * Escaping of workflow command data and properties (as @actions/core does), after the text is
 * made printable: one line per finding, and no escape sequence in the log.
 */
function escapeData(text: string): string {
  return printable(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatCheckGithub(result: CheckResult): string {
  return result.findings
    .map((f) => `::${f.severity} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(f.rule)}::${escapeData(f.message)}\n`)
    .join("");
}

export function formatCheckGithubSummary(result: CheckResult): string {
  const { errors, warnings, waived, baselined, files } = result.summary;
  const lines = [`## careplan check (as of ${result.asOf})`, "", `${count(files, "file")} checked: **${count(errors, "error")}**, ${count(warnings, "warning")}, ${waived} waived, ${baselined} in the baseline.`, ""];
  if (result.findings.length === 0) return [...lines, "No problems found.", ""].join("\n");
  const byRule = new Map<string, number>();
  for (const f of result.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  lines.push("| Rule | Findings |", "| --- | --- |", ...[...byRule].sort().map(([rule, n]) => `| \`${rule}\` | ${n} |`), "");
  lines.push("| File | Line | Severity | Rule | Message |", "| --- | --- | --- | --- | --- |");
  for (const f of result.findings) lines.push(`| ${markdownText(f.file)} | ${f.line}:${f.column} | ${f.severity} | \`${f.rule}\` | ${markdownMessage(f.message)} |`);
  return lines.join("\n") + "\n";
}
