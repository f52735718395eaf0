// `careplan baseline`: take on an existing caseload. Records the findings of the as-of date in
// careplan-baseline.json beside careplan.yaml, so that `check` fails only on new ones; --prune
// removes the entries that no longer occur. Given paths, only the children they select are
// recorded again; the other children's entries are kept.
import { relative } from "node:path";
import { ignoredPathWarnings, listChildFolders, posix, selectPaths } from "../casefile/repository.js";
import { BaselineCounts, baselinePath, entryOf, readBaseline, writeBaseline, type BaselineEntry } from "../core/baseline.js";
import { caseUnits } from "../core/caseload.js";
import { beginStore } from "../core/store.js";
import { checkUnits, isChecked, recordContext } from "../core/check.js";
import { repositoryForms } from "../core/forms.js";
import { documentTypes } from "../doctypes.js";
import { UsageError } from "../errors.js";
import { asOfDate, cacheOptions, EXIT, type CommandContext } from "./context.js";
import { checkPolicy } from "./check.js";
import { withProgress } from "./progress.js";
import { count } from "../common/words.js";
import { printable } from "../common/safe-text.js";

export interface BaselineOptions {
  paths: string[];
  asOf?: string;
  prune: boolean;
  config?: string;
  /** false with --no-cache. */
  cache?: boolean;
  cacheLocation?: string;
}

export async function runBaseline(options: BaselineOptions, context: CommandContext): Promise<number> {
  const asOf = asOfDate(options.asOf, context);
  const selection = selectPaths(options.paths, context.cwd, options.config);
  for (const warning of ignoredPathWarnings(selection)) context.stderr.write(warning + "\n");
  const { repository } = selection;
  const { config } = repository;
  const storeOptions = cacheOptions(options, context);
  const pending = beginStore(repository, storeOptions);
  const forms = repositoryForms(repository);
  const types = documentTypes(forms, asOf);
  const policy = checkPolicy(config, types);
  const name = printable(posix(relative(context.cwd, baselinePath(repository.root))));
  const previous = readBaseline(repository.root);
  if (options.prune && previous === undefined) throw new UsageError(`${name}: there is no baseline to prune. Record one with \`careplan baseline\`.`);

  const total = selection.children === "all" ? listChildFolders(repository).length : selection.children.size;
  const store = await pending.open({ config, forms, types });
  const result = checkUnits(withProgress(caseUnits(selection, recordContext(types, policy, config.closures, asOf), store, "check"), total, context), {
    types,
    policy,
    config,
    asOf,
    ...(selection.children === "all" ? {} : { scope: selection.children }),
  });
  const others = (previous ?? []).filter((entry) => !isChecked(entry.file, result.checked));
  const before = (previous ?? []).filter((entry) => isChecked(entry.file, result.checked));
  const current = new BaselineCounts(result.findings);
  // Pruning keeps an entry while a finding still uses it; recording takes today's findings whole.
  const after: BaselineEntry[] = options.prune ? before.filter((entry) => current.take(entry)) : result.findings.map(entryOf);

  if (previous === undefined && after.length === 0) {
    context.stdout.write(`No findings as of ${asOf}: there is nothing to record, and no baseline is needed.\n`);
    return EXIT.ok;
  }
  writeBaseline(repository.root, [...others, ...after]);
  const gone = before.length - countMatched(before, after);
  if (options.prune) {
    context.stdout.write(`${name}: removed ${entries(gone)} that no longer occur${gone === 1 ? "s" : ""}; ${entries(others.length + after.length)} remain${others.length + after.length === 1 ? "s" : ""}.\n`);
  } else {
    const added = after.length - countMatched(after, before);
    const { errors, warnings } = result.summary;
    context.stdout.write(
      `${name}: recorded ${entries(after.length)} as of ${asOf} (${count(errors, "error")}, ${count(warnings, "warning")}; ${added} new, ${gone} gone)` +
        `${others.length > 0 ? `, and kept ${entries(others.length)} of children not checked` : ""}. ` +
        "Commit it: `careplan check` now fails only on findings that are not in it.\n",
    );
  }
  return EXIT.ok;
}

/** How many of `entries` the other list holds (as multisets). */
function countMatched(entries: readonly BaselineEntry[], other: readonly BaselineEntry[]): number {
  const counts = new BaselineCounts(other);
  return entries.filter((entry) => counts.take(entry)).length;
}

function entries(n: number): string {
  return count(n, "entry", "entries");
}
