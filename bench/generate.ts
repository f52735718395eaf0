// A realistic generated repository for the benchmarks: documents scaffolded from the templates,
// every section written, about 7 to 10 KB each.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEMPLATES_DIR } from "../src/assets.js";
import { renderDocument } from "../src/templates/scaffold.js";
import { loadTemplates } from "../src/templates/forms.js";
import { addDays } from "../src/common/dates.js";

const PARAGRAPH =
  "The child was seen at home and spoke about school, friends and time with family. The carer reported a settled fortnight with good sleep and attendance. " +
  "Agreed next steps were shared with the child in words they understood, and the plan will be looked at again at the next meeting. ";

/** Writes `children` children with `perChild` documents each under `root`; returns the number of files. */
export function generateRepository(root: string, children: number, perChild: number): number {
  const templates = loadTemplates(TEMPLATES_DIR);
  const types = ["visit", "care-planning-meeting", "review", "care-plan", "health-assessment", "pep", "placement-plan"];
  let files = 0;
  writeFileSync(join(root, "careplan.yaml"), "policy: [england, care-planning-meetings]\n");
  for (let c = 0; c < children; c++) {
    const id = `C-${String(c).padStart(6, "0")}`;
    const folder = join(root, "children", id);
    mkdirSync(folder, { recursive: true });
    const since = addDays("2024-01-08", c % 400);
    const profile = {
      type: "child", id, name: `Child ${c}`, dob: addDays("2012-03-01", c % 3000), looked_after_since: since, legal_status: "care-order",
      iro: { name: "Pat Lee", email: "pat.lee@example.org" }, social_worker: { name: "Jo Khan", team: "North" },
      placements: [{ start: since, type: "foster-care", provider: "Foster carers", permanent: false }],
    };
    writeFileSync(join(folder, "child.md"), fill(renderDocument(templates.get("child")!, profile, profile)));
    files++;
    for (let d = 0; d < perChild; d++) {
      const type = types[d % types.length]!;
      const date = addDays(since, 7 + d * 21);
      const data: Record<string, unknown> = { type, child: id, date, name: profile.name, dob: profile.dob };
      if (type === "visit") Object.assign(data, { seen_alone: true, unannounced: d % 5 === 0 });
      if (type === "care-plan") Object.assign(data, { permanence_plan: "long-term-fostering", actions: [{ action: "Book a dental check", who: "Carer", when: addDays(date, 30) }] });
      if (type === "placement-plan") data.placement_start = since;
      if (type === "review") Object.assign(data, { record_circulated: addDays(date, 10), actions: [{ action: "Update the PEP", who: "SW", when: addDays(date, 40) }] });
      if (type === "care-planning-meeting") data.distributed = addDays(date, 3);
      writeFileSync(join(folder, `${date}-${type}-${d}.md`), fill(renderDocument(templates.get(type)!, data, profile)));
      files++;
    }
  }
  return files;
}

/** Writes some text into every section, to about 7 KB a document. */
function fill(text: string): string {
  return text.replace(/(<!--[^\n]*-->)\n/g, `$1\n${PARAGRAPH.repeat(3)}\n`);
}

