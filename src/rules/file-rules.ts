// Rules about one file at a time: can it be read, does its front matter parse, does it keep its
// type's schema, are its sections there and written.
import type { CaseDocument } from "../casefile/document.js";
import type { Section } from "../casefile/sections.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import type { ChildCase } from "../casefile/repository.js";
import { errorPath, type DocumentType } from "../doctypes.js";
import { PROFILE_TYPE } from "../templates/template.js";
import { describeSchemaError } from "./schema-messages.js";
import { TOP, type CaseContext, type CheckRule, type RawFinding } from "./rule.js";

/** Every document of the child, the profile first. */
export function documentsOf({ profile, documents }: ChildCase): CaseDocument[] {
  return profile ? [profile, ...documents] : documents;
}

/**
 * The type a document is checked as: the profile's always; else its `type` if known, else its
 * file name's. It is the version of the form in force on the document's date (the profile's,
 * which has none: on the as-of date).
 */
export function documentTypeOf(document: CaseDocument, context: Pick<CaseContext, "types" | "asOf">): DocumentType | undefined {
  const declared = document.data?.type;
  const type =
    document.name.kind === "profile" ? context.types.get(PROFILE_TYPE)
    : typeof declared === "string" && context.types.has(declared) ? context.types.get(declared)
    : document.name.kind === "document" ? context.types.get(document.name.type)
    : undefined;
  return type?.at(formDate(document, context.asOf));
}

/** The day that picks a document's form: its `date`, else its file name's, else the as-of date. */
function formDate(document: CaseDocument, asOf: IsoDate): IsoDate {
  if (document.name.kind === "profile") return asOf;
  const date = document.data?.date;
  if (isIsoDate(date)) return date;
  return document.name.kind === "document" ? document.name.date : asOf;
}

export const readRule: CheckRule = {
  id: "read",
  description: "The file can be read: permitted, UTF-8, not too large, inside the repository.",
  defaultSeverity: "error",
  check: (context) =>
    documentsOf(context.child)
      .filter((d) => d.readProblem !== undefined)
      .map((d) => ({ file: d.file, ...TOP, message: `cannot be read: ${d.readProblem}` })),
};

export const yamlRule: CheckRule = {
  id: "yaml",
  description: "The front matter is YAML between two `---` lines.",
  defaultSeverity: "error",
  check: (context) =>
    documentsOf(context.child)
      .filter((d) => d.yamlProblem !== undefined)
      .map((d) => ({ file: d.file, line: d.yamlProblem!.line, column: d.yamlProblem!.column, message: d.yamlProblem!.message })),
};

export const schemaRule: CheckRule = {
  id: "schema",
  description: "The front matter keeps the JSON Schema derived from the type's template: every field there, each written in its form.",
  defaultSeverity: "error",
  check(context) {
    const findings: RawFinding[] = [];
    for (const document of documentsOf(context.child)) {
      const type = documentTypeOf(document, context);
      if (!document.data || !type) continue;
      const seen = new Set<string>();
      for (const error of type.validate(document.data)) {
        const message = describeSchemaError(error, type.schema);
        const position = error.keyword === "required" ? TOP : document.locate(errorPath(error));
        const key = `${position.line}:${position.column}:${message}`;
        if (seen.has(key)) continue; // a date breaks both its pattern and its format: say it once
        seen.add(key);
        findings.push({ file: document.file, ...position, message });
      }
    }
    return findings;
  },
};

/** Headings match whatever their case ("Self-care skills" is "Self-Care Skills"); the scanner has already folded spacing. */
export function normaliseHeading(heading: string): string {
  return heading.toLowerCase();
}

/**
 * The template's sections the document has: each heading (in the template's wording) found, with
 * the document's section that is it. `section-missing` and `check --fix` both ask this alone.
 */
export function findSections(sections: readonly Section[], headings: readonly string[]): Map<string, Section> {
  const byHeading = new Map<string, Section>();
  for (const section of sections) {
    const key = normaliseHeading(section.heading);
    if (!byHeading.has(key)) byHeading.set(key, section);
  }
  const found = new Map<string, Section>();
  for (const heading of headings) {
    const section = byHeading.get(normaliseHeading(heading));
    if (section) found.set(heading, section);
  }
  return found;
}

export const sectionMissingRule: CheckRule = {
  id: "section-missing",
  description: "Every required section of the type's template is in the document, as a `## ` heading.",
  defaultSeverity: "error",
  check(context) {
    const findings: RawFinding[] = [];
    for (const document of documentsOf(context.child)) {
      const type = documentTypeOf(document, context);
      if (!type || document.readProblem) continue;
      const found = findSections(document.sections, type.sections.required);
      for (const heading of type.sections.required) {
        if (!found.has(heading)) {
          findings.push({ file: document.file, ...TOP, message: `the section "## ${heading}" is missing: add it (careplan new shows the template)` });
        }
      }
    }
    return findings;
  },
};

export const sectionEmptyRule: CheckRule = {
  id: "section-empty",
  description: "Every required section holds more than white space and the template's guidance comments.",
  defaultSeverity: "warning",
  check(context) {
    const findings: RawFinding[] = [];
    for (const document of documentsOf(context.child)) {
      const type = documentTypeOf(document, context);
      if (!type) continue;
      // The template's wording of the heading, never the document's: a heading is document text.
      const required = new Map(type.sections.required.map((heading) => [normaliseHeading(heading), heading]));
      for (const section of document.sections) {
        const heading = required.get(normaliseHeading(section.heading));
        if (section.empty && heading !== undefined) {
          findings.push({ file: document.file, line: section.line, column: section.column, message: `the section "## ${heading}" is empty: write it, or say why it does not apply` });
        }
      }
    }
    return findings;
  },
};
