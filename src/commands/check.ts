// `careplan check`: the linter for case files, locally, before every commit and in CI.
import { appendFileSync } from "node:fs";
import { PACKAGE_HOMEPAGE, VERSION } from "../assets.js";
import { ignoredPathWarnings, listChildFolders, selectPaths } from "../casefile/repository.js";
import { readCaseload } from "../core/caseload.js";
import { checkCaseload, checkSeverityKeys, severityOf, type CheckResult } from "../core/check.js";
import { changedChildren } from "../core/changed.js";
import { fixCaseload, type FixOutcome } from "../core/fix.js";
import { formatFixes } from "../reporters/check/fixes.js";
import { repositoryForms } from "../core/forms.js";
import { documentTypes } from "../doctypes.js";
import { UsageError } from "../errors.js";
import { formatCheckGithub, formatCheckGithubSummary } from "../reporters/check/github.js";
import { formatCheckJson } from "../reporters/check/json.js";
import { formatCheckSarif, type SarifRule } from "../reporters/check/sarif.js";
import { formatCheckStylish } from "../reporters/check/stylish.js";
import { CHECK_RULES } from "../rules/registry.js";
import { docsAnchor } from "../rules/rule.js";
import { TIMESCALE_PREFIX } from "../rules/timescale.js";
import { legalStatusesOf, PRESETS, resolvePolicy, type Policy } from "../timescales/policy.js";
import type { Config } from "../config/config.js";
import { asOfDate, EXIT, reportColorLevel, writeReport, type CommandContext } from "./context.js";
import { withProgress } from "./progress.js";
import { count } from "../common/words.js";

export const CHECK_FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  asOf?: string;
  changed: boolean;
  since?: string;
  maxWarnings?: string;
  outputFile?: string;
  color?: boolean;
  config?: string;
  /** Insert missing sections and fields with defaults, then report what remains. */
  fix?: boolean;
  /** As --fix, writing nothing. */
  fixDryRun?: boolean;
}

export function runCheck(options: CheckOptions, context: CommandContext): number {
  const asOf = asOfDate(options.asOf, context);
  if (options.fix && options.fixDryRun) throw new UsageError("--fix and --fix-dry-run cannot be used together: --fix-dry-run shows what --fix would do.");
  if (options.since !== undefined && !options.changed) throw new UsageError("--since goes with --changed: careplan check --changed --since <git-ref>.");
  const maxWarnings = options.maxWarnings === undefined ? undefined : Number(options.maxWarnings);
  if (maxWarnings !== undefined && !/^\d+$/.test(options.maxWarnings!)) throw new UsageError("--max-warnings takes a whole number, for example --max-warnings 0.");

  const selection = selectPaths(options.paths, context.cwd, options.config);
  for (const warning of ignoredPathWarnings(selection)) context.stderr.write(warning + "\n");
  const { config } = selection.repository;
  const types = documentTypes(repositoryForms(selection.repository), asOf);
  const policy = resolvePolicy(config, [...types.keys()], legalStatusesOf(types));
  checkSeverityKeys(config, [...policy.rules.map((r) => r.id), ...[...PRESETS.values()].flatMap((preset) => preset.rules.map((r) => r.id))]);
  if (options.changed) {
    const changed = changedChildren(selection.repository, options.since);
    if (changed !== "all") {
      const selected = selection.children;
      selection.children = new Map([...changed].filter((id) => selected === "all" || selected.has(id)).map((id) => [id, selected === "all" ? "all" : selected.get(id)!]));
    }
  }
  const total = selection.children === "all" ? listChildFolders(selection.repository).length : selection.children.size;
  const scope = selection.children === "all" ? undefined : selection.children;
  const fixing = options.fix || options.fixDryRun;
  const outcome: FixOutcome = { changes: [], skipped: [] };
  const read = withProgress(readCaseload(selection, types), total, context);
  const children = fixing ? fixCaseload(read, { root: selection.repository.root, types, asOf, ...(scope ? { scope } : {}), write: !options.fixDryRun, outcome }) : read;
  const result = checkCaseload({ children, types, policy, config, asOf, ...(scope ? { scope } : {}) });

  // What was fixed comes first, where the report goes when a person reads it, else on stderr.
  if (fixing) (options.format === "stylish" && options.outputFile === undefined ? context.stdout : context.stderr).write(formatFixes(outcome, Boolean(options.fixDryRun)));
  const output = format(result, options, context, policy, config);
  writeReport(output, options.outputFile, context);
  const summaryFile = context.env.GITHUB_STEP_SUMMARY;
  if (options.format === "github" && summaryFile) appendFileSync(summaryFile, formatCheckGithubSummary(result));

  const tooManyWarnings = maxWarnings !== undefined && result.summary.warnings > maxWarnings;
  if (tooManyWarnings) context.stderr.write(`careplan: ${count(result.summary.warnings, "warning")}, more than --max-warnings ${maxWarnings}.\n`);
  return result.summary.errors > 0 || tooManyWarnings ? EXIT.findings : EXIT.ok;
}

function format(result: CheckResult, options: CheckOptions, context: CommandContext, policy: Policy, config: Config): string {
  switch (options.format) {
    case "json":
      return formatCheckJson(result);
    case "github":
      return formatCheckGithub(result);
    case "sarif":
      return formatCheckSarif(result, sarifRules(policy, config), { version: VERSION });
    case "stylish": {
      return formatCheckStylish(result, { colorLevel: reportColorLevel(options.color, options.outputFile, context) });
    }
  }
}

/** Every rule a finding can carry: the check rules, and timescale/<id> for each timescale rule in force. */
function sarifRules(policy: Policy, config: Config): SarifRule[] {
  const rule = (id: string, description: string, anchor: string): SarifRule => {
    const docs = docsAnchor(anchor);
    return { id, description, defaultSeverity: severityOf(id, config), docs, ...(PACKAGE_HOMEPAGE ? { helpUri: `${PACKAGE_HOMEPAGE}/blob/main/${docs}` } : {}) };
  };
  return [
    ...CHECK_RULES.filter((r) => r.id !== "timescale").map((r) => rule(r.id, r.description, r.id)),
    ...policy.rules.map((r) => rule(`${TIMESCALE_PREFIX}${r.id}`, `${r.title}: overdue (${r.preset} preset).`, "timescale")),
  ];
}
