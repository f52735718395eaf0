// A template is the one place a document type is declared: its fields (in the template's front
// matter) and its sections (the `## ` headings of its body). Schemas, `careplan new`, the section
// rules and `check --fix` all derive from what is read here. Built-in templates (templates/) and
// an authority's own (the folder careplan.yaml names) are read alike; a problem in one is
// reported with its file, key and line.
import { problemWords, readRegularFile, readTextFileOrFail } from "../common/read-file.js";
import { join } from "node:path";
import jsYaml from "js-yaml";
import { normaliseText, splitFrontMatter } from "../casefile/frontmatter.js";
import { scanSections } from "../casefile/sections.js";
import { locateInYaml, parseFrontMatterYaml } from "../casefile/yaml.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { bodyProblems } from "./body.js";
import { declarationProblems, type Declaration, type FIELD_KINDS, type PREFILL_SOURCES, type RawField } from "./declaration.js";

export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldDecl {
  type: FieldKind;
  required?: boolean;
  description?: string;
  default?: unknown;
  /** enum: allowed value → its meaning. */
  values?: Record<string, string>;
  examples?: unknown[];
  /** What `careplan new` copies from the child's profile (see scaffold.ts). */
  prefill?: (typeof PREFILL_SOURCES)[number];
  fields?: Record<string, FieldDecl>;
  items?: FieldDecl;
}

export interface TemplateSection {
  heading: string;
  required: boolean;
  /** The template's guidance under the heading: its HTML comments as written, or "". */
  guidance: string;
  /** The section's source in the body, heading first, up to the next section (Handlebars). */
  block: string;
}

export interface Template {
  type: string;
  title: string;
  description: string;
  /** The first day this version of the form is in force; undefined for a form with one version. */
  since: IsoDate | undefined;
  /** Every field of the type in document order: type, child and date, the template's own, then waivers. */
  fields: Record<string, FieldDecl>;
  sections: TemplateSection[];
  /** What comes before the first section (the title line). */
  preamble: string;
  /** Handlebars source of the body: the preamble, then each section's block. */
  body: string;
  /** Where it was read, as users see it: templates/visit.md, or a path in the case-file repository. */
  file: string;
}

/** The type whose documents describe the child and carry `id` instead of `child` and `date`. */
export const PROFILE_TYPE = "child";

/** A type's name: what its documents' file names carry after the date. */
export const TYPE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;

export interface TemplateProblem {
  file: string;
  line: number;
  /** The dotted key at fault, when there is one. */
  key?: string;
  message: string;
}

export function formatTemplateProblem(problem: TemplateProblem): string {
  return `${problem.file}:${problem.line}: ${problem.key ? `\`${problem.key}\` ` : ""}${problem.message}`;
}

export interface Shared {
  vocabularies: Record<string, { description?: string; values: Record<string, string> }>;
  fields: Record<string, RawField>;
}

/** No template or shared declaration comes near this; a larger file is not one. */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

export function loadShared(dir: string): Shared {
  return jsYaml.load(readTextFileOrFail(join(dir, "shared.yaml"), MAX_TEMPLATE_BYTES), { schema: jsYaml.CORE_SCHEMA }) as Shared;
}

/** One template file as read: its declaration (checked for form) and its body, not yet resolved. */
export interface TemplateSource {
  type: string;
  file: string;
  declaration: Declaration;
  since: IsoDate | undefined;
  body: string;
  bodyFirstLine: number;
  /** The file line of a key of the front matter (line 1 when it is not there). */
  lineOf(path: readonly (string | number)[]): number;
}

/** Collects problems against one file, at the line of a key. */
export class ProblemList {
  readonly problems: TemplateProblem[] = [];
  add(source: Pick<TemplateSource, "file" | "lineOf">, path: readonly (string | number)[], message: string): void {
    this.problems.push({ file: source.file, line: source.lineOf(path), ...(path.length > 0 ? { key: path.join(".") } : {}), message });
  }
  /** A problem at a line found otherwise than by key (in the body, say). */
  push(file: string, line: number, message: string): void {
    this.problems.push({ file, line, message });
  }
  get count(): number {
    return this.problems.length;
  }
}

/** A template file's name: `<type>.md`, or `<type>.<label>.md` for another version of the form. */
export function templateFileType(name: string): { type: string } | undefined {
  const match = /^([^.]+)(?:\.[A-Za-z0-9_-]+)?\.md$/.exec(name);
  return match && TYPE_NAME.test(match[1]!) ? { type: match[1]! } : undefined;
}

/**
 * `checked`: the declaration is held to its schema (false only for careplan's own templates, which
 * the tests hold to it: test/templates/built-in.test.ts), so that a run does not compile it.
 */
export function readTemplateSource(path: string, file: string, type: string, problems: ProblemList, checked = true): TemplateSource | undefined {
  const at = { file, lineOf: () => 1 };
  // Checked before it is opened, as case files are: a pipe or a device is never opened.
  const read = readRegularFile(path, MAX_TEMPLATE_BYTES);
  if (!read.ok) {
    problems.add(at, [], `cannot be read: ${problemWords(read.problem)}.`);
    return undefined;
  }
  const text = normaliseText(read.bytes.toString("utf8"));
  const split = splitFrontMatter(text);
  if (split.yaml === undefined || split.unterminated) {
    problems.add(at, [], "a template begins with its declaration between two `---` lines: title, fields and sections (see docs/own-forms.md).");
    return undefined;
  }
  const yamlSource = split.yaml;
  const parsed = parseFrontMatterYaml(yamlSource, split.yamlFirstLine);
  if (!parsed.ok) {
    problems.push(file, parsed.problem.line, `${parsed.problem.message} (in the template's declaration).`);
    return undefined;
  }
  const data = parsed.data ?? {};
  const lineOf = (keyPath: readonly (string | number)[]) => (keyPath.length === 0 ? 1 : locateInYaml(yamlSource, split.yamlFirstLine, keyPath).line);
  const source = { file, lineOf };
  const found = checked ? declarationProblems(data) : [];
  for (const problem of found) problems.add(source, problem.path, problem.message);
  if (found.length > 0) return undefined;
  const declaration = data as Declaration;
  if (declaration.since !== undefined && !isIsoDate(declaration.since)) {
    problems.add(source, ["since"], "must be the first day this version of the form is in force, a real date written YYYY-MM-DD.");
    return undefined;
  }
  return { type, file, declaration, since: declaration.since, body: split.body, bodyFirstLine: split.bodyFirstLine, lineOf };
}

