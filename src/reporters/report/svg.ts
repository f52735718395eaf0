// The report's two charts, drawn as inline SVG: a child's deadlines on a time axis, and the share
// on time month by month. Each is an image with a name and a description (role="img"); the table
// beside it says the same in words.
import { addDays, addMonths, daysBetween, type IsoDate } from "../../common/dates.js";
import { count } from "../../common/words.js";
import type { PeriodFigures } from "../../core/stats.js";
import type { TimelineItem } from "../../timescales/engine.js";
import { percent } from "../stats/report.js";
import { longDate, MARK_WORDS, markOf, monthName, shortDate, statusText, type Mark } from "./data.js";
import { html, type Markup } from "./html.js";

const WIDTH = 960;
const LABEL_WIDTH = 270;
const RIGHT = 24;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - RIGHT;
const AXIS_HEIGHT = 44;
const LANE_HEIGHT = 28;
const LEGEND_HEIGHT = 44;
const MARKER = 6;
/** Longer lane labels are cut with an ellipsis; the marker's tooltip and the table hold the whole title. */
const LABEL_CHARACTERS = 38;

/** A marker's shape tells its state without colour: disc, triangle, diamond, ring. */
export function marker(mark: Mark, x: number, y: number): Markup {
  const r = MARKER;
  switch (mark) {
    case "on-time":
      return html`<circle class="m-on-time" cx="${x}" cy="${y}" r="${r}"/>`;
    case "late":
      return html`<path class="m-late" d="M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z"/>`;
    case "overdue":
      return html`<path class="m-overdue" d="M${x} ${y - r - 1}L${x + r + 1} ${y}L${x} ${y + r + 1}L${x - r - 1} ${y}Z"/>`;
    case "upcoming":
      return html`<circle class="m-upcoming" cx="${x}" cy="${y}" r="${r - 1}"/>`;
  }
}

export interface TimelineWindow {
  start: IsoDate;
  end: IsoDate;
}

/**
 * Six months back and three ahead of the as-of date; further back when something is still
 * overdue from before then, so that no overdue deadline falls off the picture.
 */
export function timelineWindow(items: readonly TimelineItem[], asOf: IsoDate): TimelineWindow {
  const earliestOverdue = items.filter((item) => item.status === "overdue").reduce<IsoDate | undefined>((min, item) => (min === undefined || item.due < min ? item.due : min), undefined);
  const start = addMonths(asOf, -6);
  return { start: earliestOverdue !== undefined && earliestOverdue < start ? addDays(earliestOverdue, -7) : start, end: addMonths(asOf, 3) };
}

export function inWindow(item: TimelineItem, window: TimelineWindow): boolean {
  return item.due >= window.start && item.due <= window.end;
}

/** The lane an item is drawn in: one per rule, the agreed actions together. */
function laneOf(item: TimelineItem): { key: string; label: string } {
  return item.rule === "action" ? { key: "action", label: "Agreed actions" } : { key: item.rule, label: item.title };
}

/** Coordinates to a tenth of a pixel: enough for the eye, and short. */
function tenth(n: number): number {
  return Math.round(n * 10) / 10;
}

function cut(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length ? text : characters.slice(0, length - 1).join("") + "…";
}

/** The first day of every month from start to end. */
function monthStarts(start: IsoDate, end: IsoDate): IsoDate[] {
  const months: IsoDate[] = [];
  for (let month = `${start.slice(0, 7)}-01`; month <= end; month = addMonths(month, 1)) if (month >= start) months.push(month);
  return months;
}

