// `careplan timeline`: what is due, per child or across the caseload.
import { listChildFolders, type ChildCase } from "../casefile/repository.js";
import { childTimelines, exclusionWarning, mergeTimelines, profileOf, timelineContext, type Timeline } from "../core/caseload.js";
import { workerPool } from "../core/workers.js";
import { recordContext } from "../core/check.js";
import type { TimelineItem } from "../timescales/engine.js";
import { UsageError } from "../errors.js";
import { formatTimelineIcs } from "../reporters/timeline/ics.js";
import { formatTimelineJson, timelineJsonChunks } from "../reporters/timeline/json.js";
import { formatTimelineMarkdown } from "../reporters/timeline/markdown.js";
import type { TimelineReport } from "../reporters/timeline/report.js";
import { formatTimelineTable } from "../reporters/timeline/table.js";
import { addDays } from "../common/dates.js";
import { count, didYouMean } from "../common/words.js";
import { asOfDate, EXIT, openReport, reportColorLevel, writeReport, type CommandContext } from "./context.js";
import { openCaseload } from "./open.js";

import type { TimelineFormat } from "./choices.js";
export { TIMELINE_FORMATS, type TimelineFormat } from "./choices.js";

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
  /** false with --no-cache. */
  cache?: boolean;
  cacheLocation?: string;
}

export const DEFAULT_WITHIN_DAYS = 28;

export async function runTimeline(options: TimelineOptions, context: CommandContext): Promise<number> {
  const asOf = asOfDate(options.asOf, context);
  if (options.all && options.within !== undefined) throw new UsageError("--within and --all cannot be used together: --all lists every item.");
  const within = options.within === undefined ? DEFAULT_WITHIN_DAYS : Number(options.within);
  if (!/^\d+$/.test(options.within ?? "0")) throw new UsageError("--within takes a whole number of days, for example --within 28.");

  const { selection, pending, config, forms, types, policy } = openCaseload(options, context, asOf);
  const chosen = selection.children;
  if (options.child !== undefined) {
    const selected = selection.children === "all" || selection.children.has(options.child);
    selection.children = new Map(selected ? [[options.child, "all"]] : []);
  }
  const store = await pending.open({ config, forms, types });
  const people = new People();
  const filtering = options.worker !== undefined || options.team !== undefined;
  const horizon = addDays(asOf, within);
  const shown = (item: TimelineItem) => options.all || item.status === "overdue" || (item.status === "upcoming" && item.due <= horizon);
  // Children read from their files go to workers when there are many, unless their profiles are
  // looked in here (--worker, --team).
  const pool = filtering ? undefined : workerPool(context.env, { kind: "timeline", all: options.all, horizon, titles: true }, { repository: selection.repository, config, forms, asOf }, store);
  const timelines: Timeline[] = [];
  // Without --all no met item is shown: a settled record's open items are all that is read of it.
  // The front matter alone: a timeline needs no check's findings.
  const records = recordContext(types, policy, config.closures, asOf, false);
  for await (const { unit, timeline } of childTimelines(selection, records, store, options.all ? "timeline" : "check", timelineContext(types, policy, config.closures, asOf), { keep: shown, met: options.all }, pool)) {
    // Names are read from the profile only when asked for: a cache holds none.
    if (!filtering) {
      people.read++;
      timelines.push(timeline);
      continue;
    }
    const child = profileOf(unit!);
    people.note(child);
    if (matchesFilters(child, options)) timelines.push(timeline);
  }
  const timeline = mergeTimelines(timelines);
  if (options.child !== undefined && people.read === 0) {
    const ids = chosen === "all" ? listChildFolders(selection.repository) : [...chosen.keys()];
    throw new UsageError(`--child ${options.child}: no such child in the selected folders (the id is the child's folder name).${didYouMean(options.child, ids)}`);
  }
  people.assertKnown("--worker", "social worker", options.worker, people.workers);
  people.assertKnown("--team", "team", options.team, people.teams);
  for (const exclusion of timeline.exclusions) context.stderr.write(exclusionWarning(exclusion) + "\n");

  const report: TimelineReport = { asOf, policy: policy.name, items: timeline.items, horizon: options.all ? "all" : within, problems: timeline.problems };
  if (options.format === "json") {
    // A whole authority's items are many: written as they are made into text.
    const stream = openReport(options.outputFile, context);
    for (const chunk of timelineJsonChunks(report)) stream.write(chunk);
    stream.close();
  } else writeReport(format(report, options, context), options.outputFile, context);
  return EXIT.ok;
}

/** What --worker and --team look at: the child's profile. */
type WithProfile = Pick<ChildCase, "profile">;

function socialWorker(child: WithProfile): { name?: unknown; team?: unknown } | undefined {
  return child.profile?.data?.social_worker as { name?: unknown; team?: unknown } | undefined;
}

/**
 * A child whose profile cannot be read passes --worker and --team: whose child it is cannot be
 * told, and its gap must not be hidden from the person it belongs to.
 */
function matchesFilters(child: WithProfile, options: TimelineOptions): boolean {
  if (!child.profile?.data) return true;
  const worker = socialWorker(child);
  if (options.worker !== undefined && !sameName(worker?.name, options.worker)) return false;
  if (options.team !== undefined && !sameName(worker?.team, options.team)) return false;
  return true;
}

/** Names typed on a command line match whatever their case and spacing. */
const normalName = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

function sameName(value: unknown, wanted: string): boolean {
  return typeof value === "string" && normalName(value) === normalName(wanted);
}

/**
 * The social workers and teams of the children read, so that a name that is nobody's is a usage
 * error with the nearest names suggested (the timeline is a view of the case file and may show them).
 */
class People {
  readonly workers = new Set<string>();
  readonly teams = new Set<string>();
  read = 0;
  unreadable = 0;

  note(child: WithProfile): void {
    this.read++;
    if (!child.profile?.data) {
      this.unreadable++;
      return;
    }
    const { name, team } = socialWorker(child) ?? {};
    if (typeof name === "string" && name.trim() !== "") this.workers.add(name.trim());
    if (typeof team === "string" && team.trim() !== "") this.teams.add(team.trim());
  }

  assertKnown(flag: string, what: string, wanted: string | undefined, known: Set<string>): void {
    if (wanted === undefined || [...known].some((name) => sameName(name, wanted))) return;
    const unread = this.unreadable > 0 ? ` (${count(this.unreadable, "child's profile", "children's profiles")} could not be read: run \`careplan check\`)` : "";
    throw new UsageError(`${flag} ${wanted}: no child in the selected folders has this ${what}${unread}.${didYouMean(wanted, known, (name) => `"${name}"`)}`);
  }
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
      // A terminal's width, when the table goes to one; a file or a pipe gets whole lines.
      const width = options.outputFile === undefined && context.stdout.isTTY ? context.stdout.columns : undefined;
      return formatTimelineTable(report, { group: options.group, colorLevel: reportColorLevel(options.color, options.outputFile, context), ...(width ? { width } : {}) });
    }
  }
}
