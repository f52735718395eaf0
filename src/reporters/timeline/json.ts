// CONTRACT.md section 4: one JSON object; `preset` and `reason` are extra keys consumers may ignore,
// and so is `problems`: the children whose deadlines could not be computed and the documents left
// out, by child id and file, in the tool's words (never the file's text).
import type { TimelineReport } from "./report.js";
import { safeJson } from "../../common/safe-text.js";

export function formatTimelineJson(report: TimelineReport): string {
  const items = report.items.map(({ child, rule, title, due, status, met, file, preset, reason }) => ({ child, rule, title, due, status, met, file, preset, reason }));
  const problems = (report.problems ?? []).map(({ child, file, field, leftOut, problem }) => ({ child, file, field, leftOut, problem }));
  return safeJson({ asOf: report.asOf, policy: report.policy, items, problems }, 2) + "\n";
}
