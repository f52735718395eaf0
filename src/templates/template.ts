// A template is the one place a document type is declared: its fields (in the template's front
// matter) and its sections (the `## ` headings of its body). Schemas, `careplan new` and the
// section rules all derive from what is read here.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { normaliseText, splitFrontMatter } from "../casefile/frontmatter.js";
import { scanSections } from "../casefile/sections.js";
import { readTextFileOrFail } from "../common/read-file.js";

/** No template or shared declaration comes near this; a larger file is not one. */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

export type FieldKind = "string" | "date" | "boolean" | "integer" | "enum" | "email" | "id" | "object" | "list";

export interface FieldDecl {
  type: FieldKind;
  required?: boolean;
  description?: string;
  default?: unknown;
  /** enum: allowed value → its meaning. */
  values?: Record<string, string>;
  examples?: unknown[];
  /** A path into the child's profile that `careplan new` copies from (see prefill.ts). */
  prefill?: string;
  fields?: Record<string, FieldDecl>;
  items?: FieldDecl;
}

export interface TemplateSection {
  heading: string;
  required: boolean;
}

export interface Template {
  type: string;
  title: string;
  description: string;
  /** Every field of the type in document order: type, child and date, the template's own, then waivers. */
  fields: Record<string, FieldDecl>;
  sections: TemplateSection[];
  /** Handlebars source of the body. */
  body: string;
  file: string;
}

/** The type whose documents describe the child and carry `id` instead of `child` and `date`. */
export const PROFILE_TYPE = "child";

interface Shared {
  vocabularies: Record<string, { description?: string; values: Record<string, string> }>;
  fields: Record<string, RawField>;
}

type RawField = Partial<Omit<FieldDecl, "values" | "fields" | "items">> & {
  use?: string;
  values?: string | Record<string, string>;
  fields?: Record<string, RawField>;
  items?: RawField;
};

export function loadTemplates(dir: string): Map<string, Template> {
  const shared = parseYaml(readTextFileOrFail(join(dir, "shared.yaml"), MAX_TEMPLATE_BYTES)) as Shared;
  const templates = new Map<string, Template>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".md")) continue;
    const template = readTemplate(join(dir, name), name.slice(0, -3), shared);
    templates.set(template.type, template);
  }
  return templates;
}

function readTemplate(file: string, type: string, shared: Shared): Template {
  const split = splitFrontMatter(normaliseText(readTextFileOrFail(file, MAX_TEMPLATE_BYTES)));
  if (split.yaml === undefined) throw new Error(`${file}: a template needs a front matter declaration`);
  const declaration = parseYaml(split.yaml) as {
    title: string;
    description?: string;
    fields?: Record<string, RawField>;
    sections?: { optional?: string[] };
  };
  const optional = new Set(declaration.sections?.optional ?? []);
  const sections = scanSections(split.body, split.bodyFirstLine).map((s) => ({ heading: s.heading, required: !optional.has(s.heading) }));
  for (const heading of optional) {
    if (!sections.some((s) => s.heading === heading)) throw new Error(`${file}: optional section "${heading}" is not a heading of the body`);
  }
  const common = commonFields(type);
  const own = Object.fromEntries(Object.entries(declaration.fields ?? {}).map(([name, raw]) => [name, resolveField(raw, shared, `${file}: ${name}`)]));
  return {
    type,
    title: declaration.title,
    description: declaration.description ?? "",
    fields: { ...common.leading, ...own, ...common.trailing },
    sections,
    body: split.body,
    file,
  };
}

function resolveField(raw: RawField, shared: Shared, where: string): FieldDecl {
  const { use, values, fields, items, ...rest } = raw;
  if (use !== undefined) {
    const base = shared.fields[use];
    if (!base) throw new Error(`${where}: no shared field "${use}"`);
    return { ...resolveField(base, shared, where), ...stripUndefined(rest), ...(values ? { values: resolveValues(values, shared, where) } : {}) };
  }
  if (!rest.type) throw new Error(`${where}: a field needs a type`);
  const field: FieldDecl = { ...stripUndefined(rest), type: rest.type };
  if (values !== undefined) field.values = resolveValues(values, shared, where);
  if (fields !== undefined) field.fields = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, resolveField(v, shared, `${where}.${k}`)]));
  if (items !== undefined) field.items = resolveField(items, shared, `${where}[]`);
  if (field.type === "enum" && !field.values) throw new Error(`${where}: an enum needs values`);
  return field;
}

function resolveValues(values: string | Record<string, string>, shared: Shared, where: string): Record<string, string> {
  if (typeof values !== "string") return values;
  const vocabulary = shared.vocabularies[values];
  if (!vocabulary) throw new Error(`${where}: no vocabulary "${values}"`);
  return vocabulary.values;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The fields every document has: type, child and date before the template's own, waivers after. */
function commonFields(type: string): { leading: Record<string, FieldDecl>; trailing: Record<string, FieldDecl> } {
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
