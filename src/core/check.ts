// The check core: run every rule on every selected child, give findings their severity, honour
// waivers and the baseline, count. Reporters only format the result.
import { posix } from "node:path";
import { settingAt, type Config, type Severity } from "../config/config.js";
import type { CaseDocument } from "../casefile/document.js";
import type { ChildCase, ChildScope } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { ConfigError } from "../errors.js";
import { documentsOf } from "../rules/file-rules.js";
import { CHECK_RULES } from "../rules/registry.js";
import { TIMESCALE_PREFIX, TIMESCALE_WILDCARD } from "../rules/timescale.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { didYouMean } from "../common/words.js";
import type { Policy } from "../timescales/policy.js";
import { BaselineCounts, type BaselineEntry } from "./baseline.js";
import { childTimeline, timelineContext } from "./caseload.js";

/** A finding as reported; `messageId` and `subject` (with file and rule, its identity) stay inside careplan. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: "error" | "warning";
  message: string;
  messageId: string;
  subject: string;
}

export interface CheckSummary {
  files: number;
  errors: number;
  warnings: number;
  waived: number;
  /** Findings left out because the baseline holds them. */
  baselined: number;
  /** Baseline entries, among the children checked, that no finding matched any more. */
  baselineUnused: number;
}

export interface CheckResult {
  asOf: IsoDate;
  findings: Finding[];
  summary: CheckSummary;
  /** Each child checked, by folder: all its files, or only the documents given. */
  checked: Map<string, ChildScope>;
  /** Every file checked (posix, from the repository root), sorted: the test cases of a JUnit report. */
  files: string[];
}

/**
 * Every `severity` key names a check rule, `timescale/*`, or `timescale/<id>` of a timescale rule
 * (`timescaleIds`: those in force and those of every preset, so that switching presets keeps a
 * severity valid); a slip is refused with the nearest name.
 */
export function checkSeverityKeys(config: Config, timescaleIds: Iterable<string> = []): void {
  const ids = CHECK_RULES.map((r) => r.id).filter((id) => id !== "timescale");
  const timescales = [...timescaleIds].map((id) => `${TIMESCALE_PREFIX}${id}`);
  const known = new Set([...ids, TIMESCALE_WILDCARD, ...timescales]);
  const checksTimescaleIds = timescales.length > 0;
  for (const key of Object.keys(config.severity)) {
    if (known.has(key) || (!checksTimescaleIds && key.startsWith(TIMESCALE_PREFIX))) continue;
    const what = key.startsWith(TIMESCALE_PREFIX) ? "is not a timescale rule" : "is not a check rule";
    throw new ConfigError(
      `${settingAt(config, `severity.${key}`)}: \`severity.${key}\` ${what}.${didYouMean(key, known)} The rules are: ${ids.join(", ")}, timescale/* and timescale/<rule id> (docs/rules.md lists the ids).`,
    );
  }
}

export function severityOf(rule: string, config: Config): Severity {
  const configured = config.severity[rule] ?? (rule.startsWith(TIMESCALE_PREFIX) ? config.severity[TIMESCALE_WILDCARD] : undefined);
  if (configured) return configured;
  const id = rule.startsWith(TIMESCALE_PREFIX) ? "timescale" : rule;
  return CHECK_RULES.find((r) => r.id === id)?.defaultSeverity ?? "error";
}

export interface CheckInput {
  children: Iterable<ChildCase>;
  types: ReadonlyMap<string, DocumentType>;
  policy: Policy;
  config: Config;
  asOf: IsoDate;
  /** For children given by path: all their findings, or only those in the documents given. */
  scope?: ReadonlyMap<string, ChildScope>;
  /** Errors only: warnings are neither reported nor counted, as if their rules were off (ESLint's --quiet). */
  quiet?: boolean;
  /** The repository's baseline: findings it holds are left out and counted as `baselined`. */
  baseline?: readonly BaselineEntry[];
}

export function checkCaseload({ children, types, policy, config, asOf, scope, quiet = false, baseline = [] }: CheckInput): CheckResult {
  const all: Finding[] = [];
  const checked = new Map<string, ChildScope>();
  const checkedFiles: string[] = [];
  let waived = 0;
  const timescales = timelineContext(types, policy, config.closures, asOf);
  for (const child of children) {
    const { items: timeline, exclusions } = childTimeline(child, timescales);
    const documents = new Map<string, CaseDocument>(documentsOf(child).map((d) => [d.file, d]));
    const only = scope?.get(child.id);
    const files = only === "all" ? undefined : only;
    checked.set(child.folder, files ?? "all");
    const misnamedDocuments = child.strays.filter((stray) => typeof stray.data?.type === "string" && types.has(stray.data.type)).map((stray) => stray.file);
    checkedFiles.push(...(files ?? [...documents.keys(), ...child.misnamed.map((m) => m.file), ...misnamedDocuments]));
    for (const rule of CHECK_RULES) {
      for (const raw of rule.check({ child, types, asOf, timeline, exclusions })) {
        if (files && !files.has(raw.file)) continue;
        const id = raw.rule ?? rule.id;
        const severity = severityOf(id, config);
        if (severity === "off" || (quiet && severity === "warning")) continue;
        if (isWaived(documents.get(raw.file), id, asOf)) {
          waived++;
          continue;
        }
        const { file, line, column, message, messageId, subject } = raw;
        // A bug, not a user's mistake: every id is documented (docs/check.md) and names findings in baselines.
        if (!Object.hasOwn(rule.messages, messageId)) throw new Error(`check rule ${rule.id} reported the undeclared messageId ${messageId}`);
        all.push({ file, line, column, rule: id, severity, message, messageId, subject });
      }
    }
  }
  // Only entries of what was checked can be matched; under --quiet, warnings' entries are not looked at.
  const counts = new BaselineCounts(baseline.filter((entry) => isChecked(entry.file, checked) && !(quiet && severityOf(entry.rule, config) === "warning")));
  const findings = all.filter((finding) => !counts.take(finding));
  findings.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.rule, b.rule) || compare(a.message, b.message));
  const errors = findings.filter((f) => f.severity === "error").length;
  return {
    asOf,
    findings,
    summary: { files: checkedFiles.length, errors, warnings: findings.length - errors, waived, baselined: all.length - findings.length, baselineUnused: counts.left },
    checked,
    files: checkedFiles.sort(compare),
  };
}

/** Whether a file (or a child's folder) was among those checked. */
export function isChecked(file: string, checked: ReadonlyMap<string, ChildScope>): boolean {
  const scope = checked.get(checked.has(file) ? file : posix.dirname(file));
  return scope === "all" || (scope !== undefined && scope.has(file));
}

/**
 * A finding is waived by a `waivers` entry in its own document naming its rule (or `timescale/*`),
 * with a reason, whose `until` (if any) is not yet past. A waiver without a reason waives nothing
 * (the schema reports it).
 */
function isWaived(document: CaseDocument | undefined, rule: string, asOf: IsoDate): boolean {
  const waivers = document?.data?.waivers;
  if (!Array.isArray(waivers)) return false;
  return waivers.some((waiver: Record<string, unknown> | null) => {
    if (typeof waiver !== "object" || waiver === null) return false;
    const { rule: waived, reason, until } = waiver;
    if (typeof reason !== "string" || reason.trim() === "") return false;
    if (until !== undefined && (!isIsoDate(until) || until < asOf)) return false;
    return waived === rule || (waived === TIMESCALE_WILDCARD && rule.startsWith(TIMESCALE_PREFIX));
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
