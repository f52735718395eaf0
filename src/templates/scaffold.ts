// Building a new document from its template: values from the profile, defaults and --set, typed
// by the field declarations, written by a YAML serializer (never pasted into text) so that a value
// holding `---`, quotes, newlines or `{{` cannot break or inject into the document.
import { Document } from "yaml";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { isValidChildId } from "../common/ids.js";
import { renderBody } from "./body.js";
import type { PREFILL_SOURCES } from "./declaration.js";
import { PROFILE_TYPE, type FieldDecl, type Template } from "./template.js";

export type Data = Record<string, unknown>;

/** A field the document still needs: its dotted key and the form of the value. */
export interface MissingField {
  key: string;
  field: FieldDecl;
}

/** How to write a field's value, for messages and prompts (a form, never a value). */
export function expectedForm(field: FieldDecl): string {
  switch (field.type) {
    case "date":
      return "YYYY-MM-DD";
    case "boolean":
      return "true|false";
    case "integer":
      return "<whole number>";
    case "enum":
      return Object.keys(field.values ?? {}).join("|");
    case "email":
      return "<email address>";
    case "id":
      return "<id: letters, digits, - and _>";
    default:
      return "<text>";
  }
}

/** Reads a --set value as its field's type. Returns the typed value, or the reason it is not one. */
export function typeValue(field: FieldDecl, raw: string): { ok: true; value: unknown } | { ok: false; expected: string } {
  switch (field.type) {
    case "date":
      return isIsoDate(raw) ? { ok: true, value: raw } : { ok: false, expected: "a real date written YYYY-MM-DD" };
    case "boolean": {
      // The tool writes YAML's true or false itself, so a person may answer as they would say it.
      const answer = raw.trim().toLowerCase();
      if (["true", "yes", "y"].includes(answer)) return { ok: true, value: true };
      if (["false", "no", "n"].includes(answer)) return { ok: true, value: false };
      return { ok: false, expected: "true or false (yes or no)" };
    }
    case "integer":
      return /^-?\d+$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false, expected: "a whole number" };
    case "enum":
      return Object.hasOwn(field.values ?? {}, raw) ? { ok: true, value: raw } : { ok: false, expected: `one of ${Object.keys(field.values ?? {}).join(", ")}` };
    case "id":
      return isValidChildId(raw) ? { ok: true, value: raw } : { ok: false, expected: "an id of letters, digits, - and _ (up to 64)" };
    case "email":
      return /^[^\s@]+@[^\s@]+$/.test(raw) ? { ok: true, value: raw } : { ok: false, expected: "an email address" };
    case "string":
      return raw.trim() !== "" ? { ok: true, value: raw } : { ok: false, expected: "some text" };
    default:
      return { ok: false, expected: "a value for each of its parts, set one by one (for example iro.name=...)" };
  }
}

/** The declaration of the field a dotted key names (`iro.name`, `placements.0.start`), if any. */
export function fieldAt(fields: Record<string, FieldDecl>, key: string): FieldDecl | undefined {
  let field: FieldDecl | undefined = { type: "object", fields };
  for (const step of key.split(".")) {
    if (field?.type === "list") field = /^\d+$/.test(step) ? field.items : undefined;
    else field = field?.fields && Object.hasOwn(field.fields, step) ? field.fields[step] : undefined;
  }
  return field;
}

/**
 * Sets a dotted key (`iro.name`, `placements.0.start`) in `data`, typed by the declarations.
 * Returns undefined on success, or a sentence naming the key and what it expects.
 */
export function setDotted(fields: Record<string, FieldDecl>, data: Data, key: string, raw: string): string | undefined {
  const steps = key.split(".");
  let container: FieldDecl = { type: "object", fields };
  let target: Data | unknown[] = data;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const where = steps.slice(0, i + 1).join(".");
    let field: FieldDecl | undefined;
    if (Array.isArray(target)) {
      if (!/^\d+$/.test(step)) return `\`${where}\`: a list item is chosen by its number, starting at 0 (for example placements.0.start)`;
      if (Number(step) > target.length) return `\`${where}\`: set item ${target.length} of the list first (items are numbered from 0 without gaps)`;
      field = container.items;
    } else {
      field = container.fields && Object.hasOwn(container.fields, step) ? container.fields[step] : undefined;
    }
    if (!field) return `\`${where}\` is not a field of this document (docs/format.md lists the fields of each type)`;
    if (i === steps.length - 1) {
      const typed = typeValue(field, raw);
      if (!typed.ok) return `\`${key}\` must be ${typed.expected}`;
      assign(target, step, typed.value);
      return undefined;
    }
    if (field.type !== "object" && field.type !== "list") return `\`${where}\` has no parts: write \`--set ${where}=...\``;
    const existing = read(target, step);
    const next = field.type === "object" ? (isPlainObject(existing) ? existing : {}) : Array.isArray(existing) ? existing : [];
    assign(target, step, next);
    target = next;
    container = field;
  }
  return undefined;
}

