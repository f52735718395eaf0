// Differential test: `careplan timeline --all --format json`, run in process over generated case
// files, against an independent reading of DOMAIN.md (oracle.ts), item by item. The minimal
// cases below pin the readings where the two once parted ways.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { generatedCase, writeCase, type GeneratedCase } from "./oracle-children.js";
import { oracleTimeline, type OracleChild, type OracleItem, type Preset } from "./oracle.js";

const RUNS = Number(process.env.CAREPLAN_ORACLE_RUNS ?? 200);
const PROFILE = "children/OR-1/child.md";

type Item = Pick<OracleItem, "child" | "rule" | "due" | "status" | "met" | "file">;
const byKey = (a: Item, b: Item) => key(a).localeCompare(key(b));
const key = (i: Item) => [i.due, i.child, i.rule, i.file, i.status, i.met ?? ""].join(" ");
const slim = ({ child, rule, due, status, met, file }: Item): Item => ({ child, rule, due, status, met, file });

async function timeline(c: GeneratedCase): Promise<{ engine: Item[]; oracle: Item[] }> {
  const repo = temporaryFolder("careplan-oracle-");
  try {
    const children = writeCase(repo.path, c);
    const run = await runCli(["timeline", repo.path, "--all", "--as-of", c.asOf, "--format", "json"], { cwd: repo.path });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    const output = JSON.parse(run.stdout) as { items: (Item & { title: string })[]; problems?: unknown[] };
    expect(output.problems ?? []).toEqual([]);
    // CONTRACT 4: sorted by due, then child, rule, file, title.
    const order = (i: Item & { title: string }) => [i.due, i.child, i.rule, i.file, i.title];
    const sorted = [...output.items].sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      const at = x.findIndex((v, n) => v !== y[n]);
      return at < 0 ? 0 : x[at]! < y[at]! ? -1 : 1;
    });
    expect(output.items).toEqual(sorted);
    return {
      engine: output.items.map(slim).sort(byKey),
      oracle: children.flatMap(({ child, profile, documents }) => oracleTimeline(child, profile, documents, c)).sort(byKey),
    };
  } finally {
    repo.remove();
  }
}

