// `careplan report`: one self-contained web page for a manager. What is overdue and due soon per
// team and social worker, each child's deadlines on a timeline, and the period's figures from
// stats. It shows what the timeline may show (child ids, rule titles, action texts, workers and
// teams) and nothing more; every text from a case file goes through `html`, which escapes it.
// Pure: the same data gives the same page, byte for byte.
import { addDays } from "../../common/dates.js";
import { count } from "../../common/words.js";
import { compareCodePoints, NONE, type PeriodFigures } from "../../core/stats.js";
import type { TimelineItem } from "../../timescales/engine.js";
import { percent } from "../stats/report.js";
import { isDueSoon, longDate, markOf, MARK_WORDS, monthName, shortDate, statusText, teamName, workerName, type Mark, type ReportChild, type ReportData } from "./data.js";
import { html, trusted, type Markup } from "./html.js";
import { COLOURS } from "./palette.js";
import { childTimelineSvg, inWindow, marker, periodMonths, timelineWindow, trendSvg } from "./svg.js";
import { addToGroup } from "../../common/group.js";

/** Forbids every load from outside the page: no script, font, image or request of any kind. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function formatReportHtml(data: ReportData): string {
  const soon = data.items.filter((item) => isDueSoon(item, data.asOf, data.horizonDays));
  const overdue = soon.filter((item) => item.status === "overdue");
  const horizon = `the next ${weeksOrDays(data.horizonDays)}`;
  const title = `Case files as of ${longDate(data.asOf)}`;
  const sections: { id: string; heading: string; body: Markup }[] = [
    { id: "summary", heading: "At a glance", body: summary(data, soon, overdue, horizon) },
    ...(data.problems.length > 0 ? [{ id: "problems", heading: "Cannot be computed", body: problems(data) }] : []),
    { id: "due", heading: `Overdue and due in ${horizon}, by team and social worker`, body: dueByTeam(data, soon, horizon) },
    { id: "children", heading: "Each child's deadlines", body: childrenSection(data) },
    { id: "timeliness", heading: "On time in the period", body: timeliness(data) },
  ];
  const page = html`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trusted(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}: careplan report</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header>
<h1>${title}</h1>
<p class="lede">Policy ${data.policy}. ${count(data.children.length, "child", "children")}. Made by careplan ${data.version}.</p>
<nav aria-label="Sections of the report">
<ul>${sections.map((section) => html`<li><a href="#${section.id}">${section.heading}</a></li>`)}</ul>
</nav>
</header>
<main id="main">
${sections.map((section) => html`<section id="${section.id}" aria-labelledby="${section.id}-heading">
<h2 id="${section.id}-heading">${section.heading}</h2>
${section.body}
</section>
`)}</main>
<footer>
<p>This page holds information from children's case files: keep it, print it and share it as you would the case files themselves. It is a view of the case files as they were on ${longDate(data.asOf)}; <code>careplan timeline</code> and <code>careplan stats</code> give the same figures.</p>
</footer>
</body>
</html>
`;
  return page.text;
}

function weeksOrDays(days: number): string {
  return days % 7 === 0 ? count(days / 7, "week") : count(days, "day");
}

function summary(data: ReportData, soon: readonly TimelineItem[], overdue: readonly TimelineItem[], horizon: string): Markup {
  const overdueChildren = new Set(overdue.map((item) => item.child)).size;
  const total = data.period.byRule.total;
  const counted = total.on_time + total.late + total.overdue;
  return html`<dl class="figures">
<div><dt>Overdue</dt><dd><span class="figure s-overdue">${overdue.length}</span> ${overdue.length === 1 ? "deadline" : "deadlines"}, of ${count(overdueChildren, "child", "children")}</dd></div>
<div><dt>Due in ${horizon}</dt><dd><span class="figure s-upcoming">${soon.length - overdue.length}</span> ${soon.length - overdue.length === 1 ? "deadline" : "deadlines"}</dd></div>
<div><dt>On time, ${shortDate(data.period.from)} to ${shortDate(data.period.to)}</dt><dd><span class="figure s-on-time">${percent(total.on_time, counted)}</span> ${counted === 0 ? "no deadline fell due" : `(${total.on_time} of ${count(counted, "deadline")})`}</dd></div>
</dl>`;
}

function problems(data: ReportData): Markup {
  return html`<p>These deadlines could not be worked out from the files. Run <code>careplan check</code> to see what to mend.</p>
<table>
<caption>Children and documents left out of the timeline</caption>
<thead><tr><th scope="col">Child</th><th scope="col">Problem</th><th scope="col">File</th></tr></thead>
<tbody>${data.problems.map((problem) => html`<tr><th scope="row">${problem.child}</th><td>${problem.problem}</td><td><code>${problem.file}</code></td></tr>`)}</tbody>
</table>`;
}

/** A status in words, after a small picture of the marker's shape (hidden from screen readers: the words say it). */
function status(item: TimelineItem, asOf: string): Markup {
  const mark = markOf(item);
  return html`<span class="status s-${mark}">${icon(mark)} ${statusText(item, asOf)}</span>`;
}

