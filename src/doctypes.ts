// The document types careplan knows: each form's versions, with the JSON Schema derived from
// its template in memory (schemas/ holds the same for editors and other tools).
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { newAjv } from "./common/ajv.js";
import { TEMPLATES_DIR } from "./assets.js";
import type { IsoDate } from "./common/dates.js";
import { loadBuiltInForms, type Form } from "./templates/forms.js";
import { CAREPLAN_KEYWORD, deriveSchema, type CareplanKeyword, type JsonSchema } from "./templates/schema.js";
import type { Template } from "./templates/template.js";

export interface DocumentType {
  type: string;
  title: string;
  schema: JsonSchema;
  sections: CareplanKeyword["sections"];
  /** Every violation of the schema (ajv with allErrors), or none. Remembered per parsed front matter. */
  validate(data: unknown): readonly ErrorObject[];
  /**
   * The violations of the fields named, at least (all of them when the whole front matter was
   * validated already). A field's schema stands alone, so the other fields cannot change its
   * errors: a timeline validates the few fields it reads rather than every field of every document.
   */
  validateFields(data: unknown, fields: readonly string[]): readonly ErrorObject[];
  /** The first day this version of the form is in force; undefined for the first version. */
  since: IsoDate | undefined;
  /** The template this version derives from: its fields, sections and guidance in order. */
  template: Template;
  /** The version of this type in force on a date (the first version before any other's `since`). */
  at(date: IsoDate): DocumentType;
}

export function createAjv(): Ajv2020 {
  const ajv = newAjv({ allErrors: true, strict: true }, ["date", "email"]);
  ajv.addKeyword({ keyword: CAREPLAN_KEYWORD, schemaType: "object" });
  return ajv;
}

/**
 * The types of a set of forms, each entry the version in force on `current` (the as-of date of a
 * run; the latest version without one). Schemas are compiled when first used.
 */
export function documentTypes(forms: ReadonlyMap<string, Form>, current?: IsoDate): Map<string, DocumentType> {
  // One ajv for the run's schemas, made when the first is compiled.
  let made: Ajv2020 | undefined;
  const ajv = () => (made ??= createAjv());
  const types = new Map<string, DocumentType>();
  for (const form of forms.values()) {
    const versions: DocumentType[] = form.versions.map((template) => versionType(template, ajv, (date) => at(date)));
    const at = (date: IsoDate): DocumentType => {
      let found = versions[0]!;
      for (const version of versions) if (version.since !== undefined && version.since <= date) found = version;
      return found;
    };
    types.set(form.type, current === undefined ? versions[versions.length - 1]! : at(current));
  }
  return types;
}

function versionType(template: Template, ajv: () => Ajv2020, at: (date: IsoDate) => DocumentType): DocumentType {
  const schema = deriveSchema(template);
  let compiled: ValidateFunction | undefined;
  // check's schema rule and the timeline's facts both validate each document: once is enough.
  const results = new WeakMap<object, readonly ErrorObject[]>();
  const byFields = new Map<string, ValidateFunction>();
  return {
    type: template.type,
    title: template.title,
    schema,
    sections: (schema[CAREPLAN_KEYWORD] as CareplanKeyword).sections,
    since: template.since,
    template,
    at,
    validate(data) {
      const known = typeof data === "object" && data !== null ? results.get(data) : undefined;
      if (known) return known;
      compiled ??= ajv().compile(schema);
      const errors = compiled(data) ? [] : [...(compiled.errors ?? [])];
      if (typeof data === "object" && data !== null) results.set(data, errors);
      return errors;
    },
    validateFields(data, fields) {
      const known = typeof data === "object" && data !== null ? results.get(data) : undefined;
      if (known) return known;
      const key = fields.join("\0");
      let validate = byFields.get(key);
      if (!validate) byFields.set(key, (validate = ajv().compile(fieldsSchema(schema, fields))));
      return validate(data) ? [] : [...(validate.errors ?? [])];
    },
  };
}

/**
 * The schema of a front matter's named fields alone: their properties, and those of them required,
 * in the schema's own order (so that the first error is the one the whole schema gives first).
 */
function fieldsSchema(schema: JsonSchema, fields: readonly string[]): JsonSchema {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(properties).filter(([field]) => fields.includes(field))),
    required: required.filter((field) => fields.includes(field)),
  };
}

/** The built-in types alone (no repository's own forms), as in force on `current`. */
export function loadDocumentTypes(current?: IsoDate): Map<string, DocumentType> {
  return documentTypes(loadBuiltInForms(TEMPLATES_DIR), current);
}

/** The path of the field an error is about, as steps (numbers for list items). */
export function errorPath(error: ErrorObject): (string | number)[] {
  const steps = error.instancePath === "" ? [] : error.instancePath.slice(1).split("/").map(unescapePointer);
  if (error.keyword === "required") steps.push((error.params as { missingProperty: string }).missingProperty);
  return steps.map((step) => (/^\d+$/.test(step) ? Number(step) : step));
}

function unescapePointer(step: string): string {
  return step.replace(/~1/g, "/").replace(/~0/g, "~");
}
