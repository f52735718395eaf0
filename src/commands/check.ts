// `careplan check`: the linter for case files, locally, before every commit and in CI.
import { appendFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PACKAGE_HOMEPAGE, VERSION } from "../assets.js";
import { fileNameReader } from "../casefile/filename.js";
import { ignoredPathWarnings, listChildFolders, posix, readChild, selectPaths, type ChildCase, type Repository, type Selection } from "../casefile/repository.js";
import { readCaseload, type RecordStore, type TimelineContext } from "../core/caseload.js";
import { BASELINE_FILE, parseBaseline, readBaseline, type BaselineEntry } from "../core/baseline.js";
import { checkedChildren, checkSeverityKeys, checkUnit, CheckRun, recordContext, severityOf, type CheckResult, type CheckSettings, type ChildCheck, type Finding } from "../core/check.js";
import { unitOf, type RecordContext } from "../core/record.js";
import { beginStore } from "../core/store.js";
import { workerPool } from "../core/workers.js";
import { maxKeptFindings } from "../core/cache.js";
import { changedChildren } from "../core/changed.js";
import { gitTopLevel, openGit } from "../core/git.js";
import { readStaged } from "../core/staged.js";
import { fixCaseload, type FixOutcome } from "../core/fix.js";
import { formatFixes } from "../reporters/check/fixes.js";
import { repositoryForms } from "../core/forms.js";
import type { Form } from "../templates/forms.js";
import { documentTypes, type DocumentType } from "../doctypes.js";
import { ioError, UsageError } from "../errors.js";
import { formatCheckGithub, formatCheckGithubSummary } from "../reporters/check/github.js";
import { formatCheckGitlab } from "../reporters/check/gitlab.js";
import { formatCheckJunit } from "../reporters/check/junit.js";
import { CheckJsonWriter, formatCheckJson } from "../reporters/check/json.js";
import { formatCheckSarif, type SarifRule } from "../reporters/check/sarif.js";
import { formatCheckStylish } from "../reporters/check/stylish.js";
import { CHECK_RULES } from "../rules/registry.js";
import { docsAnchor } from "../rules/rule.js";
import { TIMESCALE_PREFIX, TIMESCALE_WILDCARD } from "../rules/timescale.js";
import { legalStatusesOf, PRESETS, resolvePolicy, type Policy } from "../timescales/policy.js";
import type { Config, Severity } from "../config/config.js";
import { asOfDate, cacheOptions, EXIT, openReport, reportColorLevel, writeReport, type CommandContext } from "./context.js";
import { withProgressAsync } from "./progress.js";
import { count } from "../common/words.js";
import { guardOutput } from "../common/safe-text.js";

import type { CheckFormat } from "./choices.js";
export { CHECK_FORMATS, type CheckFormat } from "./choices.js";

export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  asOf?: string;
  changed: boolean;
  since?: string;
  staged: boolean;
  quiet: boolean;
  /** false with --no-baseline: every finding, as if there were no baseline (the file is not even read). */
  baseline: boolean;
  maxWarnings?: string;
  outputFile?: string;
  color?: boolean;
  config?: string;
  /** Insert missing sections and fields with defaults, then report what remains. */
  fix?: boolean;
  /** As --fix, writing nothing. */
  fixDryRun?: boolean;
  /** false with --no-cache: every child read and parsed, nothing kept. */
  cache?: boolean;
  /** --cache-location: where to keep the cache instead of .careplan-cache/ in the repository. */
  cacheLocation?: string;
}

/** What a check reads: the repository (as staged, for --staged), its children one by one, its baseline. */
interface CheckSource {
  repository: Repository;
  /** The children, read one by one with the repository's document types. */
  children(types: ReadonlyMap<string, DocumentType>): Iterable<ChildCase>;
  /** The children checked, from the cache where their files are as they were (the working tree only). */
  checked?(context: RecordContext, store: RecordStore | undefined, settings: CheckSettings, timescales: TimelineContext, forms: ReadonlyMap<string, Form>): AsyncIterable<ChildCheck>;
  /** How many children, for the progress line (asked after the templates are known to be sound). */
  total(): number;
  baseline: BaselineEntry[] | undefined;
}

