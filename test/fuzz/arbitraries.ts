// Generated case-file repositories for the fuzz suite: valid ones, nearly valid ones (what people
// type: wrong dates, quoted booleans, headings at the wrong level) and broken ones (random front
// matter shapes, mixed line ends, BOMs, random bytes, invalid UTF-8, NUL, YAML tags, aliases and
// prototype keys, hostile file names and texts, a random careplan.yaml), and the command lines
// to run over them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { CHECK_FORMATS } from "../../src/commands/check.js";
import { STATS_BY, STATS_FORMATS } from "../../src/commands/stats.js";
import { TIMELINE_FORMATS } from "../../src/commands/timeline.js";

export const TYPES = ["care-plan", "placement-plan", "care-planning-meeting", "review", "visit", "health-assessment", "pep", "assessment", "pathway-plan"] as const;

/** Texts that have broken a tool like this one: escape sequences, injected lines, markup, template syntax, prototype keys. */
const HOSTILE = [
  "\u001b[2J",
  "\u001b]0;title\u0007",
  "\n### FORGED",
  "\r\nSUMMARY:FORGED",
  "\n| FORGED | x |",
  "\n::error file=FORGED::x",
  "%0A::warning::FORGED",
  "\u202eFORGED",
  "\u2066",
  "\u009b2J",
  "\u0085",
  "\u2028",
  "\u0000",
  "\\",
  ";,:",
  "{{child.name}}",
  "{{#each}}",
  "__proto__",
  "constructor",
  "<script>x</script>",
  "=1+1",
  "@SUM(A1)",
  "Zoë O'Brien",
  "😀",
  "سارة",
];

const HEADINGS = [
  "Health",
  "Education",
  "Purpose of the visit",
  "Seen alone",
  "Wishes and feelings",
  "Home and bedroom",
  "Carer's views",
  "Next steps",
  "Decisions",
  "Actions",
  "Permanence plan",
  "Participants",
  "Recommendations",
  "About me",
];

/** Any text: plain words, any code points, or a hostile snippet inside. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("Jo Khan", "Sam Lee", "Book the dentist", "North team", "") },
  { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("Jo ", "Book ", ""), fc.constantFrom(...HOSTILE), fc.constantFrom("", " Khan", " more")).map((parts) => parts.join("")) },
);

const isoDate = fc.integer({ min: 0, max: 365 * 6 }).map((days) => new Date(Date.UTC(2022, 0, 1) + days * 86_400_000).toISOString().slice(0, 10));

/** A date as people write it: mostly right, sometimes not a date at all. */
export const date: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: isoDate },
  { weight: 1, arbitrary: fc.constantFrom("2026-02-30", "2026–01–10", "05/01/2026", "2026-1-5", "2026-01-05T10:00", "yesterday", 20260105, null) },
  { weight: 1, arbitrary: text },
);

const bool: fc.Arbitrary<unknown> = fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom("yes", "no", "true", "on", 1, null) });

function oneOrOther<T>(valid: readonly T[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: text });
}

const action = fc.record(
  { action: text, who: text, when: date, done: date, starred: bool },
  { requiredKeys: ["action", "when"] },
);

const placement = fc.record(
  {
    start: date,
    end: date,
    type: oneOrOther(["foster-care", "connected-person", "childrens-home", "supported-accommodation", "other"]),
    provider: text,
    permanent: bool,
    emergency: bool,
  },
  { requiredKeys: ["start", "type"] },
);

/** A child's profile as data. */
function profile(id: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      type: fc.constant("child"),
      id: fc.oneof({ weight: 9, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: text }),
      name: text,
      dob: date,
      looked_after_since: date,
      left_care: date,
      legal_status: oneOrOther(["care-order", "interim-care-order", "section-20", "short-breaks", "placement-order", "remand"]),
      iro: fc.record({ name: text, email: fc.constantFrom("iro@example.org", "not an email") }, { requiredKeys: ["name"] }),
      social_worker: fc.record({ name: text, team: text }, { requiredKeys: [] }),
      placements: fc.array(placement, { maxLength: 3 }),
    },
    { requiredKeys: ["type", "id", "name", "dob", "looked_after_since", "legal_status", "iro", "social_worker", "placements"] },
  );
}

