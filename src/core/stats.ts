// Timeliness figures (CONTRACT.md section 7) and the Annex A style snapshot, counted from the
// items the timeline engine made. Pure: items and profiles in, figures out; no rule is read twice.
import type { ChildCase } from "../casefile/repository.js";
import { addMonths, daysBetween, isIsoDate, type IsoDate } from "../common/dates.js";
import type { TimelineItem } from "../timescales/engine.js";
import type { RuleInForce } from "../timescales/rule.js";

import type { StatsBy } from "../commands/choices.js";
import { addToGroup } from "../common/group.js";
export { STATS_BY, type StatsBy } from "../commands/choices.js";

/** The key of an item (or of a child's duty) whose worker or team the profile does not give. */
export const NONE = "(none)";

/** What stats reads of a timeline item. */
export type StatsItem = Pick<TimelineItem, "child" | "rule" | "due" | "met" | "preset">;

/** What stats reads of a child's profile, as it is in the files. */
export interface ChildProfile {
  id: string;
  worker: string;
  team: string;
  dob: IsoDate | undefined;
  lookedAfterSince: IsoDate | undefined;
  leftCare: IsoDate | undefined;
}

export function childProfile(child: Pick<ChildCase, "id" | "profile">): ChildProfile {
  const data = child.profile?.data;
  const worker = isRecord(data?.social_worker) ? data.social_worker : {};
  const date = (value: unknown) => (isIsoDate(value) ? value : undefined);
  return {
    id: child.id,
    worker: keyText(worker.name),
    team: keyText(worker.team),
    dob: date(data?.dob),
    lookedAfterSince: date(data?.looked_after_since),
    leftCare: date(data?.left_care),
  };
}

/** A name or team as written, or "(none)" when it is absent, null, empty or not text. */
function keyText(value: unknown): string {
  return typeof value === "string" && value.trim() !== "" ? value : NONE;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// --rule: ids and families

/** `visit.*` keeps `visit` and every id beginning `visit.`; anything else is one id. */
export function ruleMatches(pattern: string, rule: string): boolean {
  if (!pattern.endsWith(".*")) return pattern === rule;
  const family = pattern.slice(0, -2);
  return rule === family || rule.startsWith(family + ".");
}

/** Keeps every rule when no pattern is given. */
export function ruleFilter(patterns: readonly string[]): (rule: string) => boolean {
  return patterns.length === 0 ? () => true : (rule) => patterns.some((pattern) => ruleMatches(pattern, rule));
}

/** The patterns that name no rule in force: each is a usage error. */
export function unknownRulePatterns(patterns: readonly string[], ruleIds: readonly string[]): string[] {
  return patterns.filter((pattern) => !ruleIds.some((rule) => ruleMatches(pattern, rule)));
}

// ---------------------------------------------------------------------------------------------
// Arithmetic the contract fixes

/** numerator / denominator rounded half to even at `decimals` places, from the exact fraction. */
export function roundHalfEven(numerator: number, denominator: number, decimals: number): number {
  const scale = 10 ** decimals;
  const scaled = numerator * scale;
  let quotient = Math.floor(scaled / denominator);
  const twiceRemainder = 2 * (scaled - quotient * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2 === 1)) quotient++;
  return quotient / scale;
}

/** part / whole to 4 decimals, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : roundHalfEven(part, whole, 4);
}

/** The median of whole days; of an even count, the mean of the two middle ones rounded half up. */
export function medianDays(days: readonly number[]): number | null {
  if (days.length === 0) return null;
  const sorted = [...days].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return Math.floor((sorted[middle - 1]! + sorted[middle]! + 1) / 2);
}

/** Code-point order (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const difference = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}

/** Groups keyed and sorted in code-point order, each with the figures of its members. */
function grouped<T, F>(members: readonly T[], keyOf: (member: T) => string, figures: (members: readonly T[]) => F): ({ key: string } & F)[] {
  const byKey = new Map<string, T[]>();
  for (const member of members) {
    const key = keyOf(member);
    const list = byKey.get(key);
    if (list) list.push(member);
    else byKey.set(key, [member]);
  }
  return [...byKey.keys()].sort(compareCodePoints).map((key) => ({ key, ...figures(byKey.get(key)!) }));
}

// ---------------------------------------------------------------------------------------------
// The period measure: every item due from --from to --to

export type Outcome = "on_time" | "late" | "overdue" | "open";

/** Each item of the population is exactly one of these, as of the period's last day. */
export function outcomeOf(item: Pick<StatsItem, "due" | "met">, to: IsoDate): Outcome {
  if (item.met !== null) return item.met <= item.due ? "on_time" : "late";
  return item.due < to ? "overdue" : "open";
}