function read(target: Data | unknown[], step: string): unknown {
  return Array.isArray(target) ? target[Number(step)] : target[step];
}

function assign(target: Data | unknown[], step: string, value: unknown): void {
  if (Array.isArray(target)) target[Number(step)] = value;
  else target[step] = value;
}

function isPlainObject(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The required fields still without a value, walking into objects and list items that exist. */
export function missingFields(fields: Record<string, FieldDecl>, data: Data, prefix = ""): MissingField[] {
  const missing: MissingField[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const key = prefix + name;
    const value = data[name];
    if (value === undefined) {
      if (field.required) {
        if (field.type === "object") missing.push(...missingFields(field.fields ?? {}, {}, `${key}.`));
        else missing.push({ key, field });
      }
    } else if (field.type === "object" && isPlainObject(value)) {
      missing.push(...missingFields(field.fields ?? {}, value, `${key}.`));
    } else if (field.type === "list" && Array.isArray(value) && field.items?.type === "object") {
      value.forEach((item, index) => {
        if (isPlainObject(item)) missing.push(...missingFields(field.items!.fields ?? {}, item, `${key}.${index}.`));
      });
    }
  }
  return missing;
}

/** The placement the document is about: the latest one begun on or before its date, else the latest. */
export function currentPlacement(profile: Data, date: IsoDate): Data | undefined {
  const placements = Array.isArray(profile.placements) ? profile.placements.filter(isPlainObject) : [];
  const started = placements.filter((p) => isIsoDate(p.start) && (p.start as string) <= date);
  const pool = started.length > 0 ? started : placements;
  return pool.reduce<Data | undefined>((latest, p) => (latest === undefined || String(p.start) >= String(latest.start) ? p : latest), undefined);
}

/** Values the profile supplies for the template's `prefill` paths. */
export function prefillFromProfile(template: Template, profile: Data, date: IsoDate): Data {
  const placement = currentPlacement(profile, date);
  const sources: Record<(typeof PREFILL_SOURCES)[number], unknown> = {
    name: profile.name,
    dob: profile.dob,
    iro: profile.iro,
    social_worker: profile.social_worker,
    legal_status: profile.legal_status,
    looked_after_since: profile.looked_after_since,
    placement,
    "placement.start": placement?.start,
    "placement.type": placement?.type,
    "placement.provider": placement?.provider,
  };
  const values: Data = {};
  for (const [name, field] of Object.entries(template.fields)) {
    if (field.prefill === undefined) continue;
    const value = sources[field.prefill];
    if (value !== undefined && value !== null) values[name] = structuredClone(value);
  }
  return values;
}

/** Defaults declared by the template for top-level fields not yet set. */
export function defaults(template: Template): Data {
  const values: Data = {};
  for (const [name, field] of Object.entries(template.fields)) {
    if (field.default !== undefined) values[name] = structuredClone(field.default);
  }
  return values;
}

/** The document's text: front matter in the template's field order, then the body. */
export function renderDocument(template: Template, data: Data, profile: Data): string {
  const ordered: Data = {};
  for (const name of Object.keys(template.fields)) if (data[name] !== undefined) ordered[name] = data[name];
  for (const [name, value] of Object.entries(data)) if (!(name in ordered)) ordered[name] = value;
  const frontMatter = new Document(ordered, { version: "1.2" }).toString({ lineWidth: 0 });
  const body = renderBody(template.body, {
    child: singleLineStrings(template.type === PROFILE_TYPE ? data : profile),
    date: typeof data.date === "string" ? data.date : undefined,
    type: template.type,
    title: template.title,
  });
  return `---\n${frontMatter}---\n${body}`;
}

/** Values shown in the Markdown body stay on their line: a newline there could start a heading. */
function singleLineStrings(data: Data): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === "string") out[key] = value.replace(/[\r\n]+/g, " ");
  }
  return out;
}
