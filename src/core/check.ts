// The check core: run every rule on every selected child, give findings their severity, honour
// waivers and the baseline, count. Reporters only format the result.
import { posix } from "node:path";
import { settingAt, type Config, type Severity } from "../config/config.js";
import type { ChildCase, ChildScope } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import { ConfigError } from "../errors.js";
import { consistencyRule, afterAsOf } from "../rules/consistency.js";
import { CHECK_RULES } from "../rules/registry.js";
import { TIMESCALE_PREFIX, TIMESCALE_WILDCARD, timescaleFindings } from "../rules/timescale.js";
import type { IsoDate } from "../common/dates.js";
import { didYouMean } from "../common/words.js";
import type { Policy } from "../timescales/policy.js";
import { BaselineCounts, type BaselineEntry } from "./baseline.js";
import { recordItems, selectedChildren, sharedStrings, timelineContext, toRead, unitReader, type RecordStore, type TimelineContext } from "./caseload.js";
import { locateIn, unitOf, type CaseUnit, type RecordContext, type RecordFinding, type Waiver } from "./record.js";
import { spread, type Pool } from "./workers.js";
import { MAX_KEPT_FINDINGS, type KeptFindings } from "./cache.js";
import type { Selection } from "../casefile/repository.js";
import { addToGroup } from "../common/group.js";

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

