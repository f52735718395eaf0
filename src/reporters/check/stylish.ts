// The default view, as ESLint's stylish: findings grouped by file, `line:column  severity  message  rule`, a summary.
// A file name, a heading or a local rule's id in a message is printable: it cannot start a line or act on the terminal.
import type { CheckResult, Finding } from "../../core/check.js";
import { paint, type ColorLevel } from "../color.js";
import { printable } from "../../common/safe-text.js";
import { addToGroup } from "../../common/group.js";

export function formatCheckStylish(result: CheckResult, options: { colorLevel: ColorLevel }): string {
  const c = paint(options.colorLevel);
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) addToGroup(byFile, finding.file, finding);
  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    lines.push(c.underline(printable(file)));
    const positionWidth = Math.max(...findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of findings) {
      const severity = f.severity === "error" ? c.red("error  ") : c.yellow("warning");
      lines.push(`  ${c.dim(`${f.line}:${f.column}`.padEnd(positionWidth))}  ${severity}  ${printable(f.message)}  ${c.dim(printable(f.rule))}`);
    }
    lines.push("");
  }
  const { errors, warnings, waived, baselined, files } = result.summary;
  const problems = errors + warnings;
  const left = [waived > 0 ? `${waived} waived` : "", baselined > 0 ? `${baselined} in the baseline` : ""].filter((text) => text !== "");
  const leftText = left.length > 0 ? `; ${left.join(", ")}` : "";
  if (problems === 0) {
    lines.push(c.green(`✓ ${files} file${plural(files)} checked as of ${result.asOf}: no problems${leftText}.`));
  } else {
    const text = `✖ ${problems} problem${plural(problems)} (${errors} error${plural(errors)}, ${warnings} warning${plural(warnings)}) in ${files} file${plural(files)} checked as of ${result.asOf}${leftText}.`;
    lines.push(errors > 0 ? c.red.bold(text) : c.yellow.bold(text));
  }
  return lines.join("\n") + "\n";
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
