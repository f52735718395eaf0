// The document types as Markdown, for docs/format.md: rendered from the templates, never kept by hand.
import { PROFILE_TYPE, type FieldDecl, type Template } from "./template.js";

/**
 * `earlier`: each type's versions before the latest, oldest first, so that a reader of a document
 * dated before the latest's `since` learns which sections its own form asks for.
 */
export function renderTypeReference(templates: ReadonlyMap<string, Template>, earlier: ReadonlyMap<string, readonly Template[]> = new Map()): string {
  const parts: string[] = [];
  // The profile first: every other document reads it.
  const ordered = [...templates.values()].sort((a, b) => Number(b.type === PROFILE_TYPE) - Number(a.type === PROFILE_TYPE));
  for (const template of ordered) {
    parts.push(`### \`${template.type}\`: ${template.title}`, "", template.description.trim(), "");
    parts.push("| field | form | required | meaning |", "| --- | --- | --- | --- |");
    for (const [key, field] of flattenFields(template.fields)) parts.push(`| \`${key}\` | ${fieldForm(field)} | ${field.required ? "yes" : ""} | ${fieldMeaning(field).replace(/\|/g, "\\|")} |`);
    parts.push("");
    const required = template.sections.filter((s) => s.required).map((s) => s.heading);
    const optional = template.sections.filter((s) => !s.required).map((s) => s.heading);
    if (required.length > 0) parts.push(`Required sections: ${required.map((h) => `"${h}"`).join(", ")}.`, "");
    if (optional.length > 0) parts.push(`Optional sections: ${optional.map((h) => `"${h}"`).join(", ")}.`, "");
    parts.push(...versionNotes(template, earlier.get(template.type) ?? []));
  }
  return parts.join("\n");
}

/** For each earlier version: from when to when it is in force, and how its required sections differ from the latest's. */
function versionNotes(latest: Template, earlier: readonly Template[]): string[] {
  const versions = [...earlier, latest];
  const required = (t: Template) => t.sections.filter((s) => s.required).map((s) => s.heading);
  const quoted = (headings: string[]) => headings.map((h) => `"${h}"`).join(", ");
  return earlier.flatMap((version, index) => {
    const until = versions[index + 1]!.since!;
    const span = version.since ? `from ${version.since} to the day before ${until}` : `before ${until}`;
    const lacks = required(latest).filter((h) => !required(version).includes(h));
    const adds = required(version).filter((h) => !required(latest).includes(h));
    const differences = [lacks.length > 0 ? `does not require ${quoted(lacks)}` : "", adds.length > 0 ? `requires ${quoted(adds)} as well` : ""].filter(Boolean);
    return [`The form above is in force from ${latest.since}. A document dated ${span} is held to the earlier version (\`${version.file}\`), which ${differences.length > 0 ? differences.join(" and ") : "requires the same sections"}.`, ""];
  });
}

/** Fields with their parts as dotted keys: iro.name, placements.N.start. */
export function flattenFields(fields: Record<string, FieldDecl>, prefix = ""): [string, FieldDecl][] {
  return Object.entries(fields).flatMap(([name, field]): [string, FieldDecl][] => {
    const key = prefix + name;
    if (field.type === "object") return [[key, field], ...flattenFields(field.fields ?? {}, `${key}.`)];
    if (field.type === "list" && field.items?.type === "object") return [[key, field], ...flattenFields(field.items.fields ?? {}, `${key}.N.`)];
    return [[key, field]];
  });
}

/** A field's form in words: what a value looks like. */
export function fieldForm(field: FieldDecl): string {
  switch (field.type) {
    case "date":
      return "date (YYYY-MM-DD)";
    case "boolean":
      return "true or false";
    case "enum":
      return Object.keys(field.values ?? {}).length === 1 ? `\`${Object.keys(field.values ?? {})[0]}\`` : "one of the values";
    case "list":
      return "list";
    case "object":
      return "group of fields";
    case "id":
      return "id";
    case "email":
      return "email address";
    case "integer":
      return "whole number";
    default:
      return "text";
  }
}

/** What a field means: its description, its values, examples, default and where `careplan new` takes it from. */
export function fieldMeaning(field: FieldDecl): string {
  const values = field.type === "enum" && Object.keys(field.values ?? {}).length > 1
    ? " " + Object.entries(field.values ?? {}).map(([value, text]) => `\`${value}\` ${text}`).join("; ") + "."
    : "";
  const fallback = field.default !== undefined ? ` Default: \`${JSON.stringify(field.default)}\`.` : "";
  const examples = field.examples ? ` For example ${field.examples.map((e) => `\`${String(e)}\``).join(", ")}.` : "";
  const prefill = field.prefill && !field.description?.includes("from the profile") ? " `careplan new` copies it from the profile." : "";
  return `${field.description ?? ""}${values}${examples}${fallback}${prefill}`.trim();
}