/** A template that declares its type whole: its fields, and its body's `## ` headings as sections. */
/** `checked`: the body's {{ }} are checked (false only for careplan's own templates, as for their declarations). */
export function buildTemplate(source: TemplateSource, shared: Shared, problems: ProblemList, checked = true): Template | undefined {
  const before = problems.count;
  const { declaration } = source;
  if (declaration.title === undefined) problems.add(source, [], "needs a `title`: the form's name as people say it, for example `title: Return interview`.");
  for (const key of ["add", "remove", "rename"] as const) {
    if (declaration.sections?.[key] !== undefined) problems.add(source, ["sections", key], "is for a template that extends another (`extends: <type>`); this one declares its sections as `## ` headings in its body.");
  }
  const fields = resolveFields(source, shared, problems);
  const parsed = parseBody(source, new Set(declaration.sections?.optional ?? []), problems, checked);
  if (problems.count > before || !parsed) return undefined;
  return {
    type: source.type,
    title: declaration.title!,
    description: declaration.description ?? "",
    since: source.since,
    fields: { ...commonFields(source.type).leading, ...fields, ...commonFields(source.type).trailing },
    sections: parsed.sections,
    preamble: parsed.preamble,
    body: source.body,
    file: source.file,
  };
}

/** The template's own fields, resolved against the shared declarations. */
export function resolveFields(source: TemplateSource, shared: Shared, problems: ProblemList): Record<string, FieldDecl> {
  const fields: Record<string, FieldDecl> = {};
  const common = commonFields(source.type);
  for (const [name, raw] of Object.entries(source.declaration.fields ?? {})) {
    const path = ["fields", name];
    if (!isFieldName(name)) {
      problems.add(source, path, "is not a field name a template can use: lower-case letters, digits and _, starting with a letter.");
      continue;
    }
    if (Object.hasOwn(common.leading, name) || Object.hasOwn(common.trailing, name)) {
      problems.add(source, path, "is a field every document has already: leave it out of `fields`.");
      continue;
    }
    const field = resolveField(raw, shared, path, source, problems);
    if (field) fields[name] = field;
  }
  return fields;
}

export function isFieldName(name: string): boolean {
  return FIELD_NAME.test(name) && !(name in Object.prototype);
}

function resolveField(raw: RawField, shared: Shared, path: (string | number)[], source: TemplateSource, problems: ProblemList): FieldDecl | undefined {
  const { use, values, fields, items, ...rest } = raw;
  let base: FieldDecl | undefined;
  if (use !== undefined) {
    const sharedField = Object.hasOwn(shared.fields, use) ? shared.fields[use] : undefined;
    if (!sharedField) {
      problems.add(source, [...path, "use"], `names no shared field. The shared fields are: ${Object.keys(shared.fields).join(", ")}.`);
      return undefined;
    }
    base = resolveField(sharedField, shared, path, source, problems);
    if (!base) return undefined;
  } else if (rest.type === undefined) {
    problems.add(source, path, "needs a `type` (string, date, boolean, integer, enum, email, id, object or list), or `use` to take a shared field.");
    return undefined;
  }
  const field: FieldDecl = { ...base, ...stripUndefined(rest), type: rest.type ?? base!.type };
  if (values !== undefined) {
    const resolved = resolveValues(values, shared);
    if (!resolved) problems.add(source, [...path, "values"], `names no shared list of values. The lists are: ${Object.keys(shared.vocabularies).join(", ")}.`);
    else field.values = resolved;
  }
  if (fields !== undefined) {
    field.fields = {};
    for (const [name, part] of Object.entries(fields)) {
      if (!isFieldName(name)) {
        problems.add(source, [...path, "fields", name], "is not a field name a template can use: lower-case letters, digits and _, starting with a letter.");
        continue;
      }
      const resolved = resolveField(part, shared, [...path, "fields", name], source, problems);
      if (resolved) field.fields[name] = resolved;
    }
  }
  if (items !== undefined) {
    const resolved = resolveField(items, shared, [...path, "items"], source, problems);
    if (resolved) field.items = resolved;
  }
  if (field.type === "enum" && (!field.values || Object.keys(field.values).length === 0)) problems.add(source, path, "is an enum: list its `values`, or name a shared list of them.");
  if (field.type === "object" && !field.fields) problems.add(source, path, "is an object: declare its parts under `fields`.");
  return field;
}

