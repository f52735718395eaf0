// What `check --fix` changed (or, with --fix-dry-run, would change): file, line and the heading
// or key added. Never a line of the document: these lines go where the check report goes.
import type { FixOutcome } from "../../core/fix.js";
import { printable } from "../../common/safe-text.js";

export function formatFixes(outcome: FixOutcome, dryRun: boolean): string {
  const lines = outcome.changes.map((change) => `${printable(change.file)}:${change.line}: ${printable(dryRun ? change.what.replace(/^added/, "would add") : change.what)}`);
  for (const skipped of outcome.skipped) lines.push(`${printable(skipped.file)}: not fixed: ${printable(skipped.why)}.`);
  const files = new Set(outcome.changes.map((c) => c.file)).size;
  const count = `${outcome.changes.length} ${outcome.changes.length === 1 ? "change" : "changes"} in ${files} ${files === 1 ? "file" : "files"}`;
  lines.push(
    outcome.changes.length === 0 ? (outcome.skipped.length === 0 ? "Nothing to fix." : `Nothing was fixed: ${outcome.skipped.length === 1 ? "the file above needs" : "the files above need"} a person.`) : dryRun ? `Would make ${count} (--fix-dry-run: nothing was written).` : `Made ${count}.`,
    "",
  );
  return lines.join("\n");
}