function icon(mark: Mark): Markup {
  return html`<svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${marker(mark, 8, 8)}</svg>`;
}

function byKey<T>(items: readonly T[], keyOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) addToGroup(groups, keyOf(item), item);
  // Names in code-point order, as stats sorts them; "not recorded" last.
  return [...groups].sort(([a], [b]) => (a === NONE ? 1 : 0) - (b === NONE ? 1 : 0) || compareCodePoints(a, b));
}

function dueByTeam(data: ReportData, soon: readonly TimelineItem[], horizon: string): Markup {
  if (data.children.length === 0) return html`<p>No child's case file could be read.</p>`;
  const childOf = new Map(data.children.map((child) => [child.id, child]));
  const teams = byKey(data.children, (child) => child.team);
  return html`<p>Every social worker's children, with what is overdue and what falls due by ${longDate(addDays(data.asOf, data.horizonDays))}. A child's id links to their timeline below.</p>
${teams.map(([team, children], index) => {
  const workers = byKey(children, (child) => child.worker);
  return html`<section class="team" aria-labelledby="team-${index + 1}">
<h3 id="team-${index + 1}">${teamName(team)}</h3>
${workers.map(([worker, caseload]) => workerTable(worker, caseload, soon.filter((item) => childOf.get(item.child)?.team === team && childOf.get(item.child)?.worker === worker), data.asOf, horizon))}
</section>`;
})}`;
}

function workerTable(worker: string, caseload: readonly ReportChild[], items: readonly TimelineItem[], asOf: string, horizon: string): Markup {
  const overdue = items.filter((item) => item.status === "overdue").length;
  const ids = caseload.map((child) => child.id).sort(compareCodePoints);
  const caption = html`${workerName(worker)}: ${count(overdue, "deadline")} overdue, ${items.length - overdue} due in ${horizon} <span class="caseload">(${count(ids.length, "child", "children")}: ${ids.join(", ")})</span>`;
  if (items.length === 0) return html`<table><caption>${caption}</caption><tbody><tr><td>Nothing overdue or due in ${horizon}.</td></tr></tbody></table>`;
  return html`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Child</th><th scope="col">Deadline</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Rule</th></tr></thead>
<tbody>${items.map((item) => html`<tr class="r-${markOf(item)}"><td><a href="#child-${item.child}">${item.child}</a></td><th scope="row">${item.title}</th><td><time datetime="${item.due}">${longDate(item.due)}</time></td><td>${status(item, asOf)}</td><td><code>${item.rule}</code></td></tr>`)}</tbody>
</table>`;
}

function childrenSection(data: ReportData): Markup {
  const ids = [...new Set([...data.children.map((child) => child.id), ...data.items.map((item) => item.child)])].sort(compareCodePoints);
  if (ids.length === 0) return html`<p>No child's deadlines could be computed.</p>`;
  const childOf = new Map(data.children.map((child) => [child.id, child]));
  return html`<p>Each child's deadlines from six months before ${shortDate(data.asOf)} to three months after it (from further back when something is still overdue). A shape and a word tell each one apart:
${(["on-time", "late", "overdue", "upcoming"] as const).map((mark, index) => html`${index > 0 ? ", " : ""}<span class="status s-${mark}">${icon(mark)} ${MARK_WORDS[mark]}</span>`)}.
A late deadline is drawn from its due date to the day it was met, an overdue one from its due date to ${shortDate(data.asOf)}.</p>
${ids.map((id) => childArticle(id, childOf.get(id), data))}`;
}

