// The bundled example repository (the README's demo): its timeline counted by hand from
// DOMAIN.md, and its check showing exactly the findings fixtures/example/README.md documents.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../src/assets.js";
import { runCli } from "./cli-harness.js";

const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
const AS_OF = "2026-03-02";

// [due, child, rule, status, file (under children/), title for actions] — each counted by hand.
// Working days skip weekends and bank holidays (none fall in these spans).
const EXPECTED: [string, string, string, string, string, string?][] = [
  ["2026-02-01", "GH-5120", "pep", "overdue", "GH-5120/2025-10-01-pep.md"], // 1 Oct 2025 + 4 months
  ["2026-02-24", "JK-7788", "review.record", "overdue", "JK-7788/2026-01-27-review.md"], // Tue 27 Jan + 20 working days: 3 in Jan, 17 in Feb
  ["2026-03-03", "GH-5120", "cpm", "upcoming", "GH-5120/2026-01-20-care-planning-meeting.md"], // 20 Jan + 6 weeks
  ["2026-03-06", "CD-2210", "action", "upcoming", "CD-2210/2026-02-25-care-planning-meeting.md", "Arrange school transport from the foster home"], // its when
  ["2026-03-06", "JK-7788", "action", "upcoming", "JK-7788/2026-01-27-review.md", "Arrange transport to Castle Hill School from the new home"], // its when
  ["2026-03-09", "CD-2210", "care-plan", "upcoming", "CD-2210/child.md"], // Mon 23 Feb + 10 working days = Mon 9 Mar
  ["2026-03-09", "CD-2210", "pep.initial", "upcoming", "CD-2210/child.md"], // same; aged 13
  ["2026-03-13", "AB-1042", "action", "upcoming", "AB-1042/2026-01-12-care-plan.md", "Apply for home to school transport"],
  ["2026-03-15", "EF-0317", "health-assessment", "upcoming", "EF-0317/2025-09-15-health-assessment.md"], // aged 2 on 15 Sep 2025: + 6 months
  ["2026-03-20", "AB-1042", "action", "upcoming", "AB-1042/2026-02-02-review.md", "Complete the parenting assessment of mother"],
  ["2026-03-20", "EF-0317", "action", "upcoming", "EF-0317/2025-12-18-care-plan.md", "Refer to speech and language therapy"],
  ["2026-03-20", "EF-0317", "visit", "upcoming", "EF-0317/2026-02-06-visit.md"], // 6 Feb + 6 weeks
  ["2026-03-23", "CD-2210", "health-assessment.initial", "upcoming", "CD-2210/child.md"], // Mon 23 Feb + 20 working days = Mon 23 Mar
  ["2026-03-23", "CD-2210", "review.first", "upcoming", "CD-2210/child.md"], // same
  ["2026-03-27", "AB-1042", "visit", "upcoming", "AB-1042/2026-02-13-visit.md"], // 13 Feb + 6 weeks
  ["2026-03-30", "EF-0317", "cpm", "upcoming", "EF-0317/2026-02-16-care-planning-meeting.md"], // 16 Feb + 6 weeks: the window's last day counts
  ["2026-03-30", "JK-7788", "cpm", "upcoming", "JK-7788/2026-02-16-care-planning-meeting.md"], // 16 Feb + 6 weeks
  ["2026-03-30", "JK-7788", "visit", "upcoming", "JK-7788/2026-02-16-visit.md"], // 16 Feb + 6 weeks
];

describe("the example repository", () => {
  it("has the timeline counted by hand", async () => {
    const run = await runCli(["timeline", EXAMPLE, "--as-of", AS_OF, "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const output = JSON.parse(run.stdout) as { asOf: string; policy: string; items: Record<string, unknown>[] };
    expect(output.asOf).toBe(AS_OF);
    expect(output.policy).toBe("england+care-planning-meetings");
    expect(output.items.map(({ due, child, rule, status, file }) => [due, child, rule, status, String(file).replace(/^children\//, "")])).toEqual(
      EXPECTED.map(([due, child, rule, status, file]) => [due, child, rule, status, file]),
    );
    for (const [index, [, , , , , title]] of EXPECTED.entries()) if (title) expect(output.items[index]!.title).toBe(title);
    expect(output.items.every((item) => item.met === null)).toBe(true);
  });

  it("keeps the CONTRACT.md example: AB-1042's second review, due 3 months after the first", async () => {
    const run = await runCli(["timeline", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--all", "--child", "AB-1042"], { cwd: PACKAGE_ROOT });
    const items = (JSON.parse(run.stdout) as { items: Record<string, unknown>[] }).items;
    expect(items.find((item) => item.rule === "review.second")).toEqual({
      child: "AB-1042",
      rule: "review.second",
      title: "Second statutory review",
      due: "2026-05-02",
      status: "upcoming",
      met: null,
      file: "children/AB-1042/2026-02-02-review.md",
      preset: "england",
      reason: "3 months after the review on 2026-02-02",
    });
  });

  it("checks clean but for the findings its README documents", async () => {
    const run = await runCli(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { findings: Record<string, unknown>[]; summary: Record<string, number> };
    expect(output.findings.map(({ file, line, rule, severity }) => [file, line, rule, severity])).toEqual([
      ["children/GH-5120/2025-10-01-pep.md", 1, "timescale/pep", "error"],
      ["children/JK-7788/2026-01-27-review.md", 1, "timescale/review.record", "error"],
      ["children/JK-7788/2026-02-16-visit.md", 24, "section-empty", "warning"],
    ]);
    expect(output.summary).toEqual({ files: 75, errors: 2, warnings: 1, waived: 0, baselined: 0, baselineUnused: 0 });
  });

  it("lists every overdue timeline item as a timescale finding on the same day", async () => {
    const timeline = JSON.parse((await runCli(["timeline", EXAMPLE, "--as-of", AS_OF, "--format", "json"], { cwd: PACKAGE_ROOT })).stdout) as { items: { rule: string; file: string; status: string }[] };
    const check = JSON.parse((await runCli(["check", EXAMPLE, "--as-of", AS_OF, "--format", "json"], { cwd: PACKAGE_ROOT })).stdout) as { findings: { rule: string; file: string }[] };
    const overdue = timeline.items.filter((i) => i.status === "overdue").map((i) => [`timescale/${i.rule}`, i.file]);
    expect(check.findings.filter((f) => f.rule.startsWith("timescale/")).map((f) => [f.rule, f.file])).toEqual(overdue);
  });
});
