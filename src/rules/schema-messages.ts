// ajv's errors in words a social worker understands: what was expected and how to write it,
// never the value found (it may be a child's confidential details).
import type { ErrorObject } from "ajv";
import { ID_PATTERN } from "../common/ids.js";
import { errorPath } from "../doctypes.js";
import type { JsonSchema } from "../templates/schema.js";

export function dottedKey(path: readonly (string | number)[]): string {
  return path.join(".");
}

/**
 * `data` is the front matter the error is about: it is looked at (a date typed with an en dash is
 * told so), never quoted.
 */
export function describeSchemaError(error: ErrorObject, schema: JsonSchema, data?: unknown): string {
  const path = errorPath(error);
  const key = dottedKey(path);
  const field = subschemaAt(schema, path);
  if (error.keyword === "required") return `\`${key}\` is missing: add it${field ? ` as ${expectation(field)}` : ""}`;
  if (path.length === 0) return "the front matter must be a list of `key: value` lines";
  const slip = field?.format === "date" ? dateSlip(valueAt(data, path)) : undefined;
  if (slip) return `\`${key}\` ${slip}: write it as a real date YYYY-MM-DD with plain hyphens, for example 2026-01-05`;
  return `\`${key}\` must be ${field ? expectation(field) : "written as the template shows"}`;
}

/** What is wrong with a date written almost right, in words that name the slip and never the value. */
function dateSlip(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d{4}[\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]\d{1,2}[\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]\d{1,2}$/.test(text) && /[^\d-]/.test(text)) {
    return "has a dash that is not a hyphen (an en dash or a long dash, as a word processor puts in)";
  }
  if (/^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/.test(text)) return "is written day first";
  if (/^\d{4}[/.]\d{1,2}[/.]\d{1,2}$/.test(text)) return "has / or . between its parts instead of hyphens";
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(text) && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return "needs two digits for the month and the day";
  return undefined;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const step of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function expectation(field: JsonSchema): string {
  if (field.format === "date") return "a real date written YYYY-MM-DD, for example 2026-01-05";
  if (field.const !== undefined) return `\`${String(field.const)}\``;
  if (Array.isArray(field.enum)) return `one of: ${field.enum.join(", ")}`;
  if (field.format === "email") return "an email address, for example name@example.org";
  if (field.pattern === ID_PATTERN) return "an id of 1 to 64 letters, digits, - and _, starting with a letter or digit";
  switch (field.type) {
    case "boolean":
      return "true or false (not yes or no, and not in quotes)";
    case "integer":
      return "a whole number";
    case "object":
      return "a group of fields, each on its own indented line below it";
    case "array":
      return "a list, each item on its own line starting with `- `";
    case "string":
      return "some text (put it in quotes if it looks like a number, a date or true/false)";
    default:
      return "written as the template shows";
  }
}

/** The schema of the field at `path`, following properties and items. */
export function subschemaAt(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const step of path) {
    if (current === undefined) return undefined;
    current = typeof step === "number" ? (current.items as JsonSchema | undefined) : (current.properties as Record<string, JsonSchema> | undefined)?.[step];
  }
  return current;
}