describe("timeline against an independent reading of DOMAIN.md", () => {
  it(`agrees on ${RUNS} generated children`, async () => {
    await fc.assert(
      fc.asyncProperty(generatedCase, async (c) => {
        const { engine, oracle } = await timeline(c);
        expect(engine).toEqual(oracle);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});

/** A child in care from `las`, in one placement from that day, as a minimal case. */
function minimal(policy: Preset[], asOf: string, child: Partial<OracleChild> & { dob: string; looked_after_since: string }, documents: GeneratedCase["documents"]): GeneratedCase {
  return {
    policy,
    asOf,
    closures: [],
    child: { id: "OR-1", legal_status: "care-order", placements: [{ start: child.looked_after_since }], ...child },
    documents,
    others: [],
  };
}

async function expectTextReading(c: GeneratedCase, rule: string): Promise<void> {
  const { engine, oracle } = await timeline(c);
  expect(engine.filter((i) => i.rule === rule)).toEqual(oracle.filter((i) => i.rule === rule));
}

describe("readings the oracle found the engine once read otherwise", () => {
  // DOMAIN.md, england, health-assessment: "when the first one was made before care began (up to
  // 3 months before is allowed), the cycle starts from the first review instead: that review's
  // date + 6 or 12 months (age on that date), nothing due before that review is held". The engine
  // once listed a `health-assessment` due 2025-03-11, counted from the assessment of 2024-03-11,
  // while no review had been held.
  it("health-assessment: nothing is due before the first review when the first assessment was made before care", async () => {
    const c = minimal(["england"], "2024-06-01", { dob: "2010-03-01", looked_after_since: "2024-03-04" }, [
      { type: "health-assessment", date: "2024-02-20", fields: {} },
      { type: "health-assessment", date: "2024-03-11", fields: {} },
    ]);
    await expectTextReading(c, "health-assessment");
  });

  // DOMAIN.md, sparks-fostering, visit.unannounced: due "previous unannounced visit (or the first
  // placement start of the period of care) + 12 months"; Readings confirmed: "Documents within 3
  // months before looked_after_since count for recurrences too". The engine once read no
  // unannounced visit dated before the first placement's start: it counted from 2025-01-06 (due
  // 2026-01-06) instead of from the visit of 2024-12-16 (due 2025-12-16).
  it("visit.unannounced: an unannounced visit shortly before care began is the previous one", async () => {
    const c = minimal(["sparks-fostering"], "2025-06-01", { dob: "2012-05-05", looked_after_since: "2025-01-06" }, [
      { type: "visit", date: "2024-12-16", fields: { seen_alone: true, unannounced: true } },
    ]);
    await expectTextReading(c, "visit.unannounced");
  });

  // The same, for an unannounced visit in care before the first placement of the period began.
  it("visit.unannounced: an unannounced visit in care before the first placement is the previous one", async () => {
    const c = minimal(["sparks-fostering"], "2025-06-01", { dob: "2012-05-05", looked_after_since: "2025-01-06", placements: [{ start: "2025-01-10" }] }, [
      { type: "visit", date: "2025-01-07", fields: { seen_alone: true, unannounced: true } },
    ]);
    await expectTextReading(c, "visit.unannounced");
  });
});

// The oracle itself, on DOMAIN.md's own examples counted by hand: an oracle that read the text
// wrongly would otherwise agree with an engine that read it the same way.
describe("the oracle, on examples counted by hand from DOMAIN.md", () => {
  const review = (date: string) => ({ type: "review", date, fields: {} });
  const cases: { name: string; c: GeneratedCase; rules: string[]; expected: [rule: string, due: string, met: string | null][] }[] = [
    {
      name: "Mon 2 Dec 2024 + 20 working days = Thu 2 Jan 2025; + 10 = Mon 16 Dec",
      c: minimal(["england"], "2024-12-20", { dob: "2015-01-01", looked_after_since: "2024-12-02" }, []),
      rules: ["review.first", "care-plan", "health-assessment.initial"],
      expected: [
        ["care-plan", "2024-12-16", null],
        ["health-assessment.initial", "2025-01-02", null],
        ["review.first", "2025-01-02", null],
      ],
    },
    {
      name: "reviews count from the actual previous one: 31 Aug + 6 months = 28 Feb",
      c: minimal(["england"], "2026-03-01", { dob: "2015-01-01", looked_after_since: "2025-03-03" }, [review("2025-03-28"), review("2025-05-31"), review("2025-08-31")]),
      rules: ["review.first", "review.second", "review.subsequent"],
      expected: [
        ["review.first", "2025-03-31", "2025-03-28"],
        ["review.second", "2025-06-28", "2025-05-31"],
        ["review.subsequent", "2025-11-30", "2025-08-31"],
        ["review.subsequent", "2026-02-28", null],
      ],
    },
    {
      name: "eligibility 13 weeks after care began at 15y10m; England + 3 months, Newcastle on the day",
      c: minimal(["england", "newcastle"], "2026-01-01", { dob: "2010-01-15", looked_after_since: "2025-12-01" }, [{ type: "pathway-plan", date: "2025-12-02", fields: {} }]),
      rules: ["pathway-plan"],
      expected: [["pathway-plan", "2026-03-02", "2025-12-02"]],
    },
    {
      name: "short breaks: first review 3 months after care began, then every 6 months; no second review",
      c: minimal(["england", "stoke-on-trent"], "2026-01-01", { dob: "2015-01-01", looked_after_since: "2025-01-31", legal_status: "short-breaks" }, [review("2025-04-20")]),
      rules: ["review.first", "review.second", "review.subsequent", "permanence-plan", "review.record"],
      expected: [
        ["review.first", "2025-04-30", "2025-04-20"],
        ["review.record", "2025-05-04", null],
        ["permanence-plan", "2025-07-20", null],
        ["review.subsequent", "2025-10-20", null],
      ],
    },
    {
      name: "a due date on left_care stays, one after it is cut off",
      c: minimal(["england"], "2026-01-01", { dob: "2008-10-21", looked_after_since: "2025-03-03", left_care: "2025-10-20" }, [
        { type: "visit", date: "2025-09-08", fields: { seen_alone: true } },
        { type: "visit", date: "2025-10-19", fields: { seen_alone: true } },
      ]),
      rules: ["visit"],
      expected: [["visit", "2025-10-20", "2025-10-19"]],
    },
    {
      name: "nothing is due on the 18th birthday; the day before stays",
      c: minimal(["england"], "2026-01-01", { dob: "2007-10-20", looked_after_since: "2025-03-03" }, [
        { type: "visit", date: "2025-09-07", fields: { seen_alone: true } },
        { type: "visit", date: "2025-09-08", fields: { seen_alone: true } },
      ]),
      rules: ["visit"],
      expected: [["visit", "2025-10-19", "2025-09-08"]],
    },
  ];
  it.each(cases)("$name", ({ c, rules, expected }) => {
    const documents = c.documents.map((d) => ({ ...d, file: `children/OR-1/${d.date}-${d.type}.md` }));
    const items = oracleTimeline(c.child, PROFILE, documents, c).filter((i) => rules.includes(i.rule));
    expect(items.map((i) => [i.rule, i.due, i.met]).sort()).toEqual([...expected].sort());
  });
});