export async function runCheck(options: CheckOptions, context: CommandContext): Promise<number> {
  const asOf = asOfDate(options.asOf, context);
  if (options.fix && options.fixDryRun) throw new UsageError("--fix and --fix-dry-run cannot be used together: --fix-dry-run shows what --fix would do.");
  if (options.since !== undefined && !options.changed) throw new UsageError("--since goes with --changed: careplan check --changed --since <git-ref>.");
  if (options.staged && options.changed) throw new UsageError("--staged and --changed cannot be used together: --staged checks what the next commit holds, --changed what differs in the working tree.");
  if (options.staged && (options.fix || options.fixDryRun)) throw new UsageError("--fix cannot be used with --staged: --fix mends the files in the working tree, --staged checks what is staged. Run careplan check --fix, then stage the changes.");
  const maxWarnings = options.maxWarnings === undefined ? undefined : Number(options.maxWarnings);
  if (maxWarnings !== undefined && !/^\d+$/.test(options.maxWarnings!)) throw new UsageError("--max-warnings takes a whole number, for example --max-warnings 0.");

  const selection = selectPaths(options.paths, context.cwd, options.config);
  for (const warning of ignoredPathWarnings(selection)) context.stderr.write(warning + "\n");
  const fixing = options.fix || options.fixDryRun;
  // --staged reads git's index, --fix writes the files it reads: neither is kept in the cache.
  const storeOptions = cacheOptions(options, context, !options.staged && !fixing);
  const pending = beginStore(selection.repository, storeOptions);
  const source = options.staged ? stagedSource(selection, options, context) : workingTreeSource(selection, options, context);
  const { repository } = source;
  const config = options.staged ? deadlinesAsWarnings(repository.config) : repository.config;
  const forms = repositoryForms(repository);
  const types = documentTypes(forms, asOf);
  const policy = checkPolicy(config, types);
  const scope = selection.children === "all" ? undefined : selection.children;
  const records = recordContext(types, policy, config.closures, asOf);
  const store = await pending.open({ config, forms, types });
  const outcome: FixOutcome = { changes: [], skipped: [] };
  const settings: CheckSettings = { types, policy, config, asOf, quiet: options.quiet, ...(source.baseline ? { baseline: source.baseline } : {}), ...(scope ? { scope } : {}) };

  // Counted before any output: a children folder that cannot be listed is an error with nothing written.
  const total = source.total();
  // JSON is written as it goes; the other formats are made from every finding at the end.
  const findings: Finding[] = [];
  const stream = options.format === "json" ? openReport(options.outputFile, context) : undefined;
  const json = stream && new CheckJsonWriter(asOf, (chunk) => stream.write(chunk));
  let batch: Finding[] = [];
  const run = new CheckRun(settings, (finding) => (json ? batch.push(finding) : findings.push(finding)));
  const children: AsyncIterable<ChildCheck> =
    source.checked && !fixing
      ? source.checked(records, store, settings, run.timescales, forms)
      : inTurn(
          map(
            fixing ? fixCaseload(source.children(types), { root: repository.root, limits: config.limits, types, asOf, ...(scope ? { scope } : {}), write: !options.fixDryRun, outcome }) : source.children(types),
            (child) => checkUnit(unitOf(child, records), settings, run.timescales),
          ),
        );
  for await (const child of withProgressAsync(children, total, context)) {
    run.add(child);
    if (json && batch.length > 0) {
      json.findings(batch);
      batch = [];
    }
  }
  const { summary, checked, files } = run.finish();
  const result: CheckResult = { asOf, findings, summary, checked, files };

  // What was fixed comes first, where the report goes when a person reads it, else on stderr.
  if (fixing) (options.format === "stylish" && options.outputFile === undefined ? context.stdout : context.stderr).write(formatFixes(outcome, Boolean(options.fixDryRun)));
  if (json) {
    json.findings(batch);
    json.end(summary);
    stream.close();
  } else writeReport(format(result, options, context, repository, policy), options.outputFile, context);
  const summaryFile = context.env.GITHUB_STEP_SUMMARY;
  if (options.format === "github" && summaryFile) {
    try {
      appendFileSync(summaryFile, guardOutput(formatCheckGithubSummary(relocate(result, ciPath(source.repository)))));
    } catch (error) {
      throw ioError(error, "append the summary to $GITHUB_STEP_SUMMARY,", summaryFile, "Set GITHUB_STEP_SUMMARY to a file you can write to, or unset it.");
    }
  }

  const unused = result.summary.baselineUnused;
  if (unused > 0) {
    context.stderr.write(`careplan: ${count(unused, "entry", "entries")} of ${BASELINE_FILE} no longer occur${unused === 1 ? "s" : ""}: remove ${unused === 1 ? "it" : "them"} with \`careplan baseline --prune\`.\n`);
  }
  const tooManyWarnings = maxWarnings !== undefined && result.summary.warnings > maxWarnings;
  if (tooManyWarnings) context.stderr.write(`careplan: ${count(result.summary.warnings, "warning")}, more than --max-warnings ${maxWarnings}.\n`);
  return result.summary.errors > 0 || tooManyWarnings ? EXIT.findings : EXIT.ok;
}

function* map<T, U>(items: Iterable<T>, to: (item: T) => U): Generator<U> {
  for (const item of items) yield to(item);
}

