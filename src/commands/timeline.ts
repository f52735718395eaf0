// `careplan timeline`: what is due, per child or across the caseload.
import { selectPaths, type ChildCase } from "../casefile/repository.js";
import { computeTimeline, exclusionWarning, readCaseload, timelineContext } from "../core/caseload.js";
import { repositoryForms } from "../core/forms.js";
import { documentTypes } from "../doctypes.js";
import { UsageError } from "../errors.js";
import { formatTimelineIcs } from "../reporters/timeline/ics.js";
import { formatTimelineJson } from "../reporters/timeline/json.js";
import { formatTimelineMarkdown } from "../reporters/timeline/markdown.js";
import type { TimelineReport } from "../reporters/timeline/report.js";
import { formatTimelineTable } from "../reporters/timeline/table.js";
import { addDays } from "../common/dates.js";
import { resolvePolicy } from "../timescales/policy.js";
import { asOfDate, EXIT, reportColorLevel, writeReport, type CommandContext } from "./context.js";

export const TIMELINE_FORMATS = ["table", "json", "ics", "markdown"] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export interface TimelineOptions {
  paths: string[];
  format: TimelineFormat;
  asOf?: string;
  within?: string;
  all: boolean;
  child?: string;
  worker?: string;
  team?: string;
  group: "week" | "child";
  color?: boolean;
  outputFile?: string;
  config?: string;
}

export const DEFAULT_WITHIN_DAYS = 28;

export function runTimeline(options: TimelineOptions, context: CommandContext): number {
  const asOf = asOfDate(options.asOf, context);
  if (options.all && options.within !== undefined) throw new UsageError("--within and --all cannot be used together: --all lists every item.");
  const within = options.within === undefined ? DEFAULT_WITHIN_DAYS : Number(options.within);
  if (!/^\d+$/.test(options.within ?? "0")) throw new UsageError("--within takes a whole number of days, for example --within 28.");

  const selection = selectPaths(options.paths, context.cwd, options.config);
  const types = documentTypes(repositoryForms(selection.repository), asOf);
  const policy = resolvePolicy(selection.repository.config, [...types.keys()]);
  if (options.child !== undefined) {
    const selected = selection.children === "all" || selection.children.has(options.child);
    selection.children = new Map(selected ? [[options.child, "all"]] : []);
  }
  let matched = 0;
  const children = filter(readCaseload(selection, types), (child) => matchesFilters(child, options) && ++matched > 0);
  const timeline = computeTimeline(children, timelineContext(types, policy, selection.repository.config.closures, asOf));
  if (options.child !== undefined && matched === 0) {
    throw new UsageError(`--child ${options.child}: no such child in the selected folders (the id is the child's folder name).`);
  }
  for (const exclusion of timeline.exclusions) context.stderr.write(exclusionWarning(exclusion) + "\n");

  const horizon = addDays(asOf, within);
  const items = options.all ? timeline.items : timeline.items.filter((item) => item.status === "overdue" || (item.status === "upcoming" && item.due <= horizon));
  const report: TimelineReport = { asOf, policy: policy.name, items, horizon: options.all ? "all" : within };
  const output = format(report, options, context);
  writeReport(output, options.outputFile, context);
  return EXIT.ok;
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

function matchesFilters(child: ChildCase, options: TimelineOptions): boolean {
  if (options.child !== undefined && child.id !== options.child) return false;
  const worker = child.profile?.data?.social_worker as { name?: unknown; team?: unknown } | undefined;
  if (options.worker !== undefined && !sameName(worker?.name, options.worker)) return false;
  if (options.team !== undefined && !sameName(worker?.team, options.team)) return false;
  return true;
}

/** Names typed on a command line match whatever their case and spacing. */
function sameName(value: unknown, wanted: string): boolean {
  const normal = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  return typeof value === "string" && normal(value) === normal(wanted);
}

function format(report: TimelineReport, options: TimelineOptions, context: CommandContext): string {
  switch (options.format) {
    case "json":
      return formatTimelineJson(report);
    case "ics":
      return formatTimelineIcs(report);
    case "markdown":
      return formatTimelineMarkdown(report, { group: options.group });
    case "table": {
      return formatTimelineTable(report, { group: options.group, colorLevel: reportColorLevel(options.color, options.outputFile, context) });
    }
  }
}
