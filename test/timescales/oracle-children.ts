// Realistic children for the differential test of the timescale engine: a profile with a period
// of care and its placements, documents of every type at plausible dates and at the boundaries
// DOMAIN.md draws (before care, 3 months before it, on a due date, the day after, around the
// 18th birthday and eligibility), an as-of date and a policy; written out as a real repository.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { Document } from "yaml";
import { addDays, addMonths, type IsoDate } from "../../src/common/dates.js";
import { createCalendar } from "../../src/timescales/calendar.js";
import type { OracleChild, OracleDocument, OraclePlacement, Preset } from "./oracle.js";

export const POLICIES: readonly (readonly Preset[])[] = [
  ["england"],
  ["care-planning-meetings"],
  ["newcastle"],
  ["stoke-on-trent"],
  ["sparks-fostering"],
  ["england", "care-planning-meetings"],
  ["england", "newcastle"],
  ["england", "stoke-on-trent"],
  ["england", "sparks-fostering"],
  ["england", "care-planning-meetings", "stoke-on-trent"],
  ["england", "newcastle", "sparks-fostering"],
];

const LEGAL_STATUSES = ["interim-care-order", "care-order", "placement-order", "section-20", "short-breaks", "police-protection", "emergency-protection-order", "child-assessment-order", "remand"];
const PERMANENCE = ["not-yet-agreed", "return-home", "long-term-fostering", "long-term-placement", "special-guardianship", "child-arrangements-order", "adoption", "independence"];
const RECURRING = ["visit", "review", "care-planning-meeting", "pep", "health-assessment", "assessment", "care-plan", "pathway-plan"] as const;
const TYPES = [...RECURRING, "placement-plan"] as const;
/** Usual gaps between two documents of a type, in days, so that sequences land on and around due dates. */
const GAPS: Record<(typeof RECURRING)[number], number[]> = {
  visit: [7, 28, 30, 31, 42, 59, 61, 62, 91, 92],
  review: [28, 89, 90, 91, 92, 181, 182, 183, 184],
  "care-planning-meeting": [3, 10, 42, 43],
  pep: [120, 122, 123, 181, 184],
  "health-assessment": [181, 182, 184, 365, 366],
  assessment: [365, 366, 180],
  "care-plan": [14, 60, 120],
  "pathway-plan": [90, 182],
};

export interface GeneratedChild {
  child: OracleChild;
  documents: Omit<OracleDocument, "file">[];
}

/** A repository: one child the case is built around, sometimes others beside it. */
export interface GeneratedCase extends GeneratedChild {
  policy: readonly Preset[];
  asOf: IsoDate;
  closures: IsoDate[];
  others: GeneratedChild[];
}

const DAY0 = "2018-01-01";
const calendar = createCalendar();

const sometimes = fc.integer({ min: 0, max: 99 }).map((n) => n < 35);

const skeleton = fc.record({
  las: fc.integer({ min: 0, max: 3200 }),
  ageAtEntry: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 6570 }) },
    { weight: 2, arbitrary: fc.integer({ min: 13 * 365, max: 16 * 365 + 120 }) },
    { weight: 1, arbitrary: fc.integer({ min: 17 * 365, max: 18 * 365 - 5 }) },
    // A birthday that matters on a day that matters: 3 on the initial PEP's due date, 5 on entry,
    // 14 or 16 on entry or 13 weeks after it, 18 thirteen weeks after entry (no eligibility).
    {
      weight: 2,
      arbitrary: fc.record({ months: fc.constantFrom(36, 60, 168, 192, 216), shift: fc.constantFrom(0, 14, 91), delta: fc.integer({ min: -3, max: 3 }) }),
    },
  ),
  // As-of and left_care: a number of days after care began, or a day around one of the anchors.
  asOf: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: -40, max: -1 }) },
    { weight: 9, arbitrary: fc.integer({ min: 0, max: 1600 }) },
    { weight: 3, arbitrary: fc.record({ anchor: fc.nat(), delta: fc.integer({ min: -1, max: 1 }) }) },
  ),
  leftCare: fc.option(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 1500 }) }, { weight: 1, arbitrary: fc.record({ anchor: fc.nat(), delta: fc.integer({ min: -1, max: 1 }) }) }), { freq: 3 }),
  legalStatus: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...LEGAL_STATUSES) }, { weight: 1, arbitrary: fc.constant("short-breaks") }),
  history: fc.option(fc.record({ length: fc.integer({ min: 1, max: 500 }), endsOnEntry: fc.boolean(), permanent: fc.boolean() }), { freq: 3 }),
  firstStart: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 40 }) }),
  placements: fc.array(
    fc.record({
      gap: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 31, max: 700 })),
      end: fc.constantFrom("same-day", "day-before", "ended", "open"),
      endAfter: fc.integer({ min: 0, max: 400 }),
      permanent: sometimes,
      emergency: sometimes,
      /** Marks written `false` rather than left out (the same thing). */
      explicit: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  policy: fc.constantFrom(...POLICIES),
  closures: fc.array(fc.integer({ min: -10, max: 400 }), { maxLength: 3 }),
});
type Skeleton = typeof skeleton extends fc.Arbitrary<infer T> ? T : never;

