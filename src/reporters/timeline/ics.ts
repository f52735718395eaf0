// An iCalendar file (RFC 5545) of all-day events: stable UIDs so that importing it again updates
// events instead of duplicating them, an alarm a week before, CRLF line ends, lines folded at 75 octets.
// A child whose deadlines cannot be computed is an event on the as-of date; a calendar with nothing
// in it holds one journal entry, since RFC 5545 wants a component and calendars show no journal.
import { createHash } from "node:crypto";
import { addDays } from "../../common/dates.js";
import type { TimelineItem } from "../../timescales/engine.js";
import { count } from "../../common/words.js";
import type { TimelineProblem } from "../../core/caseload.js";
import { childProblems, type TimelineReport } from "./report.js";
import { printable, printableProse } from "../../common/safe-text.js";

const CRLF = "\r\n";

export function formatTimelineIcs(report: TimelineReport): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//careplan//careplan timeline//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${text(`careplan timeline (${report.policy})`)}`,
  ];
  // DTSTAMP is required; the as-of date keeps the file reproducible, which a clock would not.
  const stamp = `${compact(report.asOf)}T000000Z`;
  const problems = childProblems(report);
  for (const problem of problems) lines.push(...problemEvent(problem, report.asOf, stamp));
  for (const item of report.items) lines.push(...event(item, stamp));
  if (report.items.length === 0 && problems.length === 0) lines.push(...nothingDue(report, stamp));
  lines.push("END:VCALENDAR");
  return lines.map(fold).join(CRLF) + CRLF;
}

function event(item: TimelineItem, stamp: string): string[] {
  const summary = `${printable(item.child)}: ${printableProse(item.title)}`;
  const status = item.status === "met" ? `met on ${item.met}` : item.status;
  const description = [printableProse(item.reason), `Rule ${item.rule} (${item.preset}), ${status}.`, `Counted from ${printable(item.file)}.`].join("\n");
  return [
    "BEGIN:VEVENT",
    `UID:${uid(item)}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${compact(item.due)}`,
    `DTEND;VALUE=DATE:${compact(addDays(item.due, 1))}`,
    `SUMMARY:${text(summary)}`,
    `DESCRIPTION:${text(description)}`,
    `CATEGORIES:${text(item.rule)}`,
    "TRANSP:TRANSPARENT",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "TRIGGER:-P7D",
    `DESCRIPTION:${text(summary)}`,
    "END:VALARM",
    "END:VEVENT",
  ];
}

/** Dated the as-of date and identified by child and file, so that the next export moves it rather than adding another. */
function problemEvent(problem: TimelineProblem, asOf: string, stamp: string): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:${hash(["problem", problem.child, problem.file].join("\u0000"))}@careplan`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${compact(asOf)}`,
    `DTEND;VALUE=DATE:${compact(addDays(asOf, 1))}`,
    `SUMMARY:${text(`${printable(problem.child)}: deadlines cannot be computed`)}`,
    `DESCRIPTION:${text(`${printableProse(problem.problem)}.\nIn ${printable(problem.file)}; run careplan check for details.`)}`,
    "TRANSP:TRANSPARENT",
    "END:VEVENT",
  ];
}

/** The one component of an empty calendar: a journal entry (no calendar shows it as an event), the same for the same as-of date. */
function nothingDue(report: TimelineReport, stamp: string): string[] {
  const scope = report.horizon === "all" ? "" : ` in the next ${count(report.horizon, "day")}`;
  return [
    "BEGIN:VJOURNAL",
    `UID:${hash(["nothing-due", report.policy].join("\u0000"))}@careplan`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${compact(report.asOf)}`,
    `SUMMARY:${text(`careplan timeline as of ${report.asOf}: nothing is due${scope}`)}`,
    "END:VJOURNAL",
  ];
}

/** What identifies an item from one run to the next: not its due date, which moves when documents do. */
function uid(item: TimelineItem): string {
  const identity = [item.child, item.rule, item.file, item.anchor, (item.path ?? []).join(".")].join("\u0000");
  return `${hash(identity)}@careplan`;
}

function hash(identity: string): string {
  return createHash("sha256").update(identity).digest("hex").slice(0, 32);
}

function compact(date: string): string {
  return date.replace(/-/g, "");
}

/**
 * TEXT values escape backslash, semicolon, comma and newline (RFC 5545 3.3.11). A value is made
 * of texts already printable, joined by the line breaks meant: no raw CR or LF is left in a line,
 * so that nothing from a case file can start a property of its own.
 */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n|\r/g, "\\n");
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1). */
function fold(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    const limit = parts.length === 0 ? 75 : 74; // continuation lines begin with a space
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}