async function* inTurn<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** The policy in force, with careplan.yaml's severity keys checked against its rules (for check and baseline). */
export function checkPolicy(config: Config, types: ReadonlyMap<string, DocumentType>): Policy {
  const policy = resolvePolicy(config, [...types.keys()], legalStatusesOf(types));
  checkSeverityKeys(config, [...policy.rules.map((r) => r.id), ...[...PRESETS.values()].flatMap((preset) => preset.rules.map((r) => r.id))]);
  return policy;
}

/**
 * Before a commit, an overdue deadline is shown but stops nothing: the commit may hold the very
 * document that meets it, and a visit must never wait because a review is late. (CI, without
 * --staged, still fails on it.) A deadline switched off stays off.
 */
function deadlinesAsWarnings(config: Config): Config {
  const severity: Record<string, Severity> = { [TIMESCALE_WILDCARD]: "warning" };
  for (const [rule, level] of Object.entries(config.severity)) {
    severity[rule] = rule.startsWith(TIMESCALE_PREFIX) && level === "error" ? "warning" : level;
  }
  return Object.freeze({ ...config, severity: Object.freeze(severity) });
}

/** The files as they are: every selected child, or (--changed) those git says differ. */
function workingTreeSource(selection: Selection, options: CheckOptions, context: CommandContext): CheckSource {
  const { repository } = selection;
  if (options.changed) {
    const changed = changedChildren(repository, options.since, openGit({ dir: repository.root, cwd: context.cwd, env: context.env, purpose: "--changed" }));
    if (changed !== "all") {
      const selected = selection.children;
      selection.children = new Map([...changed].filter((id) => selected === "all" || selected.has(id)).map((id) => [id, selected === "all" ? "all" : selected.get(id)!]));
    }
  }
  const total = () => (selection.children === "all" ? listChildFolders(repository).length : selection.children.size);
  return {
    repository,
    children: (types) => readCaseload(selection, types),
    checked: (records, store, settings, timescales, forms) =>
      checkedChildren(selection, records, store, settings, timescales, workerPool(context.env, { kind: "check" }, { repository, config: settings.config, forms, asOf: settings.asOf }, store), maxKeptFindings(context.env)),
    total,
    baseline: options.baseline ? readBaseline(repository.root) : undefined,
  };
}

/** What the next commit holds: the children with staged changes, their documents, careplan.yaml and the baseline all read from git's index. */
function stagedSource(selection: Selection, options: CheckOptions, context: CommandContext): CheckSource {
  const git = openGit({ dir: selection.repository.root, cwd: context.cwd, env: context.env, purpose: "--staged" });
  const staged = readStaged(selection, options.config !== undefined, git);
  const baselineText = options.baseline ? staged.file(BASELINE_FILE) : undefined;
  return {
    repository: staged.repository,
    *children(types) {
      const readName = fileNameReader([...types.keys()]);
      for (const id of staged.ids) yield readChild(staged.repository, id, readName, staged.reader);
    },
    total: () => staged.ids.length,
    baseline: baselineText === undefined ? undefined : parseBaseline(baselineText.toString("utf8"), join(staged.repository.root, `${BASELINE_FILE} (staged)`)),
  };
}

function format(result: CheckResult, options: CheckOptions, context: CommandContext, repository: Repository, policy: Policy): string {
  switch (options.format) {
    case "json":
      // CONTRACT section 5: paths relative to the case-file repository.
      return formatCheckJson(result);
    case "github":
      return formatCheckGithub(relocate(result, ciPath(repository)));
    case "gitlab":
      return formatCheckGitlab(relocate(result, ciPath(repository)));
    case "junit":
      return formatCheckJunit(result, { path: ciPath(repository) });
    case "sarif": {
      const top = gitTopLevel(repository.root);
      const base = top ? "The top folder of the git repository holding the case files." : "The case-file repository's folder (it is not in a git repository).";
      return formatCheckSarif(relocate(result, ciPath(repository)), sarifRules(policy, repository.config), { version: VERSION, base });
    }
    case "stylish":
      // People click and type paths from where they are.
      return formatCheckStylish(relocate(result, (file) => posix(relative(context.cwd, join(repository.root, file))) || "."), {
        colorLevel: reportColorLevel(options.color, options.outputFile, context),
      });
  }
}

/** Paths for CI: relative to the git repository's top (where GitHub and code scanning look), else to the case-file repository. */
function ciPath(repository: Repository): (file: string) => string {
  const top = gitTopLevel(repository.root);
  const prefix = top === undefined ? "" : posix(relative(top, repository.root));
  return (file) => (prefix === "" ? file : `${prefix}/${file}`);
}

function relocate(result: CheckResult, path: (file: string) => string): CheckResult {
  return { ...result, findings: result.findings.map((finding) => ({ ...finding, file: path(finding.file) })) };
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