function profileOf(s: Skeleton): { child: OracleChild; asOf: IsoDate; anchors: IsoDate[] } {
  const las = addDays(DAY0, s.las);
  const age = s.ageAtEntry;
  const dob = typeof age === "number" ? addDays(las, -age) : addDays(addMonths(addDays(las, age.shift), -age.months), age.delta);
  const placements: OraclePlacement[] = [];
  if (s.history) {
    placements.push({ start: addDays(las, -s.history.length), end: s.history.endsOnEntry ? las : addDays(las, -1), ...(s.history.permanent ? { permanent: true } : {}) });
  }
  let start = addDays(las, s.firstStart);
  s.placements.forEach((p, i) => {
    if (i > 0) start = addDays(start, p.gap);
    placements.push({ start, ...(p.permanent || p.explicit ? { permanent: p.permanent } : {}), ...(p.emergency || p.explicit ? { emergency: p.emergency } : {}) });
  });
  // Ends: the last day there; the next placement may begin that day.
  const period = placements.slice(s.history ? 1 : 0);
  period.forEach((p, i) => {
    const next = period[i + 1];
    const choice = s.placements[i]!.end;
    if (next) p.end = choice === "day-before" ? addDays(next.start, -1) : next.start;
    else if (choice === "ended") p.end = addDays(p.start, s.placements[i]!.endAfter);
  });
  const child: OracleChild = { id: "OR-1", dob, looked_after_since: las, legal_status: s.legalStatus, placements };
  const anchors = anchorsOf(child);
  // As-of and left_care around the anchors in care (one before care began gives no items: the offset covers it).
  const inCare = anchors.filter((a) => a > las);
  const at = (choice: number | { anchor: number; delta: number }) =>
    typeof choice === "number" || inCare.length === 0 ? addDays(las, typeof choice === "number" ? choice : 0) : addDays(inCare[choice.anchor % inCare.length]!, choice.delta);
  if (s.leftCare !== null) {
    const leftCare = at(s.leftCare);
    if (leftCare > las) child.left_care = leftCare;
  }
  const asOf = at(s.asOf);
  return { child, asOf, anchors: [...anchors, asOf, ...(child.left_care ? [child.left_care] : [])] };
}

/** The dates DOMAIN.md draws a line at for this child: documents are put on them and a day either side. */
function anchorsOf(child: OracleChild): IsoDate[] {
  const las = child.looked_after_since;
  const dob = child.dob;
  const anchors = [
    las,
    addMonths(las, -3),
    calendar.addWorkingDays(las, 10),
    calendar.addWorkingDays(las, 20),
    addDays(las, 28),
    addMonths(las, 3),
    addMonths(las, 12),
    addMonths(dob, 36),
    addMonths(dob, 60),
    addMonths(dob, 183),
    addMonths(dob, 189),
    addMonths(dob, 192),
    addMonths(dob, 192 + 3),
    addMonths(dob, 192 - 3),
    addDays(addMonths(dob, 168), 91),
    addDays(las, 91),
    addMonths(addDays(las, 91), -3),
    addMonths(addDays(las, 91), 3),
    addMonths(dob, 216),
  ];
  for (const p of child.placements) anchors.push(p.start, addDays(p.start, -28), addDays(p.start, 3), addDays(p.start, 7), addMonths(p.start, 12), addMonths(p.start, -3));
  return anchors;
}

