import { loadTemplates } from "./template.js";
import { deriveSchema } from "./schema.js";

/** The schema files the templates imply: file name → exact content. */
export function renderSchemaFiles(templatesDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const template of loadTemplates(templatesDir).values()) {
    files.set(`${template.type}.schema.json`, JSON.stringify(deriveSchema(template), null, 2) + "\n");
  }
  return files;
}