/** One child's deadlines in the window (items already chosen), drawn lane by lane. */
export function childTimelineSvg(child: string, items: readonly TimelineItem[], window: TimelineWindow, asOf: IsoDate): Markup {
  const id = `timeline-${child}`;
  const span = Math.max(1, daysBetween(window.start, window.end));
  // A deadline met before the window opens is drawn at its edge.
  const x = (date: IsoDate) => tenth(LABEL_WIDTH + (PLOT_WIDTH * Math.min(span, Math.max(0, daysBetween(window.start, date)))) / span);
  const lanes: { key: string; label: string; items: TimelineItem[] }[] = [];
  for (const item of items) {
    const lane = laneOf(item);
    const found = lanes.find((l) => l.key === lane.key);
    if (found) found.items.push(item);
    else lanes.push({ ...lane, items: [item] });
  }
  const height = AXIS_HEIGHT + Math.max(1, lanes.length) * LANE_HEIGHT + LEGEND_HEIGHT;
  const plotBottom = AXIS_HEIGHT + Math.max(1, lanes.length) * LANE_HEIGHT;
  const tally = (mark: Mark) => items.filter((item) => markOf(item) === mark).length;
  const description =
    items.length === 0
      ? "No deadline falls in this window."
      : `${count(tally("on-time"), "deadline")} met on time, ${tally("late")} met late, ${tally("overdue")} overdue and ${tally("upcoming")} to come. The table below lists them.`;

  // A month's name stands after its first day, where there is room for it before the edge.
  const ticks = monthStarts(window.start, window.end).map(
    (month) =>
      html`<line class="grid" x1="${x(month)}" y1="${AXIS_HEIGHT - 6}" x2="${x(month)}" y2="${plotBottom}"/>${x(month) + 56 <= WIDTH ? html`<text class="tick" x="${x(month) + 3}" y="${AXIS_HEIGHT - 10}">${monthName(month)}</text>` : ""}`,
  );
  // Every other lane on a band, so that the eye follows a lane across.
  const bands = lanes.map((_, index) => (index % 2 === 0 ? html`<rect class="band" x="0" y="${AXIS_HEIGHT + index * LANE_HEIGHT}" width="${WIDTH}" height="${LANE_HEIGHT}"/>` : ""));
  const rows = lanes.map((lane, index) => {
    const y = AXIS_HEIGHT + index * LANE_HEIGHT + LANE_HEIGHT / 2;
    const marks = lane.items.map((item) => {
      const mark = markOf(item);
      // A late deadline is drawn from its due date to the day it was met; an overdue one up to today.
      const tail =
        mark === "late"
          ? html`<line class="span-late" x1="${x(item.due)}" y1="${y}" x2="${x(item.met!)}" y2="${y}"/><line class="span-late" x1="${x(item.due)}" y1="${y - 5}" x2="${x(item.due)}" y2="${y + 5}"/>`
          : mark === "overdue"
            ? html`<line class="span-overdue" x1="${x(item.due)}" y1="${y}" x2="${x(asOf)}" y2="${y}"/>`
            : "";
      const at = mark === "late" || mark === "on-time" ? item.met! : item.due;
      return html`<g><title>${item.title}: due ${longDate(item.due)}. ${statusText(item, asOf)}.</title>${tail}${marker(mark, x(at), y)}</g>`;
    });
    return html`<g><title>${lane.label}</title><line class="lane" x1="${LABEL_WIDTH}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}"/><text class="lane-label" x="${LABEL_WIDTH - 10}" y="${y + 4}" text-anchor="end">${cut(lane.label, LABEL_CHARACTERS)}</text></g>${marks}`;
  });
  const legendY = plotBottom + 28;
  const legend = (["on-time", "late", "overdue", "upcoming"] as const).map((mark, index) => {
    const left = LABEL_WIDTH + index * 170;
    return html`${marker(mark, left + 8, legendY - 4)}<text class="legend" x="${left + 22}" y="${legendY}">${MARK_WORDS[mark]}</text>`;
  });

  return html`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">Deadlines of ${child} from ${shortDate(window.start)} to ${shortDate(window.end)}</title>
<desc id="${id}-desc">${description}</desc>
${bands}
${ticks}
<line class="axis" x1="${LABEL_WIDTH}" y1="${AXIS_HEIGHT - 6}" x2="${WIDTH - RIGHT}" y2="${AXIS_HEIGHT - 6}"/>
<line class="as-of" x1="${x(asOf)}" y1="${AXIS_HEIGHT - 26}" x2="${x(asOf)}" y2="${plotBottom}"/>
<text class="as-of-label" x="${x(asOf)}" y="${AXIS_HEIGHT - 30}" text-anchor="middle">as of ${shortDate(asOf)}</text>
${rows}
${legend}
</svg>`;
}

