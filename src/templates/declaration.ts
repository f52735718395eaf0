// What a template's front matter may say, as a JSON Schema, and ajv's findings about it in words
// an authority's template writer understands. Built-in and local templates are held to the same.
import type { ErrorObject, ValidateFunction } from "ajv";
import { newAjv } from "../common/ajv.js";

export const FIELD_KINDS = ["string", "date", "boolean", "integer", "enum", "email", "id", "object", "list"] as const;

/** What `careplan new` can copy from the child's profile into a field (`prefill:`). */
export const PREFILL_SOURCES = [
  "name",
  "dob",
  "iro",
  "social_worker",
  "legal_status",
  "looked_after_since",
  "placement",
  "placement.start",
  "placement.type",
  "placement.provider",
] as const;

const text = { type: "string", minLength: 1 };
/** One line: a title or heading with a line break in it could start a heading of its own in a document. */
const line = { type: "string", minLength: 1, pattern: "^[^\\r\\n]*$" };

const field = {
  type: "object",
  additionalProperties: false,
  properties: {
    type: { enum: FIELD_KINDS },
    use: text,
    required: { type: "boolean" },
    description: { type: "string" },
    default: {},
    values: { anyOf: [text, { type: "object", additionalProperties: { type: "string" } }] },
    examples: { type: "array" },
    prefill: { enum: PREFILL_SOURCES },
    fields: { type: "object", additionalProperties: { $ref: "#/$defs/field" } },
    items: { $ref: "#/$defs/field" },
  },
};

const DECLARATION_SCHEMA = {
  $defs: { field },
  type: "object",
  additionalProperties: false,
  properties: {
    title: line,
    description: { type: "string" },
    since: { type: "string" },
    extends: text,
    fields: { type: "object", additionalProperties: { $ref: "#/$defs/field" } },
    sections: {
      type: "object",
      additionalProperties: false,
      properties: {
        optional: { type: "array", items: text },
        add: {
          type: "array",
          items: {
            type: "object",
            required: ["heading"],
            additionalProperties: false,
            properties: { heading: text, after: text, guidance: { type: "string" }, optional: { type: "boolean" } },
          },
        },
        remove: { type: "array", items: text },
        rename: { type: "object", additionalProperties: text },
      },
    },
  },
};

export interface RawField {
  type?: (typeof FIELD_KINDS)[number];
  use?: string;
  required?: boolean;
  description?: string;
  default?: unknown;
  values?: string | Record<string, string>;
  examples?: unknown[];
  prefill?: (typeof PREFILL_SOURCES)[number];
  fields?: Record<string, RawField>;
  items?: RawField;
}

export interface AddedSection {
  heading: string;
  /** The section it follows (default: the last). */
  after?: string;
  guidance?: string;
  optional?: boolean;
}

export interface Declaration {
  title?: string;
  description?: string;
  since?: string;
  extends?: string;
  fields?: Record<string, RawField>;
  sections?: { optional?: string[]; add?: AddedSection[]; remove?: string[]; rename?: Record<string, string> };
}

/** Compiled when a declaration is first checked. */
let validate: ValidateFunction | undefined;

export interface DeclarationProblem {
  path: (string | number)[];
  message: string;
}

/** Every way the front matter breaks the declaration's form: a path into it and a sentence. */
export function declarationProblems(data: unknown): DeclarationProblem[] {
  const validateDeclaration = (validate ??= newAjv({ allErrors: true, strict: false, verbose: true }).compile(DECLARATION_SCHEMA));
  if (validateDeclaration(data)) return [];
  const problems: DeclarationProblem[] = [];
  const seen = new Set<string>();
  for (const error of validateDeclaration.errors ?? []) {
    // anyOf reports each branch and then itself: its own sentence covers them.
    if (error.schemaPath.includes("/anyOf/")) continue;
    const problem = describe(error);
    const key = `${problem.path.join(".")}:${problem.message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

const FORMS: Record<string, string> = {
  string: "text",
  boolean: "true or false",
  object: "a mapping of `key: value` lines",
  array: "a list",
};

function describe(error: ErrorObject): DeclarationProblem {
  const path: (string | number)[] = error.instancePath === "" ? [] : error.instancePath.slice(1).split("/").map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, "/").replace(/~0/g, "~")));
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { path: [...path, extra], message: `is not a key a template has here. The keys are: ${allowed.join(", ")}.` };
    }
    case "required":
      return { path, message: `needs \`${(error.params as { missingProperty: string }).missingProperty}\`.` };
    case "enum":
      return { path, message: `must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}.` };
    case "minLength":
      return { path, message: "must not be empty." };
    case "pattern":
      return { path, message: "must be one line." };
    case "type":
      return { path, message: `must be ${FORMS[(error.params as { type: string }).type] ?? (error.params as { type: string }).type}.` };
    case "anyOf":
      return { path, message: "must be the name of a shared list of values (templates/shared.yaml), or a mapping from each value to its meaning." };
    default:
      return { path, message: "is not written as a template expects (see docs/own-forms.md)." };
  }
}
