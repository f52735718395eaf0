// `careplan stats`: how timely the deadlines of a period were (CONTRACT.md section 7), or which
// recurring duties were in date on one day (--snapshot). Both count the timeline engine's items.
import { distance } from "fastest-levenshtein";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { caseUnits, computeTimeline, exclusionWarning, profileOf, tap, timelineContext } from "../core/caseload.js";
import { recordContext } from "../core/check.js";
import {
  childProfile,
  periodStats,
  recurringDuties,
  ruleFilter,
  snapshotStats,
  unknownRulePatterns,
  type ChildProfile,
  type StatsBy,
} from "../core/stats.js";
import { UsageError } from "../errors.js";
import { formatStatsCsv } from "../reporters/stats/csv.js";
import { formatStatsJson } from "../reporters/stats/json.js";
import { formatStatsMarkdown } from "../reporters/stats/markdown.js";
import type { StatsReport } from "../reporters/stats/report.js";
import { formatStatsTable } from "../reporters/stats/table.js";
import type { Policy } from "../timescales/policy.js";
import { EXIT, reportColorLevel, writeReport, type CommandContext } from "./context.js";
import { openCaseload } from "./open.js";

export { STATS_BY } from "../core/stats.js";
import type { StatsFormat } from "./choices.js";
export { STATS_FORMATS, type StatsFormat } from "./choices.js";

export interface StatsOptions {
  paths: string[];
  from?: string;
  to?: string;
  snapshot?: string;
  by: StatsBy;
  rule: string[];
  format: StatsFormat;
  color?: boolean;
  outputFile?: string;
  config?: string;
  /** false with --no-cache. */
  cache?: boolean;
  cacheLocation?: string;
}

type Measure = { kind: "period"; from: IsoDate; to: IsoDate } | { kind: "snapshot"; date: IsoDate };

export async function runStats(options: StatsOptions, context: CommandContext): Promise<number> {
  const measure = measureOf(options);
  // The items `timeline --all --as-of <day>` lists, made by the same calls, and each child's profile beside them.
  const asOf = measure.kind === "period" ? measure.to : measure.date;
  const { selection, pending, config, forms, types, policy } = openCaseload(options, context, asOf);
  checkRules(options.rule, policy);

  const store = await pending.open({ config, forms, types });
  const profiles = new Map<string, ChildProfile>();
  const units = tap(caseUnits(selection, recordContext(types, policy, config.closures, asOf, false), store), (unit) => profiles.set(unit.record.id, childProfile(profileOf(unit))));
  const timeline = computeTimeline(units, timelineContext(types, policy, config.closures, asOf), { titles: false });
  for (const exclusion of timeline.exclusions) {
    context.stderr.write(exclusionWarning(exclusion) + "\n");
    // A child the timeline leaves out whole is looked after on no day it can count.
    if (exclusion.wholeChild) profiles.delete(exclusion.file.split("/").at(-2)!);
  }

  const keep = ruleFilter(options.rule);
  const figures =
    measure.kind === "period"
      ? periodStats(timeline.items, profiles, { from: measure.from, to: measure.to, by: options.by, keep, policy: policy.name })
      : snapshotStats(timeline.items, profiles, recurringDuties(policy.rules), { date: measure.date, by: options.by as Exclude<StatsBy, "month">, keep, policy: policy.name });
  // What the figures leave out: a warning on stderr above, and a closing line in the human views.
  const report: StatsReport = timeline.problems.length > 0 ? { ...figures, problems: timeline.problems } : figures;
  writeReport(format(report, options, context), options.outputFile, context);
  return EXIT.ok;
}

function measureOf(options: StatsOptions): Measure {
  const date = (flag: string, value: string) => {
    if (!isIsoDate(value)) throw new UsageError(`${flag} must be a real date written YYYY-MM-DD, for example ${flag} 2026-03-31.`);
    return value;
  };
  if (options.snapshot !== undefined) {
    if (options.from !== undefined || options.to !== undefined) {
      throw new UsageError("--snapshot counts on one day, --from and --to over a period: give one or the other.");
    }
    if (options.by === "month") throw new UsageError("--by month has no meaning for a snapshot, which is one day: use --by rule, child, worker, team or preset.");
    return { kind: "snapshot", date: date("--snapshot", options.snapshot) };
  }
  if (options.from === undefined || options.to === undefined) {
    throw new UsageError("stats needs the period: --from and --to, its first and last days (for example --from 2025-04-01 --to 2026-03-31), or --snapshot <day>.");
  }
  const from = date("--from", options.from);
  const to = date("--to", options.to);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}: the period runs from its first day to its last.`);
  return { kind: "period", from, to };
}

/** Each --rule must keep at least one rule of the policy in force; a typing slip gets the nearest ids. */
function checkRules(patterns: readonly string[], policy: Policy): void {
  const ids = policy.rules.map((rule) => rule.id);
  const [unknown] = unknownRulePatterns(patterns, ids);
  if (unknown === undefined) return;
  // visit.placement is in the families visit.* and visit.placement.*; `review` alone is no id, but review.* is a family.
  const families = [...new Set(ids.flatMap((id) => id.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."))))];
  const candidates = unknown.endsWith(".*") ? families.map((family) => `${family}.*`) : [...ids, ...families.filter((family) => !ids.includes(family)).map((family) => `${family}.*`)];
  const near = candidates
    .map((candidate) => ({ candidate, far: distance(unknown, candidate) }))
    .filter(({ far }) => far <= Math.max(2, Math.floor(unknown.length / 3)))
    .sort((a, b) => a.far - b.far || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
  const what = unknown.endsWith(".*") ? `no rule of the family \`${unknown.slice(0, -2)}\`` : "no such rule";
  const hint = near.length > 0 ? `Did you mean ${near.join(" or ")}?` : `The rules in force are: ${ids.join(", ")}.`;
  throw new UsageError(`--rule ${unknown}: the policy in force (${policy.name}) has ${what}. ${hint}`);
}

function format(report: StatsReport, options: StatsOptions, context: CommandContext): string {
  switch (options.format) {
    case "json":
      return formatStatsJson(report);
    case "csv":
      return formatStatsCsv(report);
    case "markdown":
      return formatStatsMarkdown(report);
    case "table":
      return formatStatsTable(report, { colorLevel: reportColorLevel(options.color, options.outputFile, context) });
  }
}
