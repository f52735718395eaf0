import { loadBuiltInForms } from "./forms.js";
import { deriveSchema } from "./schema.js";

/**
 * The schema files the built-in templates imply: file name → exact content. A type's version in
 * force now is `<type>.schema.json` (what editors point at); an earlier one is
 * `<type>.first.schema.json` or `<type>.since-<date>.schema.json`.
 */
export function renderSchemaFiles(templatesDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const form of loadBuiltInForms(templatesDir).values()) {
    form.versions.forEach((template, index) => {
      const latest = index === form.versions.length - 1;
      const name = latest ? form.type : `${form.type}.${template.since ? `since-${template.since}` : "first"}`;
      files.set(`${name}.schema.json`, JSON.stringify(deriveSchema(template), null, 2) + "\n");
    });
  }
  return files;
}
