// CONTRACT.md section 4: one JSON object; `preset` and `reason` are extra keys consumers may ignore,
// and so is `problems`: the children whose deadlines could not be computed and the documents left
// out, by child id and file, in the tool's words (never the file's text). Made in pieces, so that a
// whole authority's timeline is written as it goes rather than held as one text.
import type { TimelineReport } from "./report.js";
import { safeJson } from "../../common/safe-text.js";

export function formatTimelineJson(report: TimelineReport): string {
  return [...timelineJsonChunks(report)].join("");
}

/** The same text as safeJson of the whole with two spaces, a few hundred items a piece. */
export function* timelineJsonChunks(report: TimelineReport): Generator<string> {
  const items = report.items;
  yield `{\n  "asOf": ${safeJson(report.asOf)},\n  "policy": ${safeJson(report.policy)},\n  "items": [`;
  for (let from = 0; from < items.length; from += 500) {
    yield items
      .slice(from, from + 500)
      .map(({ child, rule, title, due, status, met, file, preset, reason }, i) =>
        indented(from + i === 0 ? "" : ",", { child, rule, title, due, status, met, file, preset, reason }),
      )
      .join("");
  }
  const problems = (report.problems ?? []).map(({ child, file, field, leftOut, problem }) => ({ child, file, field, leftOut, problem }));
  yield `${items.length > 0 ? "\n  " : ""}],\n  "problems": [${problems.map((problem, i) => indented(i === 0 ? "" : ",", problem)).join("")}${problems.length > 0 ? "\n  " : ""}]\n}\n`;
}

/** An object of the list, as safeJson with two spaces writes it at that depth. */
function indented(separator: string, value: object): string {
  return `${separator}\n    ${safeJson(value, 2).replace(/\n/g, "\n    ")}`;
}