/** A document of a type as data: its fields, some left out, some wrong. */
function fields(type: string, child: string): fc.Arbitrary<Record<string, unknown>> {
  const common = { type: fc.oneof({ weight: 9, arbitrary: fc.constant(type) }, { weight: 1, arbitrary: text }), child: fc.oneof({ weight: 9, arbitrary: fc.constant(child) }, { weight: 1, arbitrary: text }), date };
  const own: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
    "care-plan": { permanence_plan: oneOrOther(["not-yet-agreed", "adoption", "long-term-fostering", "return-home"]), actions: fc.array(action, { maxLength: 3 }) },
    "placement-plan": { placement_start: date },
    "care-planning-meeting": { distributed: date, actions: fc.array(action, { maxLength: 3 }) },
    review: { record_circulated: date, next_review: date, actions: fc.array(action, { maxLength: 3 }) },
    visit: { seen_alone: bool, unannounced: bool },
    assessment: { kind: oneOrOther(["child-and-family", "parenting"]) },
  };
  const all = { ...common, ...(own[type] ?? {}), extra: text };
  return fc.record(all, { requiredKeys: ["type", "child", "date"] });
}

/** A body: headings from the templates and others, at several levels, with text, comments and fences between. */
const body: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom("## ", "## ", "### ", "# ", "##", "**"), fc.oneof(fc.constantFrom(...HEADINGS), text), fc.constantFrom("", ":", " ##", "**")).map((parts) => parts.join("")) },
      { weight: 3, arbitrary: text },
      { weight: 1, arbitrary: fc.constantFrom("<!-- guidance -->", "```\n## not a heading\n```", "<!--", "---", "    ## indented", "> ## quoted", "1. ## listed") },
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join("\n"));

/** Front matter as YAML: written by a YAML library, or line by line as a person might (unquoted, so sometimes not YAML). */
function frontMatter(data: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: data.map((d) => stringify(d)) },
    { weight: 1, arbitrary: data.map((d) => Object.entries(d).map(([key, value]) => `${key}: ${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`).join("\n") + "\n") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "a: &a [1, 2]\nb: *a\nc: *a\n",
        "__proto__: { polluted: true }\nconstructor: { prototype: { x: 1 } }\n",
        'f: !!js/function "function () { return 1 }"\nr: !!js/regexp /x/\nb: !!binary aGVsbG8=\nt: !custom x\n',
        "x: [" + "[".repeat(30) + "]".repeat(30) + "]\n",
        "list:\n" + "  - x\n".repeat(1500),
        "\ttype: visit\n",
        "type: visit\ntype: review\n",
        "? [a, b]\n: c\n",
        "%YAML 1.1\n---\nx: y\n",
      ),
    },
  );
}

/** How a document's text is laid out on disk: line ends, a BOM, stray bytes. */
type Layout = { eol: "\n" | "\r\n" | "\r" | "mixed"; bom: boolean; damage: "none" | "nul" | "invalid-utf8" | "truncate" | "js" | "unclosed" };

const layout: fc.Arbitrary<Layout> = fc.record({
  eol: fc.constantFrom<Layout["eol"]>("\n", "\n", "\n", "\r\n", "\r", "mixed"),
  bom: fc.boolean(),
  damage: fc.constantFrom<Layout["damage"]>("none", "none", "none", "none", "nul", "invalid-utf8", "truncate", "js", "unclosed"),
});

function lay(front: string, bodyText: string, how: Layout, cut: number): Buffer {
  const opening = how.damage === "js" ? "---js\n" : "---\n";
  const closing = how.damage === "unclosed" ? "" : "---\n";
  let textOut = `${opening}${front}${closing}${bodyText}\n`;
  if (how.eol === "mixed") textOut = textOut.split("\n").map((line, i) => line + ["\n", "\r\n", "\r"][i % 3]).join("");
  else if (how.eol !== "\n") textOut = textOut.replace(/\n/g, how.eol);
  let bytes = Buffer.from((how.bom ? "\uFEFF" : "") + textOut, "utf8");
  const at = Math.floor(cut * bytes.length);
  if (how.damage === "nul") bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]);
  if (how.damage === "invalid-utf8") bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), bytes.subarray(at)]);
  if (how.damage === "truncate") bytes = bytes.subarray(0, at);
  return bytes;
}

