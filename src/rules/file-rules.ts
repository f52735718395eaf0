// Rules about one file at a time: can it be read, does its front matter parse, does it keep its
// type's schema, are its sections there and written.
import type { CaseDocument } from "../casefile/document.js";
import type { YamlProblem } from "../casefile/yaml.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import type { ChildCase } from "../casefile/repository.js";
import { errorPath, type DocumentType } from "../doctypes.js";
import { PROFILE_TYPE } from "../templates/template.js";
import { matchRequiredSections, requiredHeading } from "./headings.js";
import { describeSchemaError, dottedKey } from "./schema-messages.js";
import { noDeadlinesNote, TOP, type CaseContext, type CheckRule, type RawFinding } from "./rule.js";

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
  messages: { unreadable: "a file that cannot be read" },
  check: (context) =>
    documentsOf(context.child)
      .filter((d) => d.readProblem !== undefined)
      .map((d) => ({ file: d.file, ...TOP, message: `cannot be read: ${d.readProblem}${noDeadlinesNote(context, d.file)}`, messageId: "unreadable", subject: "" })),
};

export const yamlRule: CheckRule = {
  id: "yaml",
  description: "The front matter is YAML between two `---` lines.",
  defaultSeverity: "error",
  messages: { unparsable: "front matter that is missing, never closed, not YAML, or not a list of `key: value` lines" },
  check: (context) =>
    documentsOf(context.child)
      .filter((d) => d.yamlProblem !== undefined)
      .map((d) => ({
        file: d.file,
        line: d.yamlProblem!.line,
        column: d.yamlProblem!.column,
        message: yamlMessage(d.yamlProblem!, context) + noDeadlinesNote(context, d.file),
        messageId: "unparsable",
        subject: "",
      })),
};

/** A key written twice is named when it is a field of some document type: a field name is no document text. */
function yamlMessage(problem: YamlProblem, context: CaseContext): string {
  const key = problem.duplicateKey;
  return key !== undefined && fieldNames(context.types).has(key) ? `\`${key}\` is written twice in the front matter: keep one` : problem.message;
}

const fieldNamesOf = new WeakMap<ReadonlyMap<string, DocumentType>, Set<string>>();

/** Every property name in the document types' schemas, nested ones included. */
function fieldNames(types: ReadonlyMap<string, DocumentType>): Set<string> {
  let names = fieldNamesOf.get(types);
  if (!names) {
    const found = new Set<string>();
    const walk = (schema: unknown): void => {
      if (typeof schema !== "object" || schema === null) return;
      const { properties, items } = schema as { properties?: Record<string, unknown>; items?: unknown };
      for (const [name, property] of Object.entries(properties ?? {})) {
        found.add(name);
        walk(property);
      }
      walk(items);
    };
    for (const type of types.values()) walk(type.schema);
    fieldNamesOf.set(types, (names = found));
  }
  return names;
}

export const schemaRule: CheckRule = {
  id: "schema",
  description: "The front matter keeps the JSON Schema derived from the type's template: every field there, each written in its form.",
  defaultSeverity: "error",
  messages: { required: "a field that is missing", invalid: "a field not written in its form", "not-mapping": "front matter that is not a list of `key: value` lines" },
  check(context) {
    const findings: RawFinding[] = [];
    for (const document of documentsOf(context.child)) {
      const type = documentTypeOf(document, context);
      if (!document.data || !type) continue;
      const seen = new Set<string>();
      for (const error of type.validate(document.data)) {
        const path = errorPath(error);
        const message = describeSchemaError(error, type.schema, document.data) + noDeadlinesNote(context, document.file, dottedKey(path));
        const position = error.keyword === "required" ? TOP : document.locate(path);
        const key = `${position.line}:${position.column}:${message}`;
        if (seen.has(key)) continue; // a date breaks both its pattern and its format: say it once
        seen.add(key);
        const messageId = error.keyword === "required" ? "required" : path.length === 0 ? "not-mapping" : "invalid";
        findings.push({ file: document.file, ...position, message, messageId, subject: dottedKey(path) });
      }
    }
    return findings;
  },
};

export const sectionMissingRule: CheckRule = {
  id: "section-missing",
  description: "Every required section of the type's template is in the document, as a `## ` heading.",
  defaultSeverity: "error",
  messages: { missing: "a required section that is not there", "other-form": "a required section whose heading is there in another form (bold, numbered, another level)" },
  check(context) {
    const findings: RawFinding[] = [];
    for (const document of documentsOf(context.child)) {
      const type = documentTypeOf(document, context);
      if (!type || document.readProblem || document.bodyUnknown) continue;
      // The template's wording of the heading, and a line number: never the document's heading, which is its text.
      for (const [heading, match] of matchRequiredSections(document, type.sections.required)) {
        if (match.kind === "other-form") {
          findings.push({
            file: document.file,
            line: match.at.line,
            column: match.at.column,
            message: `the section "## ${heading}" is written here as ${match.form}: write it as a level-2 heading: "## ${heading}"`,
            messageId: "other-form",
            subject: heading,
          });
        } else if (match.kind === "missing") {
          const near = match.near ? `; did you mean the heading on line ${match.near.line}? Write it as "## ${heading}"` : "";
          findings.push({ file: document.file, ...TOP, message: `the section "## ${heading}" is missing: add it (careplan new shows the template)${near}`, messageId: "missing", subject: heading });
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
  messages: { empty: "a required section with nothing written in it" },
  check(context) {
    const findings: RawFinding[] = [];
    for (const document of documentsOf(context.child)) {
      const type = documentTypeOf(document, context);
      if (!type || document.bodyUnknown) continue;
      // A section written in another form (`### Seen alone`) ends the section above it, for
      // emptiness: what is under it is not the one above's.
      const otherForms = [...matchRequiredSections(document, type.sections.required).values()].flatMap((m) => (m.kind === "other-form" ? [m.at.line] : []));
      for (const section of document.sections) {
        const heading = requiredHeading(section.heading, type.sections.required);
        if (heading === undefined) continue;
        const overrun = () => {
          const content = document.headings.find((h) => h.form === "heading" && h.line === section.line)?.contentLine;
          return content !== undefined && content >= Math.min(...otherForms.filter((line) => line > section.line));
        };
        if (section.empty || (otherForms.length > 0 && overrun())) {
          findings.push({
            file: document.file,
            line: section.line,
            column: section.column,
            message: `the section "## ${heading}" is empty: write it, or say why it does not apply`,
            messageId: "empty",
            subject: heading,
          });
        }
      }
    }
    return findings;
  },
};