/** What a check is made with, once a run. */
export interface CheckSettings {
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

export interface CheckInput extends CheckSettings {
  children: Iterable<ChildCase>;
}

export function checkCaseload(input: CheckInput): CheckResult {
  const context = recordContext(input.types, input.policy, input.config.closures, input.asOf);
  return checkUnits(
    (function* () {
      for (const child of input.children) yield unitOf(child, context);
    })(),
    input,
  );
}

/** Every finding of the units (in the order of their folders), sorted. */
export function checkUnits(units: Iterable<CaseUnit>, settings: CheckSettings): CheckResult {
  const findings: Finding[] = [];
  const run = new CheckRun(settings, (finding) => findings.push(finding));
  for (const unit of units) run.add(checkUnit(unit, settings, run.timescales));
  const { summary, checked, files } = run.finish();
  return { asOf: settings.asOf, findings, summary, checked, files };
}

/** What records are made with for a check or a timeline of this policy on this day (`closures`: careplan.yaml's). */
export function recordContext(types: ReadonlyMap<string, DocumentType>, policy: Policy, closures: readonly IsoDate[], asOf: IsoDate, checks = true): RecordContext {
  const { reads, calendar } = timelineContext(types, policy, closures, asOf);
  const ruleIds = new Set([...CHECK_RULES.map((r) => r.id).filter((id) => id !== "timescale"), TIMESCALE_WILDCARD, ...policy.rules.map((r) => `${TIMESCALE_PREFIX}${r.id}`)]);
  return { types, asOf, checks, reads, ruleIds, rules: policy.rules, calendar };
}

/** One child checked: its findings sorted, with their severity, waivers honoured (the baseline is the run's). */
export interface ChildCheck {
  folder: string;
  /** The child's id: its scope's key. */
  id: string;
  findings: Finding[];
  waived: number;
  /** The files checked (those the paths given select). */
  files: string[];
}

/**
 * A child's findings on the as-of date whatever the paths given and --quiet: each with its
 * severity (none switched off) and whether a waiver waives it. What the cache keeps of a check.
 */
export interface ChildFindings {
  id: string;
  folder: string;
  /** The files a check of the whole child counts. */
  files: string[];
  findings: (Finding & { waived: boolean })[];
}

export function checkUnit(unit: CaseUnit, settings: CheckSettings, timescales: TimelineContext): ChildCheck {
  return scoped(childFindings(unit, settings, timescales), settings);
}

/** The findings of the child the paths given select, --quiet honoured, the waived ones counted. */
export function scoped(child: ChildFindings, { scope, quiet = false }: Pick<CheckSettings, "scope" | "quiet">): ChildCheck {
  const only = scope?.get(child.id);
  const files = only === "all" ? undefined : only;
  const findings: Finding[] = [];
  let waived = 0;
  for (const { waived: isWaived, ...finding } of child.findings) {
    if ((files && !files.has(finding.file)) || (quiet && finding.severity === "warning")) continue;
    if (isWaived) waived++;
    else findings.push(finding);
  }
  return { folder: child.folder, id: child.id, findings, waived, files: files ? [...files] : child.files };
}

/**
 * A child's findings on the as-of date: those of its record, whatever the date, and those made
 * from its facts on the day (documents dated after it, overdue deadlines).
 */
export function childFindings(unit: CaseUnit, settings: CheckSettings, timescales: TimelineContext): ChildFindings {
  const { record } = unit;
  const locate = locateIn(unit);
  const { config, asOf } = settings;
  // On or after the day the child's facts settled, nothing is dated after the as-of date.
  const settled = record.settled !== undefined && asOf >= record.settled;
  const items = recordItems(record, timescales, false);
  const onTheDay: RecordFinding[] = [
    ...(settled ? [] : afterAsOf(record.dated, asOf, locate).map((raw) => ({ ...raw, rule: consistencyRule.id }))),
    ...timescaleFindings(items, asOf, locate).map((raw) => ({ ...raw, rule: raw.rule! })),
  ];
  const findings: ChildFindings["findings"] = [];
  for (const raw of [...record.findings, ...onTheDay]) {
    const severity = severityOf(raw.rule, config);
    if (severity === "off") continue;
    const { file, line, column, rule, message, messageId, subject } = raw;
    findings.push({ file, line, column, rule, severity, message, messageId, subject, waived: isWaived(record.waivers, raw.file, raw.rule, asOf) });
  }
  return { id: record.id, folder: record.folder, files: record.files, findings };
}

/**
 * The selected children checked, in the order of their folders: a child whose files are as they
 * were when the cache kept its findings on this as-of date is not even read again; the others are
 * (from their records where they can be), and the cache keeps their findings for the next run.
 * When many children must be read from their files, workers read them (`pool`). Beyond `maxKept`
 * findings, none are kept for the day (the records still are).
 */
export async function* checkedChildren(
  selection: Selection,
  context: RecordContext,
  store: RecordStore | undefined,
  settings: CheckSettings,
  timescales: TimelineContext,
  pool?: Pool,
  maxKept = MAX_KEPT_FINDINGS,
): AsyncGenerator<ChildCheck> {
  const ids = selectedChildren(selection);
  const known = store?.cache.results(settings.asOf) ?? new Map<string, KeptFindings>();
  // A caseload with a great many findings keeps only its records: the findings of the day would be
  // large to read, and holding them all would make memory grow with them.
  let keeping = store !== undefined;
  let keptCount = 0;
  for (const { findings } of known.values()) keptCount += findings.findings.length;
  const findingsKept = (id: string) => {
    const kept = known.get(id);
    return kept !== undefined && kept.key === store!.keys.quick(id) ? kept.findings : undefined;
  };
  // The children to read from their files: on workers, when there are enough of them.
  const workers = spread(pool ? ids.filter((id) => !findingsKept(id)).flatMap((id) => toRead(store, id, context.checks)) : [], pool);
  const readHere = unitReader(selection.repository, context, store, "check");
  let changed = false;
  try {
    for (const id of ids) {
      const kept = findingsKept(id);
      if (kept) {
        yield scoped(kept, settings);
        continue;
      }
      let findings: ChildFindings;
      let key: string | undefined;
      const made = await workers.take(id);
      if (made?.stored) store?.cache.adopt(id, made.stored);
      if (made?.result.kind === "check") {
        ({ key } = made);
        findings = made.result.findings;
        // A worker's findings come as copies, each string its own: they are shared within the
        // child (a map for the whole run would hold every file's path to the end).
        const shared = sharedStrings();
        for (const finding of findings.findings) shareStrings(finding, shared);
      } else {
        const read = readHere(id);
        key = read.key;
        findings = childFindings(read.unit, settings, timescales);
      }
      keptCount += findings.findings.length - (known.get(id)?.findings.findings.length ?? 0);
      if (keeping && key !== undefined) known.set(id, { key, findings });
      else known.delete(id);
      if (keeping && keptCount > maxKept) {
        keeping = false;
        known.clear();
      }
      changed = true;
      yield scoped(findings, settings);
    }
    if (changed) store?.cache.keepResults(settings.asOf, keeping ? known : undefined);
  } finally {
    await workers.close();
    store?.cache.close();
  }
}

/** The finding's strings, shared: a document's path, rules, messages and subjects repeat from finding to finding. */
function shareStrings(finding: Finding, shared: (text: string) => string): void {
  finding.file = shared(finding.file);
  finding.rule = shared(finding.rule);
  finding.severity = shared(finding.severity) as Finding["severity"];
  finding.message = shared(finding.message);
  finding.messageId = shared(finding.messageId);
  finding.subject = shared(finding.subject);
}

/**
 * A check over children given in order: each child's findings are matched against the baseline,
 * then passed on sorted as the contract says (file, line, column, rule, message) as soon as no
 * later child can come before them, so a large caseload's findings are never all held at once.
 */
export class CheckRun {
  readonly timescales: TimelineContext;
  private readonly checked = new Map<string, ChildScope>();
  private readonly baseline: BaselineByFolder;
  private pending: Finding[] = [];
  private lastFolder: string | undefined;
  private inOrder = true;
  /** Every file checked: the test cases of a JUnit report (paths only, so a few megabytes for a whole authority). */
  private readonly files: string[] = [];
  private readonly summary: CheckSummary = { files: 0, errors: 0, warnings: 0, waived: 0, baselined: 0, baselineUnused: 0 };