function resolveValues(values: string | Record<string, string>, shared: Shared): Record<string, string> | undefined {
  if (typeof values !== "string") return values;
  return Object.hasOwn(shared.vocabularies, values) ? shared.vocabularies[values]!.values : undefined;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The body's sections: each `## ` heading with its block (up to the next one) and guidance.
 * Headings listed as optional must be headings of the body.
 */
function parseBody(source: TemplateSource, optional: Set<string>, problems: ProblemList, checked: boolean): { preamble: string; sections: TemplateSection[] } | undefined {
  const before = problems.count;
  for (const problem of checked ? bodyProblems(source.body) : []) problems.push(source.file, problem.line + source.bodyFirstLine - 1, problem.message);
  const lines = source.body.split(/(?<=\n)/);
  const found = scanSections(source.body, 1);
  const seen = new Set<string>();
  const sections: TemplateSection[] = [];
  found.forEach((section, index) => {
    const line = section.line + source.bodyFirstLine - 1;
    if (!/^ {0,3}## /.test(lines[section.line - 1] ?? "")) problems.push(source.file, line, "write each section's heading on one line as `## Heading`.");
    if (seen.has(section.heading.toLowerCase())) problems.push(source.file, line, `the section "${section.heading}" is in the body twice: keep one.`);
    seen.add(section.heading.toLowerCase());
    const next = found[index + 1]?.line ?? lines.length + 1;
    sections.push(sectionOf(section.heading, !optional.has(section.heading), lines.slice(section.line - 1, next - 1).join("")));
  });
  for (const [index, heading] of [...optional].entries()) {
    if (!seen.has(heading.toLowerCase())) problems.add(source, ["sections", "optional", index], `names "${heading}", which is not a \`## \` heading of the body.`);
  }
  if (problems.count > before) return undefined;
  return { preamble: lines.slice(0, (found[0]?.line ?? lines.length + 1) - 1).join(""), sections };
}

/** Each `<!-- ... -->` in the text, found with indexOf: as a lazy pattern, many openings that never close backtrack. */
function htmlComments(text: string): string[] {
  const found: string[] = [];
  for (let at = text.indexOf("<!--"); at !== -1; ) {
    const close = text.indexOf("-->", at + 4);
    if (close === -1) break;
    found.push(text.slice(at, close + 3));
    at = text.indexOf("<!--", close + 3);
  }
  return found;
}

export function sectionOf(heading: string, required: boolean, block: string): TemplateSection {
  const afterHeading = block.slice(block.indexOf("\n") + 1);
  const guidance = htmlComments(afterHeading).join("\n");
  return { heading, required, guidance, block };
}

/** The fields every document has: type, child and date before the template's own, waivers after. */
export function commonFields(type: string): { leading: Record<string, FieldDecl>; trailing: Record<string, FieldDecl> } {
  const typeField: FieldDecl = { type: "enum", required: true, values: { [type]: "this document's type" }, description: `The document's type: always ${type}.` };
  const waivers: FieldDecl = {
    type: "list",
    description: "Findings of `careplan check` accepted on purpose, each with the rule, the reason and (optionally) the last day the waiver holds.",
    items: {
      type: "object",
      fields: {
        rule: { type: "string", required: true, description: "The rule id the waiver covers, for example timescale/visit or section-empty." },
        reason: { type: "string", required: true, description: "Why the finding is accepted: a waiver without a reason waives nothing." },
        until: { type: "date", description: "The last day the waiver holds, written YYYY-MM-DD." },
      },
    },
  };
  if (type === PROFILE_TYPE) return { leading: { type: typeField }, trailing: { waivers } };
  return {
    leading: {
      type: typeField,
      child: { type: "id", required: true, description: "The child's id: the name of the child's folder." },
      date: { type: "date", required: true, description: "The day the document records (plan agreed, meeting or review held, visit made, assessment completed), written YYYY-MM-DD." },
    },
    trailing: { waivers },
  };
}