/** A document's bytes: laid out from data, or random bytes. */
function documentBytes(data: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.tuple(frontMatter(data), body, layout, fc.double({ min: 0, max: 1, noNaN: true })).map(([front, b, how, cut]) => lay(front, b, how, cut)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  );
}

/** A file or folder name: usually a good one, sometimes anything the file system takes. */
function name(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const odd = fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 24 }), fc.tuple(good, fc.constantFrom(...HOSTILE)).map(([g, h]) => g.replace(/(\.md)?$/, `${h}$1`)));
  return fc
    .oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: odd })
    .map((n) => n.replace(/[/\u0000]/g, "_").slice(0, 80))
    .filter((n) => n !== "" && n !== "." && n !== ".." && Buffer.byteLength(n) < 200);
}

const childId = name(fc.stringMatching(/^[A-Z]{2}-[0-9]{1,3}$/));

export interface GeneratedFile {
  path: string[];
  bytes: Buffer;
}

export interface GeneratedRepository {
  config: Buffer | undefined;
  files: GeneratedFile[];
  children: string[];
}

function child(id: string): fc.Arbitrary<GeneratedFile[]> {
  const profileFile = fc.option(documentBytes(profile(id)), { freq: 6 }).map((bytes) => (bytes === null ? [] : [{ path: ["children", id, "child.md"], bytes }]));
  const document = fc.constantFrom(...TYPES).chain((type) =>
    fc.tuple(name(fc.tuple(isoDate, fc.constantFrom("", "-second")).map(([d, slug]) => `${d}-${type}${slug}.md`)), documentBytes(fields(type, id))).map(([file, bytes]) => ({ path: ["children", id, file], bytes })),
  );
  return fc.tuple(profileFile, fc.array(document, { maxLength: 5 })).map(([p, docs]) => [...p, ...docs]);
}

/** A good careplan.yaml's settings: any of the keys, each with a value careplan takes. */
const goodConfig = fc.record(
  {
    policy: fc.constantFrom("england", ["england", "care-planning-meetings"], ["england", "newcastle"]),
    closures: fc.array(isoDate, { maxLength: 3 }),
    severity: fc.dictionary(fc.constantFrom("section-empty", "consistency", "timescale/*", "timescale/visit", "schema"), fc.constantFrom("error", "warning", "off"), { maxKeys: 2 }),
    rules: fc.record(
      {
        visit: fc.oneof(fc.constant("off"), fc.record({ interval: fc.integer({ min: 1, max: 12 }), unit: fc.constantFrom("weeks", "months") }), fc.record({ title: text })),
        "sibling-contact": fc.record({ kind: fc.constant("recurrence"), title: text.filter((t) => t.trim() !== ""), type: fc.constantFrom("visit", "review"), interval: fc.integer({ min: 1, max: 12 }), unit: fc.constantFrom("weeks", "months") }),
      },
      { requiredKeys: [] },
    ),
    limits: fc.record({ list_items: fc.integer({ min: 1, max: 3000 }), nesting: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
    ignore: fc.array(fc.constantFrom("children/_archive/**", "**/*.draft.md"), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** Values careplan refuses, for one key of an otherwise good careplan.yaml. */
const badSetting = fc.constantFrom<[string, unknown][]>(
  [["policy", "englnd"]],
  [["closures", ["2026-02-30"]]],
  [["severity", { "section-empty": "loud" }]],
  [["rules", { visit: { interval: 20000, unit: "days" } }]],
  [["rules", { nothing: "off" }]],
  [["limits", { list_items: 0 }]],
  [["ignore", ["../up"]]],
  [["children", "../elsewhere"]],
  [["unknown", 1]],
);

/** careplan.yaml: none, good ones of every kind, one with a bad setting, and text or bytes that are no configuration. */
const config: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 8, arbitrary: goodConfig.map((c) => Buffer.from(stringify(c))) },
  { weight: 1, arbitrary: fc.tuple(goodConfig, badSetting).map(([c, bad]) => Buffer.from(stringify({ ...c, ...Object.fromEntries(bad) }))) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.oneof(text, fc.constantFrom("policy: [england\n", "a: &a [*a]\n", "policy: england\npolicy: england\n")).map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes)),
    ),
  },
);