const TREND_HEIGHT = 240;
const TREND_TOP = 28;
const TREND_BOTTOM = 44;
const TREND_LEFT = 56;

/** Every month of the period, with its figures or none when nothing fell due in it. */
export function periodMonths(from: IsoDate, to: IsoDate, groups: readonly ({ key: string } & PeriodFigures)[]): { month: string; figures: PeriodFigures | undefined }[] {
  const months: { month: string; figures: PeriodFigures | undefined }[] = [];
  for (let day = `${from.slice(0, 7)}-01`; day <= to; day = addMonths(day, 1)) {
    const month = day.slice(0, 7);
    months.push({ month, figures: groups.find((group) => group.key === month) });
  }
  return months;
}

/** The share on time of each month, as bars from 0 to 100%, with the share written above each. */
export function trendSvg(months: readonly { month: string; figures: PeriodFigures | undefined }[], from: IsoDate, to: IsoDate): Markup {
  const plotHeight = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM;
  const slot = (WIDTH - TREND_LEFT - RIGHT) / Math.max(1, months.length);
  const barWidth = Math.min(48, slot * 0.6);
  // Month names every so many bars, so that they never run into each other.
  const labelEvery = Math.ceil(64 / slot);
  const y = (share: number) => tenth(TREND_TOP + plotHeight * (1 - share));
  const counted = (f: PeriodFigures) => f.on_time + f.late + f.overdue;
  const shares = months.filter((m) => m.figures && counted(m.figures) > 0);
  const description =
    shares.length === 0
      ? "No deadline was counted in the period."
      : `Share of deadlines met on time, month by month: ${shares.map((m) => `${monthName(m.month)} ${percent(m.figures!.on_time, counted(m.figures!))}`).join(", ")}. The table below gives the counts.`;
  const grid = [0, 0.5, 1].map((share) => html`<line class="grid" x1="${TREND_LEFT}" y1="${y(share)}" x2="${WIDTH - RIGHT}" y2="${y(share)}"/><text class="tick" x="${TREND_LEFT - 8}" y="${y(share) + 4}" text-anchor="end">${share * 100}%</text>`);
  const bars = months.map(({ month, figures }, index) => {
    const centre = tenth(TREND_LEFT + slot * index + slot / 2);
    const left = tenth(centre - barWidth / 2);
    const label = index % labelEvery === 0 ? html`<text class="tick" x="${centre}" y="${TREND_HEIGHT - TREND_BOTTOM + 18}" text-anchor="middle">${monthName(month)}</text>` : "";
    if (!figures || counted(figures) === 0) return html`${label}<text class="bar-value" x="${centre}" y="${y(0) - 6}" text-anchor="middle">–</text>`;
    const share = figures.on_time / counted(figures);
    const text = percent(figures.on_time, counted(figures));
    return html`<g><title>${monthName(month)}: ${text} on time (${figures.on_time} of ${counted(figures)})</title><rect class="bar-track" x="${left}" y="${y(1)}" width="${tenth(barWidth)}" height="${plotHeight}"/><rect class="bar" x="${left}" y="${y(share)}" width="${tenth(barWidth)}" height="${tenth(y(0) - y(share))}"/>${slot >= 44 ? html`<text class="bar-value" x="${centre}" y="${y(share) - 6}" text-anchor="middle">${text}</text>` : ""}</g>${label}`;
  });
  return html`<svg class="trend" viewBox="0 0 ${WIDTH} ${TREND_HEIGHT}" width="100%" role="img" aria-labelledby="trend-title" aria-describedby="trend-desc" xmlns="http://www.w3.org/2000/svg">
<title id="trend-title">Share on time by month, ${shortDate(from)} to ${shortDate(to)}</title>
<desc id="trend-desc">${description}</desc>
${grid}
<line class="axis" x1="${TREND_LEFT}" y1="${y(0)}" x2="${WIDTH - RIGHT}" y2="${y(0)}"/>
${bars}
</svg>`;
}
