// timescale/<rule id>: every overdue item of the timeline, at the document it counts from
// (line 1), or for an action at its own place in the front matter.
import { daysBetween, type IsoDate } from "../common/dates.js";
import type { TimelineItem } from "../timescales/engine.js";
import { documentsOf } from "./file-rules.js";
import { TOP, type CheckRule, type Locate, type RawFinding } from "./rule.js";

export const TIMESCALE_PREFIX = "timescale/";
/** In `severity` and waivers: every timescale rule at once. */
export const TIMESCALE_WILDCARD = `${TIMESCALE_PREFIX}*`;

export const timescaleRule: CheckRule = {
  id: "timescale",
  description: "No deadline of the timescale rules in force is overdue on the as-of date (each reported as timescale/<rule id>).",
  defaultSeverity: "error",
  messages: { overdue: "a deadline of the timeline that is overdue", "action-overdue": "an agreed action past its `when` with no `done` date" },
  check(context) {
    const documents = new Map(documentsOf(context.child).map((d) => [d.file, d]));
    return timescaleFindings(context.timeline, context.asOf, (file, path) => documents.get(file)?.locate(path) ?? TOP);
  },
  intrinsic: () => [],
};

/** The overdue items of a child's timeline as findings (an action's at its place in its document). */
export function timescaleFindings(timeline: readonly TimelineItem[], asOf: IsoDate, locate: Locate): RawFinding[] {
  return timeline
    .filter((item) => item.status === "overdue")
    .map((item) => {
      const late = `overdue by ${daysBetween(item.due, asOf)} day${daysBetween(item.due, asOf) === 1 ? "" : "s"}`;
      if (item.path) {
        const key = item.path.join(".");
        // An action's title is its own text: a check message never shows it.
        return {
          file: item.file,
          ...locate(item.file, item.path),
          rule: `${TIMESCALE_PREFIX}${item.rule}`,
          message: `the action \`${key}\` was due on ${item.due} and has no \`done\` date: ${late}`,
          messageId: "action-overdue",
          subject: key,
        };
      }
      return {
        file: item.file,
        ...TOP,
        rule: `${TIMESCALE_PREFIX}${item.rule}`,
        message: `${item.title} was due on ${item.due}, ${item.reason}: ${late}`,
        messageId: "overdue",
        subject: `${item.rule} due ${item.due}`,
      };
    });
}