function childArticle(id: string, child: ReportChild | undefined, data: ReportData): Markup {
  const all = data.items.filter((item) => item.child === id);
  const window = timelineWindow(all, data.asOf);
  const items = all.filter((item) => inWindow(item, window));
  const who = child ? html`${workerName(child.worker)}, ${teamName(child.team)}` : "";
  return html`<article class="child" id="child-${id}" aria-labelledby="child-${id}-heading">
<h3 id="child-${id}-heading">${id}</h3>
${child ? html`<p class="who">Social worker: ${who}.</p>` : ""}
<figure>
${childTimelineSvg(id, items, window, data.asOf)}
</figure>
${
  items.length === 0
    ? html`<p>No deadline from ${shortDate(window.start)} to ${shortDate(window.end)}.</p>`
    : html`<table>
<caption>${id}: deadlines from ${shortDate(window.start)} to ${shortDate(window.end)}</caption>
<thead><tr><th scope="col">Due</th><th scope="col">Deadline</th><th scope="col">Status</th><th scope="col">Why</th></tr></thead>
<tbody>${items.map((item) => html`<tr class="r-${markOf(item)}"><td><time datetime="${item.due}">${longDate(item.due)}</time></td><th scope="row">${item.title}</th><td>${status(item, data.asOf)}</td><td>${item.reason} <code>${item.rule}</code></td></tr>`)}</tbody>
</table>`
}
</article>`;
}

function figureCells(f: PeriodFigures): Markup {
  const counted = f.on_time + f.late + f.overdue;
  const share = counted === 0 ? 0 : (f.on_time / counted) * 100;
  return html`<td class="num">${f.due}</td><td class="num">${f.on_time}</td><td class="num">${f.late}</td><td class="num">${f.overdue}</td><td class="num">${f.open}</td><td class="num share">${percent(f.on_time, counted)}<span class="meter" aria-hidden="true"><span style="width: ${share.toFixed(1)}%"></span></span></td>`;
}

const FIGURE_HEADINGS = html`<th scope="col" class="num">Due</th><th scope="col" class="num">On time</th><th scope="col" class="num">Late</th><th scope="col" class="num">Overdue</th><th scope="col" class="num">Open</th><th scope="col" class="num">Share on time</th>`;

