// `careplan report`: the manager's page, one self-contained HTML file. The timeline's items as of
// the as-of date, and the period's figures counted by stats' own functions.
import { addDays, addMonths, isIsoDate, type IsoDate } from "../common/dates.js";
import { caseUnits, computeTimeline, exclusionWarning, profileOf, tap, timelineContext } from "../core/caseload.js";
import { recordContext } from "../core/check.js";
import { childProfile, periodStats, ruleFilter, type ChildProfile } from "../core/stats.js";
import { documentTypes } from "../doctypes.js";
import { UsageError } from "../errors.js";
import { formatReportHtml } from "../reporters/report/page.js";
import { VERSION } from "../assets.js";
import { count } from "../common/words.js";
import { asOfDate, EXIT, writeReport, type CommandContext } from "./context.js";
import { openCaseload } from "./open.js";
import { DEFAULT_WITHIN_DAYS } from "./timeline.js";
import { printable } from "../common/safe-text.js";

export interface ReportOptions {
  paths: string[];
  asOf?: string;
  from?: string;
  to?: string;
  outputFile?: string;
  config?: string;
  /** false with --no-cache. */
  cache?: boolean;
  cacheLocation?: string;
}

export async function runReport(options: ReportOptions, context: CommandContext): Promise<number> {
  const asOf = asOfDate(options.asOf, context);
  const period = periodOf(options, asOf);
  if (options.outputFile === undefined && context.stdout.isTTY) {
    throw new UsageError("report writes a web page: name the file with -o, for example careplan report -o report.html.");
  }
  const { selection, pending, config, forms, types, policy } = openCaseload(options, context, asOf);
  const closures = config.closures;

  const store = await pending.open({ config, forms, types });
  const profiles = new Map<string, ChildProfile>();
  const timeline = computeTimeline(
    tap(caseUnits(selection, recordContext(types, policy, config.closures, asOf, false), store), (unit) => profiles.set(unit.record.id, childProfile(profileOf(unit)))),
    timelineContext(types, policy, closures, asOf),
  );
  for (const exclusion of timeline.exclusions) {
    context.stderr.write(exclusionWarning(exclusion) + "\n");
    if (exclusion.wholeChild) profiles.delete(exclusion.file.split("/").at(-2)!);
  }
  // stats counts the period as known on its last day: the timeline as of --to, when that is another day.
  const typesThen = documentTypes(forms, period.to);
  // The cache's records hold for the versions of the forms in force on the as-of date: on --to, only when they are the same.
  const sameForms = [...types].every(([type, version]) => typesThen.get(type) === version);
  const counted =
    period.to === asOf ? timeline.items : computeTimeline(caseUnits(selection, recordContext(typesThen, policy, closures, period.to, false), sameForms ? store : undefined), timelineContext(typesThen, policy, closures, period.to), { titles: false }).items;
  const query = { from: period.from, to: period.to, keep: ruleFilter([]), policy: policy.name };

  const page = formatReportHtml({
    asOf,
    policy: policy.name,
    version: VERSION,
    horizonDays: DEFAULT_WITHIN_DAYS,
    children: [...profiles.values()].map(({ id, worker, team }) => ({ id, worker, team })),
    items: timeline.items,
    problems: timeline.problems,
    ruleTitles: Object.fromEntries(policy.rules.map((rule) => [rule.id, rule.title])),
    period: { ...period, byRule: periodStats(counted, profiles, { ...query, by: "rule" }), byMonth: periodStats(counted, profiles, { ...query, by: "month" }) },
  });
  writeReport(page, options.outputFile, context);
  if (options.outputFile !== undefined) {
    const overdue = timeline.items.filter((item) => item.status === "overdue").length;
    context.stdout.write(`Wrote ${printable(options.outputFile)}: ${count(profiles.size, "child", "children")}, ${count(overdue, "deadline")} overdue, as of ${asOf}. Open it in a browser; it holds case-file information, so keep it as you keep the case files.\n`);
  }
  return EXIT.ok;
}

/** The period of the figures: the 12 months to the as-of date unless --from or --to say otherwise. */
function periodOf(options: ReportOptions, asOf: IsoDate): { from: IsoDate; to: IsoDate; defaulted: boolean } {
  const date = (flag: string, value: string) => {
    if (!isIsoDate(value)) throw new UsageError(`${flag} must be a real date written YYYY-MM-DD, for example ${flag} 2026-03-31.`);
    return value;
  };
  const to = options.to === undefined ? asOf : date("--to", options.to);
  const from = options.from === undefined ? addDays(addMonths(to, -12), 1) : date("--from", options.from);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}: the period runs from its first day to its last.`);
  if (to > asOf) throw new UsageError(`--to ${to} is after the as-of date ${asOf}: the figures count what had happened by --to. Give an earlier --to, or a later --as-of.`);
  return { from, to, defaulted: options.from === undefined && options.to === undefined };
}
