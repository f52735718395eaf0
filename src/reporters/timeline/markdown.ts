// For pasting into a team update: a heading, then one table per group.
import type { TimelineItem } from "../../timescales/engine.js";
import { daysBetween } from "../../common/dates.js";
import { count } from "../../common/words.js";
import { childProblems, problemsSummary, type TimelineReport } from "./report.js";
import { markdownText } from "../markdown.js";

export function formatTimelineMarkdown(report: TimelineReport, options: { group: "week" | "child" }): string {
  const scope = report.horizon === "all" ? "Every item" : `Overdue, and due in the next ${count(report.horizon, "day")}`;
  const lines = [`## Timeline as of ${report.asOf}`, "", `${scope}. Policy: ${report.policy}.`, ""];
  const unresolved = problemsSummary(report.problems);
  const problems = childProblems(report);
  if (problems.length > 0) {
    lines.push("### Cannot be computed", "", "| Child | Problem | File |", "| --- | --- | --- |");
    for (const problem of problems) lines.push(`| ${markdownText(problem.child)} | ${markdownText(problem.problem)} | ${markdownText(problem.file)} |`);
    lines.push("");
  }
  if (report.items.length === 0) return [...lines, unresolved ? `Nothing is due in what could be read; ${unresolved}.` : "Nothing is due.", ""].join("\n");
  const sections: [string, TimelineItem[]][] =
    options.group === "child"
      ? [...new Set(report.items.map((i) => i.child))].sort().map((child) => [`Child ${markdownText(child)}`, report.items.filter((i) => i.child === child)])
      : [
          ["Overdue", report.items.filter((i) => i.status === "overdue")],
          ["Due", report.items.filter((i) => i.status === "upcoming")],
          ["Met", report.items.filter((i) => i.status === "met")],
        ];
  for (const [heading, items] of sections) {
    if (items.length === 0) continue;
    lines.push(`### ${heading}`, "", "| Child | What | Due | Status | Rule | Why |", "| --- | --- | --- | --- | --- | --- |");
    for (const item of items) {
      lines.push(`| ${markdownText(item.child)} | ${markdownText(item.title)} | ${item.due} | ${status(item, report.asOf)} | \`${item.rule}\` | ${markdownText(item.reason)} |`);
    }
    lines.push("");
  }
  if (unresolved) lines.push(`${count(report.items.length, "item")}; ${unresolved}.`, "");
  return lines.join("\n");
}

function status(item: TimelineItem, asOf: string): string {
  if (item.status === "met") return item.met! > item.due ? `met late (${item.met})` : `met (${item.met})`;
  const days = daysBetween(asOf, item.due);
  return item.status === "overdue" ? `**overdue by ${count(-days, "day")}**` : days === 0 ? "due today" : `in ${count(days, "day")}`;
}