export const repository: fc.Arbitrary<GeneratedRepository> = fc
  .tuple(config, fc.uniqueArray(childId, { minLength: 1, maxLength: 3 }))
  .chain(([configBytes, ids]) => fc.tuple(...ids.map(child)).map((files) => ({ config: configBytes, files: files.flat(), children: ids })));

/** Writes the repository under `root`; a name the file system refuses is left out. */
export function writeRepository(root: string, generated: GeneratedRepository): void {
  mkdirSync(join(root, "children"), { recursive: true });
  if (generated.config !== undefined) writeFileSync(join(root, "careplan.yaml"), generated.config);
  for (const file of generated.files) {
    try {
      mkdirSync(join(root, ...file.path.slice(0, -1)), { recursive: true });
      writeFileSync(join(root, ...file.path), file.bytes);
    } catch {
      // a name this file system does not take (too long, or a folder where a file was written)
    }
  }
}

/** The value a new document of each type needs, so that `new --dry-run` without a terminal gets past asking. */
const REQUIRED_SETS: Record<string, string[]> = {
  "care-plan": ["permanence_plan=adoption"],
  "placement-plan": ["placement_start=2026-01-05"],
  visit: ["seen_alone=true"],
  assessment: ["kind=child-and-family"],
};

/** A command line to run from the repository's root, and whether its output is CRLF text (iCalendar, CSV). */
export interface Invocation {
  args: string[];
  crlf: boolean;
  /** A file it writes outside the repository (-o), as a name. */
  output?: string;
}

export function invocation(children: readonly string[]): fc.Arbitrary<Invocation> {
  const asOf = isoDate;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(asOf, fc.constantFrom(...CHECK_FORMATS), fc.subarray(["--quiet", "--fix-dry-run", "--no-baseline"]))
        .map(([day, format, extra]) => ({ args: ["check", "--as-of", day, "--format", format, ...extra], crlf: false })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(asOf, fc.constantFrom(...TIMELINE_FORMATS), fc.constantFrom([], ["--all"], ["--within", "90"]), fc.constantFrom([], ["--group", "child"]), fc.option(fc.constantFrom(...children)))
        .map(([day, format, scope, group, only]) => ({ args: ["timeline", "--as-of", day, "--format", format, ...scope, ...group, ...(only ? ["--child", only] : [])], crlf: format === "ics" })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(asOf, fc.integer({ min: 0, max: 800 }), fc.constantFrom(...STATS_FORMATS), fc.constantFrom(...STATS_BY))
        .map(([to, days, format, by]) => {
          const from = new Date(Date.parse(to) - days * 86_400_000).toISOString().slice(0, 10);
          return { args: ["stats", "--from", from, "--to", to, "--format", format, "--by", by], crlf: format === "csv" };
        }),
    },
    { weight: 1, arbitrary: fc.tuple(asOf, fc.constantFrom(...STATS_FORMATS)).map(([day, format]) => ({ args: ["stats", "--snapshot", day, "--format", format], crlf: format === "csv" })) },
    { weight: 1, arbitrary: asOf.map((day) => ({ args: ["report", "--as-of", day, "-o", "REPORT"], crlf: false, output: "report.html" })) },
    { weight: 1, arbitrary: fc.constant({ args: ["templates", "list"], crlf: false }) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...children), asOf).map(([type, id, day]) => ({
        args: ["new", type, "--child", id, "--date", day, "--dry-run", "--force", ...(REQUIRED_SETS[type] ?? []).flatMap((set) => ["--set", set])],
        crlf: false,
      })),
    },
  );
}
