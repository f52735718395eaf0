// Small case-file repositories written to temporary folders, for tests that change files between runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { temporaryFolder } from "../cli-harness.js";

/** A profile whose care began on 5 January 2026: as of 2 March its first deadlines are overdue. */
export const PROFILE = `---
type: child
id: AB-1
name: Sam Example
dob: 2016-04-12
looked_after_since: 2026-01-05
legal_status: care-order
iro:
  name: Pat Lee
social_worker:
  name: Jo Khan
placements:
  - start: 2026-01-05
    type: foster-care
---
# Sam Example
`;

const VISIT_SECTIONS = ["Purpose of the visit", "Seen alone", "Wishes and feelings", "Home and bedroom", "Carer's views", "Next steps"];

/** A visit to AB-1 with every section written, unless `empty` names sections left empty. */
export function visit(frontMatter = "seen_alone: true", empty: string[] = []): string {
  const body = VISIT_SECTIONS.map((heading) => `## ${heading}\n${empty.includes(heading) ? "" : "Text."}\n`).join("\n");
  return `---\ntype: visit\nchild: AB-1\ndate: 2026-02-20\n${frontMatter}\n---\n# Visit\n\n${body}`;
}

export const VISIT = "children/AB-1/2026-02-20-visit.md";

/** A temporary repository with these files (posix paths from its root); `write` changes them later. */
export function repositoryWith(files: Record<string, string>): { path: string; write: (files: Record<string, string>) => void; remove: () => void } {
  const folder = temporaryFolder();
  const write = (more: Record<string, string>) => {
    for (const [path, text] of Object.entries(more)) {
      mkdirSync(dirname(join(folder.path, path)), { recursive: true });
      writeFileSync(join(folder.path, path), text);
    }
  };
  write(files);
  mkdirSync(join(folder.path, "children"), { recursive: true });
  return { path: folder.path, write, remove: folder.remove };
}