  constructor(
    private readonly settings: CheckSettings,
    private readonly emit: (finding: Finding) => void,
  ) {
    this.timescales = timelineContext(settings.types, settings.policy, settings.config.closures, settings.asOf);
    // Under --quiet, warnings' entries are not looked at.
    const { quiet = false, config } = settings;
    this.baseline = new BaselineByFolder((settings.baseline ?? []).filter((entry) => !(quiet && severityOf(entry.rule, config) === "warning")));
  }

  add(child: ChildCheck): void {
    const only = this.settings.scope?.get(child.id);
    const scope: ChildScope = only === undefined || only === "all" ? "all" : only;
    this.checked.set(child.folder, scope);
    // Only entries of what was checked can be matched.
    const counts = new BaselineCounts(this.baseline.of(child.folder).filter((entry) => isChecked(entry.file, new Map([[child.folder, scope]]))));
    const kept = child.findings.filter((finding) => !counts.take(finding));
    kept.sort(compareFindings);
    this.summary.files += child.files.length;
    this.files.push(...child.files);
    this.summary.waived += child.waived;
    this.summary.baselined += child.findings.length - kept.length;
    this.summary.baselineUnused += counts.left;
    // Every file of this child and the later ones sorts after the folder's own path: what sorts
    // before it can go. Children out of order (not from a listing) are all held to the end.
    if (this.lastFolder !== undefined && child.folder <= this.lastFolder) this.inOrder = false;
    this.lastFolder = child.folder;
    if (this.inOrder) this.flush((finding) => finding.file < child.folder);
    this.pending = this.pending.length === 0 ? kept : mergeSorted(this.pending, kept);
  }

  finish(): { summary: CheckSummary; checked: Map<string, ChildScope>; files: string[] } {
    this.flush(() => true);
    return { summary: { ...this.summary }, checked: this.checked, files: this.files.sort(compare) };
  }

  private flush(before: (finding: Finding) => boolean): void {
    let count = 0;
    while (count < this.pending.length && before(this.pending[count]!)) count++;
    for (const finding of this.pending.slice(0, count)) {
      if (finding.severity === "error") this.summary.errors++;
      else this.summary.warnings++;
      this.emit(finding);
    }
    this.pending = this.pending.slice(count);
  }
}

/** Baseline entries by the child's folder they belong to (a file in it, or the folder itself). */
class BaselineByFolder {
  private readonly byFolder = new Map<string, BaselineEntry[]>();

  constructor(entries: readonly BaselineEntry[]) {
    for (const entry of entries) {
      for (const folder of new Set([entry.file, posix.dirname(entry.file)])) addToGroup(this.byFolder, folder, entry);
    }
  }

  of(folder: string): BaselineEntry[] {
    return this.byFolder.get(folder) ?? [];
  }
}

export function compareFindings(a: Finding, b: Finding): number {
  return compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.rule, b.rule) || compare(a.message, b.message);
}

function mergeSorted(a: Finding[], b: Finding[]): Finding[] {
  const merged: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(compareFindings(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!);
  return merged.concat(a.slice(i), b.slice(j));
}

/** Whether a file (or a child's folder) was among those checked. */
export function isChecked(file: string, checked: ReadonlyMap<string, ChildScope>): boolean {
  const scope = checked.get(checked.has(file) ? file : posix.dirname(file));
  return scope === "all" || (scope !== undefined && scope.has(file));
}

/**
 * A finding is waived by a `waivers` entry in its own document naming its rule (or `timescale/*`),
 * with a reason, whose `until` (if any) is not yet past (the record keeps only waivers with a
 * reason and a real `until`; the schema reports the others).
 */
function isWaived(waivers: readonly Waiver[], file: string, rule: string, asOf: IsoDate): boolean {
  return waivers.some(
    (waiver) => waiver.file === file && (waiver.until === undefined || waiver.until >= asOf) && (waiver.rule === rule || (waiver.rule === TIMESCALE_WILDCARD && rule.startsWith(TIMESCALE_PREFIX))),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
