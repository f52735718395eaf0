// A case-file repository whose names and texts hold control characters: escape sequences that
// clear the screen or retitle the terminal, line breaks that would start a line of their own
// (a Markdown heading, a table row, a GitHub workflow command, a calendar property), C1 controls
// and the bidirectional overrides of Trojan Source. File names with these cannot be committed
// portably, so the repository is written into a temporary folder by each test.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Every injected line begins with this word: no output may have a line that starts with it. */
export const FORGED = "FORGED";

/** Characters no output may hold raw (tab and line feed aside): C0, DEL, C1, separators, bidi controls. */
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Texts for YAML double-quoted strings: YAML's own escapes (\e, \a, \x9b, \u202e) put the characters in. */
const HOSTILE_YAML = [
  `Book\\e[2J\\e]0;retitled\\a the meeting\\n### ${FORGED} heading`,
  `SUMMARY:${FORGED}\\r\\nBEGIN:VEVENT\\r\\nX-${FORGED}:1\\nEND:VEVENT`,
  `| ${FORGED} | row |\\n| --- | --- |`,
  `::error file=${FORGED}.md,line=1::annotation %0A::warning::x\\n::error file=${FORGED}::again`,
  `\\u202eevil\\u2066 reversed\\x9b31m c1 \\a bell \\x7f del \\x85 next line \\u2028 separator\\r${FORGED} over`,
  `tab\\there, a backslash \\\\ and ;,: for the calendar`,
];

/** Names for files and folders: the file system takes any character but / and NUL. */
export const HOSTILE_NAMES = [
  `HX\u001b[2J`,
  `HX-2\n::error file=${FORGED}::forged`,
  `HX-3\u202e`,
  `HX-4\u009b2J`,
  `HX-5\r${FORGED}`,
];

/** The child whose documents hold the hostile texts (a valid id). */
export const HOSTILE_CHILD = "HX-1";

/**
 * Writes the repository into `parent`/`folder`. Its own templates folder has a form whose title,
 * description, fields and headings are hostile; careplan.yaml a local rule with a hostile title.
 */
export function writeHostileRepository(parent: string, folder = "repo"): string {
  const root = join(parent, folder);
  const child = HOSTILE_CHILD;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    "careplan.yaml",
    [
      "policy: england",
      "templates: templates",
      "rules:",
      "  hostile-rule:",
      "    kind: recurrence",
      `    title: "Hostile\\e[2J rule\\n::error file=${FORGED}::from a rule title"`,
      "    type: visit",
      "    interval: 1",
      "    unit: weeks",
      "",
    ].join("\n"),
  );
  write(
    "templates/hostile-form.md",
    [
      "---",
      `title: "Hostile\\e]0;retitled\\a form \\u202eesrever"`,
      `description: "A form\\n### ${FORGED} from a description\\e[2J"`,
      "fields:",
      "  noted:",
      "    type: string",
      `    description: "What was noted\\e[2J\\n${FORGED}"`,
      "---",
      `## What happened\u001b[2J`,
      `<!-- Guidance\u001b]0;retitled\u0007 -->`,
      "",
    ].join("\n"),
  );
  write(
    `children/${child}/child.md`,
    [
      "---",
      "type: child",
      `id: ${child}`,
      `name: "Name\\e[2J"`,
      "dob: 2012-05-01",
      "looked_after_since: 2025-06-01",
      "legal_status: care-order",
      `iro: { name: "Iro\\e]0;x\\a" }`,
      `social_worker: { name: "Jo\\e[31m Khan\\u202e", team: "Team\\n### ${FORGED}\\r\\nBEGIN:VEVENT" }`,
      "placements:",
      "  - start: 2025-06-01",
      "    type: foster-care",
      "---",
      "",
    ].join("\n"),
  );
  write(
    `children/${child}/2025-06-10-care-plan.md`,
    [
      "---",
      "type: care-plan",
      `child: ${child}`,
      "date: 2025-06-10",
      "permanence_plan: long-term-fostering",
      "actions:",
      ...HOSTILE_YAML.flatMap((text, i) => [`  - action: "${text}"`, `    who: "Who\\e[2J ${i}"`, `    when: 2026-0${1 + (i % 3)}-1${i}`]),
      "---",
      "## Health\u001b[2J",
      `Raw escape in the body\u001b]0;retitled\u0007 and a line\n### ${FORGED} in the body`,
      "",
    ].join("\n"),
  );
  // A raw escape character in front matter is not YAML: a `yaml` finding, which must not quote it.
  write(`children/${child}/2025-07-01-visit.md`, `---\ntype: visit\nchild: ${child}\ndate: 2025-07-01\nseen_alone: true\nnote: raw\u001b[2J\n---\n`);
  write(`children/${child}/2025-08-01-visit\u001b[2J.md`, `---\ntype: visit\nchild: ${child}\ndate: 2025-08-01\nseen_alone: true\n---\n`);
  write(`children/${child}/2025-08-02-visit-a\n${FORGED}.md`, `---\ntype: visit\nchild: ${child}\ndate: 2025-08-02\nseen_alone: true\n---\n`);
  write(`children/${child}/2025-08-03-hostile-form.md`, `---\ntype: hostile-form\nchild: ${child}\ndate: 2025-08-03\n---\n`);
  for (const name of HOSTILE_NAMES) write(`children/${name}/child.md`, `---\ntype: child\nid: ${JSON.stringify(name)}\n---\n`);
  return root;
}

/**
 * What in an output breaks the rules: a raw control character (CR only before LF, and only where
 * the format's lines end so), or a line that begins with an injected text.
 */
export function outputProblems(output: string, options: { crlf?: boolean; colour?: boolean; wrapped?: boolean } = {}): string[] {
  const problems: string[] = [];
  let text = options.crlf ? output.replace(/\r\n/g, "\n") : output;
  if (options.colour) text = text.replace(/\u001b\[(?:1|2|4|22|24|31|32|33|39)m/g, "");
  const found = new RegExp(CONTROL.source, "g");
  for (const match of text.matchAll(found)) problems.push(`raw U+${match[0].charCodeAt(0).toString(16).padStart(4, "0")} in ${JSON.stringify(text.slice(Math.max(0, match.index - 30), match.index + 10))}`);
  if (options.wrapped) return problems;
  for (const line of text.split("\n")) {
    const start = line.trimStart().replace(/^(?:#+\s*|::\w+(?:\s+file=)?|\|\s*|X-|SUMMARY:|BEGIN:)/, "");
    if (start.startsWith(FORGED)) problems.push(`a line of its own: ${JSON.stringify(line)}`);
  }
  return problems;
}