export interface PeriodFigures {
  due: number;
  on_time: number;
  late: number;
  overdue: number;
  open: number;
  share_on_time: number | null;
  median_days_late: number | null;
}

export interface PeriodStats {
  from: IsoDate;
  to: IsoDate;
  policy: string;
  by: StatsBy;
  groups: ({ key: string } & PeriodFigures)[];
  total: PeriodFigures;
}

export interface PeriodQuery {
  from: IsoDate;
  to: IsoDate;
  by: StatsBy;
  keep: (rule: string) => boolean;
  policy: string;
}

/**
 * `items` are those `timeline --all --as-of <to>` lists; the population is those due in the
 * period whose rule is kept. A late item counts once, in the group (and month) of its due date.
 */
export function periodStats(items: Iterable<StatsItem>, profiles: ReadonlyMap<string, ChildProfile>, query: PeriodQuery): PeriodStats {
  const population: StatsItem[] = [];
  for (const item of items) if (item.due >= query.from && item.due <= query.to && query.keep(item.rule)) population.push(item);
  const figures = (members: readonly StatsItem[]) => periodFigures(members, query.to);
  const keyOf = (item: StatsItem): string => {
    switch (query.by) {
      case "rule":
        return item.rule;
      case "child":
        return item.child;
      case "worker":
        return profiles.get(item.child)?.worker ?? NONE;
      case "team":
        return profiles.get(item.child)?.team ?? NONE;
      case "month":
        return item.due.slice(0, 7);
      case "preset":
        return item.preset;
    }
  };
  return { from: query.from, to: query.to, policy: query.policy, by: query.by, groups: grouped(population, keyOf, figures), total: figures(population) };
}

export function periodFigures(items: readonly Pick<StatsItem, "due" | "met">[], to: IsoDate): PeriodFigures {
  const count: Record<Outcome, number> = { on_time: 0, late: 0, overdue: 0, open: 0 };
  const daysLate: number[] = [];
  for (const item of items) {
    const outcome = outcomeOf(item, to);
    count[outcome]++;
    if (outcome === "late") daysLate.push(daysBetween(item.due, item.met!));
  }
  return {
    due: items.length,
    ...count,
    share_on_time: share(count.on_time, count.on_time + count.late + count.overdue),
    median_days_late: medianDays(daysLate),
  };
}

// ---------------------------------------------------------------------------------------------
// The snapshot measure: which recurring duties are in date on one day

/**
 * A recurring duty: a recurrence rule's chain (its document type and field test) with every rule
 * in force whose items the same kind of document meets: `visit.placement` and `visit`, or
 * `review.first`, `review.second` and `review.subsequent`. Rules met by a date field of a
 * document (a review's record) or by a type no recurrence counts (a care plan) are no duty.
 */
export interface Duty {
  /** The rules' longest common id prefix (`review`), else the document type, else their ids joined with `+`. */
  id: string;
  rules: string[];
  /** The preset(s) of its recurrence rules, which set how often it recurs. */
  preset: string;
}

type Recurrence = Extract<RuleInForce, { kind: "recurrence" }>;

export function recurringDuties(rules: readonly RuleInForce[]): Duty[] {
  const chains = new Map<string, Recurrence[]>();
  const chainOf = (type: string, where: unknown) => JSON.stringify([type, canonical(where ?? {})]);
  for (const rule of rules) {
    if (rule.kind !== "recurrence") continue;
    const key = chainOf(rule.type, rule.where);
    addToGroup(chains, key, rule);
  }
  const members = new Map<string, RuleInForce[]>([...chains].map(([key, recurrences]) => [key, [...recurrences]]));
  for (const rule of rules) {
    if ((rule.kind !== "deadline" && rule.kind !== "age") || rule.met_by.type === undefined || rule.met_by.field !== undefined) continue;
    members.get(chainOf(rule.met_by.type, rule.met_by.where))?.push(rule);
  }
  const duties: Duty[] = [];
  for (const [key, list] of members) {
    const ids = list.map((rule) => rule.id).sort(compareCodePoints);
    const recurrences = chains.get(key)!;
    // Named by its rules' common start; else by the document type, when no field test narrows it.
    const names = [commonPrefix(ids), recurrences.every((rule) => rule.where === undefined) ? recurrences[0]!.type : "", ids.join("+")];
    const id = names.find((name) => name !== "" && !duties.some((duty) => duty.id === name))!;
    const preset = [...new Set(recurrences.map((rule) => rule.preset))].join("+");
    duties.push({ id, rules: ids, preset });
  }
  return duties.sort((a, b) => compareCodePoints(a.id, b.id));
}

