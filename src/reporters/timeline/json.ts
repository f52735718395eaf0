// CONTRACT.md section 4: one JSON object; `preset` and `reason` are extra keys consumers may ignore,
// and so is `problems`: the children whose deadlines could not be computed and the documents left
// out, by child id and file, in the tool's words (never the file's text). Made in pieces, so that a
// whole authority's timeline is written as it goes rather than held as one text.
import type { TimelineReport } from "./report.js";
import { listEntryJson, safeJson } from "../../common/safe-text.js";
import type { TimelineItem } from "../../timescales/engine.js";

export function formatTimelineJson(report: TimelineReport): string {
  return [...timelineJsonChunks(report)].join("");
}

/** The same text as safeJson of the whole with two spaces, a few hundred items a piece. */
export function* timelineJsonChunks(report: TimelineReport): Generator<string> {
  const items = report.items;
  yield `{\n  "asOf": ${safeJson(report.asOf)},\n  "policy": ${safeJson(report.policy)},\n  "items": [`;
  for (let from = 0; from < items.length; from += 500) {
    let chunk = "";
    for (let i = from; i < Math.min(from + 500, items.length); i++) chunk += itemJson(i === 0 ? "" : ",", items[i]!);
    yield chunk;
  }
  const problems = (report.problems ?? []).map(({ child, file, field, leftOut, problem }) => ({ child, file, field, leftOut, problem }));
  yield `${items.length > 0 ? "\n  " : ""}],\n  "problems": [${problems.map((problem, i) => listEntryJson(i === 0 ? "" : ",", problem)).join("")}${problems.length > 0 ? "\n  " : ""}]\n}\n`;
}

/**
 * An item as `listEntryJson` writes it, its keys in the contract's order, written out rather than
 * made as an object and laid out by JSON.stringify: a whole authority has hundreds of thousands.
 */
function itemJson(separator: string, { child, rule, title, due, status, met, file, preset, reason }: TimelineItem): string {
  // Anything but the item's own strings (and a null `met`) is laid out as JSON.stringify lays it out.
  const strings = [child, rule, title, due, status, file, preset, reason].every((value) => typeof value === "string");
  if (!strings || (met !== null && typeof met !== "string")) return listEntryJson(separator, { child, rule, title, due, status, met, file, preset, reason });
  return `${separator}
    {
      "child": ${jsonString(child)},
      "rule": ${jsonString(rule)},
      "title": ${jsonString(title)},
      "due": ${jsonString(due)},
      "status": ${jsonString(status)},
      "met": ${met === null ? "null" : jsonString(met)},
      "file": ${jsonString(file)},
      "preset": ${jsonString(preset)},
      "reason": ${jsonString(reason)}
    }`;
}

/** What JSON.stringify (and safeJson) writes unchanged between quotes: no quote, backslash, control, separator or surrogate. */
const PLAIN = /^[^"\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]*$/;

/** A string as safeJson writes it; most are plain and need no escaping. */
function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : safeJson(value);
}