const delta = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -1, max: 1 }) }, { weight: 2, arbitrary: fc.integer({ min: -40, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: -150, max: 600 }) });

const actionSeed = fc.record({
  from: fc.oneof(fc.record({ anchor: fc.nat(), delta }), fc.record({ after: fc.integer({ min: -20, max: 200 }) })),
  done: fc.option(fc.integer({ min: -15, max: 90 }), { freq: 2 }),
});

const fieldSeed = fc.record({
  permanence: fc.oneof({ weight: 2, arbitrary: fc.constant("not-yet-agreed") }, { weight: 3, arbitrary: fc.constantFrom(...PERMANENCE) }),
  placement: fc.oneof({ weight: 5, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.integer({ min: -40, max: 40 }).map((d) => ({ off: d })) }),
  after: fc.option(fc.integer({ min: 0, max: 45 }), { freq: 4 }),
  nextReview: fc.option(fc.integer({ min: 60, max: 200 }), { freq: 2 }),
  actions: fc.option(fc.array(actionSeed, { maxLength: 3 }), { freq: 2 }),
  unannounced: fc.option(fc.boolean(), { freq: 3 }),
  seenAlone: fc.boolean(),
  kind: fc.constantFrom("child-and-family", "parenting", "pathway-needs"),
});
type FieldSeed = typeof fieldSeed extends fc.Arbitrary<infer T> ? T : never;

const single = fc.record({ type: fc.constantFrom(...TYPES), anchor: fc.nat(), delta, fields: fieldSeed });
/** What a move brings: a placement plan, a first visit, a meeting, a review, around the placement's start. */
const move = fc.record({
  type: fc.constantFrom("placement-plan", "placement-plan", "visit", "care-planning-meeting", "review"),
  placement: fc.nat(),
  delta: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -3, max: 10 }) }, { weight: 1, arbitrary: fc.integer({ min: -120, max: -20 }) }),
  matching: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  fields: fieldSeed,
});
const sequence = fc.record({
  type: fc.constantFrom(...RECURRING),
  anchor: fc.nat(),
  delta,
  gaps: fc.array(fc.oneof({ weight: 3, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((d) => ({ days: d })) }), { maxLength: 8 }),
  fields: fc.array(fieldSeed, { minLength: 1, maxLength: 3 }),
});

function fieldsOf(type: string, date: IsoDate, seed: FieldSeed, child: OracleChild, anchors: IsoDate[]): Record<string, unknown> {
  const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;
  const later = seed.after === null ? {} : undefined;
  const actions = () =>
    seed.actions === null
      ? {}
      : {
          actions: seed.actions.map((a, i) => {
            const when = "anchor" in a.from ? addDays(pick(anchors, a.from.anchor), a.from.delta) : addDays(date, a.from.after);
            return { action: `Action ${i + 1}`, who: "Social worker", when, ...(a.done === null ? {} : { done: addDays(when, a.done) }) };
          }),
        };
  switch (type) {
    case "care-plan":
      return { permanence_plan: seed.permanence, ...actions() };
    case "placement-plan": {
      const p = seed.placement;
      return { placement_start: typeof p === "number" ? pick(child.placements, p).start : addDays(date, p.off) };
    }
    case "care-planning-meeting":
      return { ...(later ?? { distributed: addDays(date, seed.after!) }), ...actions() };
    case "review":
      return {
        ...(later ?? { record_circulated: addDays(date, seed.after!) }),
        ...(seed.nextReview === null ? {} : { next_review: addDays(date, seed.nextReview) }),
        ...actions(),
      };
    case "visit":
      return { seen_alone: seed.seenAlone, ...(seed.unannounced === null ? {} : { unannounced: seed.unannounced }) };
    case "assessment":
      return { kind: seed.kind };
    default:
      return {};
  }
}