/** The longest run of whole dot-separated segments every id begins with. */
function commonPrefix(ids: readonly string[]): string {
  const split = ids.map((id) => id.split("."));
  const common: string[] = [];
  for (let i = 0; split.every((segments) => i < segments.length && segments[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join(".");
}

/** JSON with keys sorted, so that equal field tests compare equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
}

const AGE_OF_MAJORITY_MONTHS = 18 * 12;

/** In care on the day: care began, the child has not left (the day of leaving still counts) and is under 18. */
export function lookedAfterOn(child: ChildProfile, date: IsoDate): boolean {
  if (child.lookedAfterSince === undefined || child.dob === undefined || child.lookedAfterSince > date) return false;
  if (child.leftCare !== undefined && child.leftCare < date) return false;
  return date < addMonths(child.dob, AGE_OF_MAJORITY_MONTHS);
}

/** Looked after for 12 months or more on the day (the tool knows one period of care). */
export function lookedAfterTwelveMonths(child: ChildProfile, date: IsoDate): boolean {
  return child.lookedAfterSince !== undefined && addMonths(child.lookedAfterSince, 12) <= date;
}

export interface SnapshotFigures {
  counted: number;
  in_date: number;
  not_in_date: number;
  share_in_date: number | null;
}

export type SnapshotGroupFigures = SnapshotFigures & { looked_after_12_months: SnapshotFigures };

export interface SnapshotStats {
  snapshot: IsoDate;
  policy: string;
  by: StatsBy;
  looked_after: number;
  looked_after_12_months: number;
  duties: { duty: string; rules: string[]; preset: string }[];
  groups: ({ key: string } & SnapshotGroupFigures)[];
  total: SnapshotGroupFigures;
}

export interface SnapshotQuery {
  date: IsoDate;
  by: Exclude<StatsBy, "month">;
  keep: (rule: string) => boolean;
  policy: string;
}

/** One child's standing on one duty. */
interface Standing {
  child: ChildProfile;
  duty: Duty;
  inDate: boolean;
  twelveMonths: boolean;
}

/**
 * `items` are those `timeline --all --as-of <date>` lists. For every child looked after on the
 * date and every duty with at least one of its items (met, overdue or to come): in date when
 * none of them is overdue on the date, which is to say the latest link of each chain is met or
 * not yet due (a chain stops at its first unmet link).
 */
export function snapshotStats(items: Iterable<StatsItem>, profiles: ReadonlyMap<string, ChildProfile>, duties: readonly Duty[], query: SnapshotQuery): SnapshotStats {
  const kept = duties.map((duty) => ({ ...duty, rules: duty.rules.filter(query.keep) })).filter((duty) => duty.rules.length > 0);
  const dutyOfRule = new Map(kept.flatMap((duty) => duty.rules.map((rule) => [rule, duty] as const)));
  const inCare = new Map([...profiles].filter(([, child]) => lookedAfterOn(child, query.date)));
  const standings = new Map<string, Standing>();
  for (const item of items) {
    const duty = dutyOfRule.get(item.rule);
    const child = inCare.get(item.child);
    if (!duty || !child) continue;
    const key = `${item.child}\u0000${duty.id}`;
    const standing = standings.get(key) ?? { child, duty, inDate: true, twelveMonths: lookedAfterTwelveMonths(child, query.date) };
    if (item.met === null && item.due < query.date) standing.inDate = false;
    standings.set(key, standing);
  }
  const keyOf = (standing: Standing): string => {
    switch (query.by) {
      case "rule":
        return standing.duty.id;
      case "child":
        return standing.child.id;
      case "worker":
        return standing.child.worker;
      case "team":
        return standing.child.team;
      case "preset":
        return standing.duty.preset;
    }
  };
  const all = [...standings.values()];
  return {
    snapshot: query.date,
    policy: query.policy,
    by: query.by,
    looked_after: inCare.size,
    looked_after_12_months: [...inCare.values()].filter((child) => lookedAfterTwelveMonths(child, query.date)).length,
    duties: kept.map(({ id, rules, preset }) => ({ duty: id, rules, preset })),
    groups: grouped(all, keyOf, snapshotFigures),
    total: snapshotFigures(all),
  };
}

function snapshotFigures(standings: readonly Standing[]): SnapshotGroupFigures {
  const figures = (list: readonly Standing[]): SnapshotFigures => {
    const inDate = list.filter((standing) => standing.inDate).length;
    return { counted: list.length, in_date: inDate, not_in_date: list.length - inDate, share_in_date: share(inDate, list.length) };
  };
  return { ...figures(standings), looked_after_12_months: figures(standings.filter((standing) => standing.twelveMonths)) };
}
