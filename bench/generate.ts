// A realistic generated repository for the benchmarks: each child's history from the day care
// began to the as-of date (placements and moves, visits and care planning meetings every six
// weeks, reviews, care plans, health assessments, PEPs, actions mostly done), every document
// scaffolded from the template in force on its date, every section written, 7 to 12 KB each.
// With `manyFindings`, documents keep their front matter but lose their sections: about 13
// findings a document.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEMPLATES_DIR } from "../src/assets.js";
import { renderDocument } from "../src/templates/scaffold.js";
import { loadBuiltInForms, versionAt } from "../src/templates/forms.js";
import { addDays, daysBetween, type IsoDate } from "../src/common/dates.js";

const PARAGRAPH =
  "The child was seen at home and spoke about school, friends and time with family. The carer reported a settled fortnight with good sleep and attendance. " +
  "Agreed next steps were shared with the child in words they understood, and the plan will be looked at again at the next meeting. ";

export interface GenerateOptions {
  children: number;
  /** Documents per child on average (each child has between half and one and a half times as many), the profile aside. */
  perChild: number;
  /** The day the histories run up to: no document is dated after it. */
  asOf: IsoDate;
  /** Documents without their sections: every required section missing. */
  manyFindings?: boolean;
}

/** How often each kind of document comes, in days (the first one, then the next ones). */
const CADENCE: Record<string, [number, number]> = {
  visit: [5, 42],
  "care-planning-meeting": [3, 42],
  review: [20, 182],
  "care-plan": [9, 182],
  "health-assessment": [19, 365],
  pep: [10, 121],
};
/** Documents a year at that cadence: how long a history of n documents is. */
const PER_YEAR = Object.values(CADENCE).reduce((sum, [, every]) => sum + 365 / every, 0) + 1;

/** Writes the repository under `root`; returns the number of files (profiles included). */
export function generateRepository(root: string, options: GenerateOptions): number {
  const forms = loadBuiltInForms(TEMPLATES_DIR);
  const template = (type: string, date: IsoDate | undefined) => versionAt(forms.get(type)!, date);
  writeFileSync(join(root, "careplan.yaml"), "policy: [england, care-planning-meetings]\n");
  let files = 0;
  for (let c = 0; c < options.children; c++) {
    const id = `C-${String(c).padStart(6, "0")}`;
    const folder = join(root, "children", id);
    mkdirSync(folder, { recursive: true });
    const wanted = Math.max(4, Math.round(options.perChild * (0.5 + (c % 101) / 100)));
    const since = addDays(options.asOf, -Math.round((wanted / PER_YEAR) * 365) - 10 - (c % 17));
    const history = historyOf(since, options.asOf, c);
    const profile = {
      type: "child",
      id,
      name: `Child ${c}`,
      dob: addDays(since, -(400 + ((c * 37) % 5500))),
      looked_after_since: since,
      legal_status: c % 9 === 0 ? "section-20" : "care-order",
      iro: { name: "Pat Lee", email: "pat.lee@example.org" },
      social_worker: { name: ["Jo Khan", "Sam Okafor", "Ali Reed"][c % 3], team: ["North", "South"][c % 2] },
      placements: history.placements,
    };
    writeFileSync(join(folder, "child.md"), body(renderDocument(template("child", undefined), profile, profile), options));
    files++;
    for (const [index, { type, date, data }] of history.documents.entries()) {
      const all = { type, child: id, date, name: profile.name, dob: profile.dob, ...data };
      writeFileSync(join(folder, `${date}-${type}${index % 4 === 0 ? `-${index}` : ""}.md`), body(renderDocument(template(type, date), all, profile), options));
      files++;
    }
  }
  return files;
}

interface History {
  placements: { start: IsoDate; end?: IsoDate; type: string; permanent: boolean }[];
  documents: { type: string; date: IsoDate; data: Record<string, unknown> }[];
}

/** A child's documents from `since` to `asOf`, in date order. */
function historyOf(since: IsoDate, asOf: IsoDate, seed: number): History {
  const days = daysBetween(since, asOf);
  // A move about every 14 months for one child in three.
  const moves = seed % 3 === 0 ? Math.floor(days / 420) : 0;
  const starts = [since, ...Array.from({ length: moves }, (_, i) => addDays(since, (i + 1) * 420 + (seed % 30)))].filter((start) => start < asOf);
  const placements = starts.map((start, i) => ({
    start,
    ...(starts[i + 1] ? { end: addDays(starts[i + 1]!, -1) } : {}),
    type: i % 2 === 0 ? "foster-care" : "childrens-home",
    permanent: false,
  }));
  const documents: History["documents"] = placements.map((p) => ({ type: "placement-plan", date: addDays(p.start, 3), data: { placement_start: p.start } }));
  for (const [type, [first, every]] of Object.entries(CADENCE)) {
    for (let day = first + (seed % 5); day < days; day += every) {
      const date = addDays(since, day);
      documents.push({ type, date, data: dataOf(type, date, asOf, seed + day) });
    }
  }
  documents.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.type < b.type ? -1 : 1));
  return { placements, documents: documents.filter((d) => d.date <= asOf) };
}

function dataOf(type: string, date: IsoDate, asOf: IsoDate, seed: number): Record<string, unknown> {
  // Actions agreed, most done by their day; those due lately still open.
  const actions = (texts: string[]) =>
    texts.map((action, i) => {
      const when = addDays(date, 21 + 14 * i);
      return { action, who: "Social worker", when, ...(when < addDays(asOf, -30) && (seed + i) % 7 !== 0 ? { done: addDays(when, -2) } : {}) };
    });
  // A date recorded in a document has happened by the as-of date (minutes not yet sent have none).
  const happened = (key: string, days: number) => (addDays(date, days) <= asOf ? { [key]: addDays(date, days) } : {});
  switch (type) {
    case "visit":
      return { seen_alone: seed % 4 !== 0, unannounced: seed % 6 === 0 };
    case "care-planning-meeting":
      return { ...happened("distributed", 3), actions: actions(["Arrange a dental check"]) };
    case "review":
      return { ...happened("record_circulated", 12), actions: actions(["Update the PEP", "Refer to CAMHS"]) };
    case "care-plan":
      return { permanence_plan: seed % 5 === 0 ? "not-yet-agreed" : "long-term-fostering", actions: actions(["Book a dental check"]) };
    default:
      return {};
  }
}

/** Some text in every section, to about 7-12 KB a document; or, for many findings, no sections at all. */
function body(text: string, options: GenerateOptions): string {
  if (options.manyFindings) return text.slice(0, text.indexOf("\n---\n") + 5);
  return text.replace(/(<!--[^\n]*-->)\n/g, `$1\n${PARAGRAPH.repeat(3)}\n`);
}