const oneChild: fc.Arbitrary<Omit<GeneratedCase, "others">> = skeleton.chain((s) => {
  const { child, asOf, anchors } = profileOf(s);
  return fc
    .record({ singles: fc.array(single, { maxLength: 14 }), sequences: fc.array(sequence, { maxLength: 6 }), moves: fc.array(move, { maxLength: 6 }) })
    .map(({ singles, sequences, moves }) => {
      const pick = (n: number) => anchors[n % anchors.length]!;
      const documents: Omit<OracleDocument, "file">[] = [];
      for (const d of singles) {
        const date = addDays(pick(d.anchor), d.delta);
        documents.push({ type: d.type, date, fields: fieldsOf(d.type, date, d.fields, child, anchors) });
      }
      for (const m of moves) {
        const placement = child.placements[m.placement % child.placements.length]!;
        const date = addDays(placement.start, m.delta);
        const fields = m.type === "placement-plan" && m.matching ? { placement_start: placement.start } : fieldsOf(m.type, date, m.fields, child, anchors);
        documents.push({ type: m.type, date, fields });
      }
      for (const q of sequences) {
        let date = addDays(pick(q.anchor), q.delta);
        const gaps = GAPS[q.type];
        [0, ...q.gaps].forEach((gap, i) => {
          if (i > 0) date = addDays(date, typeof gap === "number" ? gaps[gap % gaps.length]! : gap.days);
          documents.push({ type: q.type, date, fields: fieldsOf(q.type, date, q.fields[i % q.fields.length]!, child, anchors) });
        });
      }
      // One document of a type a day: two on the same day would make "the next one" a matter of file names.
      const seen = new Set<string>();
      const unique = documents.filter((d) => {
        const key = `${d.date} ${d.type}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      return { policy: s.policy, asOf, closures: s.closures.map((c) => addDays(child.looked_after_since, c)), child, documents: unique };
    });
});

/** Ids that sort before and after the main child's, so that items of several children interleave. */
const OTHER_IDS = ["AB-2", "ZY-3"];

export const generatedCase: fc.Arbitrary<GeneratedCase> = fc
  .record({ main: oneChild, others: fc.oneof({ weight: 4, arbitrary: fc.constant<Omit<GeneratedCase, "others">[]>([]) }, { weight: 1, arbitrary: fc.array(oneChild, { minLength: 1, maxLength: 2 }) }) })
  .map(({ main, others }) => ({
    ...main,
    others: others.map((o, i) => ({ child: { ...o.child, id: OTHER_IDS[i]! }, documents: o.documents })),
  }));

// ---------------------------------------------------------------------------------------------

function frontMatter(data: Record<string, unknown>): string {
  return `---\n${new Document(data, { version: "1.2" }).toString({ lineWidth: 0 })}---\n`;
}

/** Writes the repository as `careplan new` would lay it out; returns each child with its documents' paths. */
export function writeCase(root: string, c: GeneratedCase): { child: OracleChild; profile: string; documents: OracleDocument[] }[] {
  writeFileSync(join(root, "careplan.yaml"), new Document({ policy: [...c.policy], closures: c.closures }, { version: "1.2" }).toString());
  return [c, ...c.others].map((g) => writeChild(root, g));
}

function writeChild(root: string, { child, documents }: GeneratedChild): { child: OracleChild; profile: string; documents: OracleDocument[] } {
  const { id, dob, looked_after_since, left_care, legal_status, placements } = child;
  const folder = join(root, "children", id);
  mkdirSync(folder, { recursive: true });
  const profile = {
    type: "child",
    id,
    name: "Sam Example",
    dob,
    looked_after_since,
    ...(left_care ? { left_care } : {}),
    legal_status,
    iro: { name: "Iro Example" },
    social_worker: { name: "Worker Example", team: "Team A" },
    placements: placements.map((p) => ({ ...p, type: "foster-care" })),
  };
  writeFileSync(join(folder, "child.md"), `${frontMatter(profile)}# Sam Example\n`);
  return {
    child,
    profile: `children/${id}/child.md`,
    documents: documents.map((d) => {
      const name = `${d.date}-${d.type}.md`;
      writeFileSync(join(folder, name), `${frontMatter({ type: d.type, child: id, date: d.date, ...d.fields })}# ${d.type}\n`);
      return { ...d, file: `children/${id}/${name}` };
    }),
  };
}
