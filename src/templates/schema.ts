// Derives a type's JSON Schema (2020-12) from its template. The schemas in schemas/ are this
// function's output, written by `npm run schemas`; a test fails when they are stale.
import { ID_PATTERN } from "../common/ids.js";
import { type FieldDecl, type Template } from "./template.js";

export type JsonSchema = Record<string, unknown>;

/** Our own keyword: what the schema language cannot say (the type and its sections). */
export const CAREPLAN_KEYWORD = "x-careplan";

export interface CareplanKeyword {
  type: string;
  title: string;
  template: string;
  /** The first day this version of the form is in force (absent: the first version). */
  since?: string;
  sections: { required: string[]; optional: string[] };
}

export const DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

export function deriveSchema(template: Template): JsonSchema {
  const keyword: CareplanKeyword = {
    type: template.type,
    title: template.title,
    template: template.file,
    ...(template.since ? { since: template.since } : {}),
    sections: {
      required: template.sections.filter((s) => s.required).map((s) => s.heading),
      optional: template.sections.filter((s) => !s.required).map((s) => s.heading),
    },
  };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `urn:careplan:schema:${template.type}${template.since ? `:since:${template.since}` : ""}`,
    title: template.title,
    description: template.description.trim(),
    ...objectSchema(template.fields),
    [CAREPLAN_KEYWORD]: keyword,
  };
}

function objectSchema(fields: Record<string, FieldDecl>): JsonSchema {
  const required = Object.entries(fields).filter(([, f]) => f.required).map(([name]) => name);
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, fieldSchema(field)])),
    ...(required.length > 0 ? { required } : {}),
  };
}

export function fieldSchema(field: FieldDecl): JsonSchema {
  const annotations: JsonSchema = {
    ...(field.description ? { description: field.description } : {}),
    ...(field.default !== undefined ? { default: field.default } : {}),
    ...(field.examples ? { examples: field.examples } : {}),
  };
  switch (field.type) {
    case "string":
      return { type: "string", minLength: 1, ...annotations };
    case "date":
      return { type: "string", pattern: DATE_PATTERN, format: "date", ...annotations };
    case "boolean":
      return { type: "boolean", ...annotations };
    case "integer":
      return { type: "integer", ...annotations };
    case "email":
      return { type: "string", format: "email", ...annotations };
    case "id":
      return { type: "string", pattern: ID_PATTERN, ...annotations };
    case "enum": {
      const values = Object.keys(field.values ?? {});
      // One value is a constant (the document's own type); otherwise list the meanings for editors.
      const meanings = Object.entries(field.values ?? {}).map(([value, meaning]) => `${value}: ${meaning}`);
      return values.length === 1
        ? { const: values[0], ...annotations }
        : { type: "string", enum: values, ...annotations, description: [field.description, ...meanings].filter(Boolean).join("\n") };
    }
    case "object":
      return { ...objectSchema(field.fields ?? {}), ...annotations };
    case "list":
      return { type: "array", items: field.items ? fieldSchema(field.items) : {}, ...annotations };
  }
}