function timeliness(data: ReportData): Markup {
  const { period } = data;
  const which = period.defaulted
    ? html`the 12 months to the as-of date (the default; <code>--from</code> and <code>--to</code> choose another period)`
    : html`the period asked for with <code>--from</code> and <code>--to</code>`;
  const months = periodMonths(period.from, period.to, period.byMonth.groups);
  const partial = [
    ...(period.from.slice(8) !== "01" ? [monthName(period.from)] : []),
    ...(addDays(period.to, 1).slice(8) !== "01" && period.to.slice(0, 7) !== period.from.slice(0, 7) ? [monthName(period.to)] : []),
  ];
  return html`<p>Every deadline that fell due from ${longDate(period.from)} to ${longDate(period.to)}, ${which}, counted as <code>careplan stats</code> counts them as known on ${shortDate(period.to)}.
On time: met by its due date. Share on time: on time ÷ (on time + late + overdue); an open deadline (due on the last day and not yet met) is not in the share. See docs/stats.md.</p>
<table>
<caption>By rule, ${shortDate(period.from)} to ${shortDate(period.to)}</caption>
<thead><tr><th scope="col">Rule</th>${FIGURE_HEADINGS}<th scope="col" class="num">Median days late</th></tr></thead>
<tbody>${period.byRule.groups.map((group) => html`<tr><th scope="row">${data.ruleTitles[group.key] ?? group.key} <code>${group.key}</code></th>${figureCells(group)}<td class="num">${group.median_days_late ?? "–"}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th>${figureCells(period.byRule.total)}<td class="num">${period.byRule.total.median_days_late ?? "–"}</td></tr></tfoot>
</table>
<h3 id="trend">Month by month</h3>
<p>Each deadline counts in the month it fell due.${partial.length > 0 ? ` ${partial.join(" and ")} ${partial.length === 1 ? "is" : "are"} only partly in the period.` : ""}</p>
<figure>
${trendSvg(months, period.from, period.to)}
</figure>
<table>
<caption>By month, ${shortDate(period.from)} to ${shortDate(period.to)}</caption>
<thead><tr><th scope="col">Month</th>${FIGURE_HEADINGS}</tr></thead>
<tbody>${months.map(({ month, figures }) => html`<tr><th scope="row">${monthName(month)}</th>${figures ? figureCells(figures) : html`<td colspan="6">Nothing fell due.</td>`}</tr>`)}</tbody>
</table>`;
}

const C = COLOURS;
const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: ${C.page}; color: ${C.text}; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 74rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; border-bottom: 1px solid ${C.rule}; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .75rem; padding-top: .5rem; border-top: 3px solid ${C.text}; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.lede, .who, .caseload { color: ${C.muted}; }
.caseload { font-weight: normal; }
a { color: ${C.link}; }
a:focus-visible { outline: 3px solid ${C.link}; outline-offset: 2px; }
.skip { position: absolute; left: -100rem; }
.skip:focus { left: 1rem; top: .5rem; background: ${C.page}; padding: .25rem .5rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; list-style: none; padding: 0; margin: .75rem 0 1rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; color: ${C.muted}; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0 .4rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid ${C.rule}; }
thead th { background: ${C.surface}; }
tbody th { font-weight: normal; }
tfoot th, tfoot td { font-weight: 600; background: ${C.surface}; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; white-space: nowrap; }
time, td > a { white-space: nowrap; }
.icon { vertical-align: -2px; }
.s-overdue { color: ${C.overdue}; }
.s-late { color: ${C.late}; }
.s-on-time { color: ${C.onTime}; }
.s-upcoming { color: ${C.upcoming}; }
tr.r-overdue td, tr.r-overdue th { background: ${C.overdueTint}; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; }
.figures div { flex: 1 1 14rem; background: ${C.surface}; padding: .75rem 1rem; }
.figures dt { font-weight: 600; }
.figures dd { margin: 0; }
.figure { font-size: 2rem; font-weight: 700; margin-right: .25rem; }
figure { margin: .5rem 0; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 12px; fill: ${C.text}; }
svg .tick, svg .lane-label { fill: ${C.text}; }
svg .band { fill: ${C.surface}; }
svg .grid { stroke: ${C.rule}; stroke-width: .5; stroke-dasharray: 2 3; }
svg .axis, svg .lane { stroke: ${C.rule}; stroke-width: 1; }
svg .lane { stroke-width: .5; }
svg .as-of { stroke: ${C.text}; stroke-width: 2; }
svg .as-of-label { font-weight: 600; }
svg .m-on-time { fill: ${C.onTime}; }
svg .m-late { fill: ${C.late}; }
svg .m-overdue { fill: ${C.overdue}; }
svg .m-upcoming { fill: ${C.page}; stroke: ${C.upcoming}; stroke-width: 2; }
svg .span-late { stroke: ${C.late}; stroke-width: 2; }
svg .span-overdue { stroke: ${C.overdue}; stroke-width: 2; stroke-dasharray: 5 3; }
svg .bar { fill: ${C.onTime}; }
svg .bar-track { fill: ${C.onTimeTint}; }
svg .bar-value { font-weight: 600; }
.meter { display: inline-block; width: 4rem; height: .6rem; margin-left: .5rem; background: ${C.onTimeTint}; vertical-align: middle; }
.meter span { display: block; height: 100%; background: ${C.onTime}; }
article.child { margin-bottom: 2rem; }
footer { margin-top: 2rem; padding-bottom: 2rem; border-top: 1px solid ${C.rule}; color: ${C.muted}; font-size: .9rem; }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  @page { size: A4; margin: 14mm; }
  body { font-size: 10.5pt; }
  nav, .skip { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { break-before: page; border-top: none; }
  section#summary h2, section#problems h2 { break-before: auto; }
  h2, h3, caption { break-after: avoid; }
  tr, figure, svg { break-inside: avoid; }
}
`;
