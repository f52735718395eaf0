// The document types careplan knows, read from the generated schemas in schemas/.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { SCHEMAS_DIR } from "./assets.js";
import { CAREPLAN_KEYWORD, type CareplanKeyword, type JsonSchema } from "./templates/schema.js";

export interface DocumentType {
  type: string;
  title: string;
  schema: JsonSchema;
  sections: CareplanKeyword["sections"];
  /** Every violation of the schema (ajv with allErrors), or none. Remembered per parsed front matter. */
  validate(data: unknown): readonly ErrorObject[];
}

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv, ["date", "email"]);
  ajv.addKeyword({ keyword: CAREPLAN_KEYWORD, schemaType: "object" });
  return ajv;
}

export function loadDocumentTypes(dir: string = SCHEMAS_DIR): Map<string, DocumentType> {
  const ajv = createAjv();
  const types = new Map<string, DocumentType>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".schema.json")) continue;
    const schema = JSON.parse(readFileSync(join(dir, name), "utf8")) as JsonSchema;
    const keyword = schema[CAREPLAN_KEYWORD] as CareplanKeyword;
    let compiled: ValidateFunction | undefined;
    // check's schema rule and the timeline's facts both validate each document: once is enough.
    const results = new WeakMap<object, readonly ErrorObject[]>();
    types.set(keyword.type, {
      type: keyword.type,
      title: keyword.title,
      schema,
      sections: keyword.sections,
      validate(data) {
        const known = typeof data === "object" && data !== null ? results.get(data) : undefined;
        if (known) return known;
        compiled ??= ajv.compile(schema);
        const errors = compiled(data) ? [] : [...(compiled.errors ?? [])];
        if (typeof data === "object" && data !== null) results.set(data, errors);
        return errors;
      },
    });
  }
  return types;
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
