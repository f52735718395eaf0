// JUnit XML, for CI services that show test reports (Jenkins, Azure DevOps, GitLab): one test
// suite per child's folder, one test case per file checked, failing when the file has an error.
// Consumers read one <failure> per test case (Jenkins takes the first, GitLab's parser expects
// one), so a file's errors are listed together in it; JUnit has no warnings: they go to the test
// case's <system-out>, and the file passes.
import { posix } from "node:path";
import type { CheckResult, Finding } from "../../core/check.js";
import { count } from "../../common/words.js";
import { printable } from "../../common/safe-text.js";
import { addToGroup } from "../../common/group.js";

export interface JunitOptions {
  /** Where a path (from the case-file repository) is shown from: the top of the git repository for CI. */
  path: (file: string) => string;
}

export function formatCheckJunit(result: CheckResult, { path }: JunitOptions): string {
  const byFile = new Map<string, Finding[]>(result.files.map((file) => [file, []]));
  for (const finding of result.findings) addToGroup(byFile, finding.file, finding);
  // A finding about a child's folder itself (a folder name that is not an id) is that folder's case.
  const folderOf = (file: string) => (result.checked.has(file) ? file : posix.dirname(file));
  const suites = new Map<string, string[]>();
  for (const file of [...byFile.keys()].sort()) addToGroup(suites, folderOf(file), file);

  const failed = (file: string) => byFile.get(file)!.some((f) => f.severity === "error");
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`];
  const all = [...byFile.keys()];
  lines.push(`<testsuites name="${attribute(`careplan check as of ${result.asOf}`)}" tests="${all.length}" failures="${all.filter(failed).length}" errors="0">`);
  for (const [folder, files] of suites) {
    lines.push(`  <testsuite name="${attribute(path(folder))}" tests="${files.length}" failures="${files.filter(failed).length}" errors="0" skipped="0">`);
    for (const file of files) lines.push(...testCase(path(file), path(folder), byFile.get(file)!));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}

function testCase(name: string, classname: string, findings: Finding[]): string[] {
  const open = `    <testcase name="${attribute(name)}" classname="${attribute(classname)}"`;
  if (findings.length === 0) return [`${open}/>`];
  const errors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning");
  const lines = [`${open}>`];
  if (errors.length > 0) {
    const rules = [...new Set(errors.map((f) => f.rule))].join(" ");
    lines.push(`      <failure message="${attribute(count(errors.length, "error"))}" type="${attribute(rules)}">${text(errors.map(line).join("\n"))}</failure>`);
  }
  if (warnings.length > 0) lines.push(`      <system-out>${text(warnings.map(line).join("\n"))}</system-out>`);
  lines.push("    </testcase>");
  return lines;
}

/** One line per finding: a name or title in its message cannot start a line of its own. */
function line(finding: Finding): string {
  return `${finding.severity} at line ${finding.line}, column ${finding.column}: ${printable(finding.message)} (${finding.rule})`;
}

/**
 * What XML 1.0 cannot hold is dropped (most control characters, lone surrogates, U+FFFE and
 * U+FFFF), and so are the C1 controls it only discourages: a file name may hold any of them.
 */
function xmlChars(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "");
}

function text(value: string): string {
  return xmlChars(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** Attribute values (a file's or folder's name) are one line, each control character shown as U+FFFD (common/safe-text.ts). */
function attribute(value: string): string {
  return text(printable(value)).replace(/"/g, "&quot;");
}
