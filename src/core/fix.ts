// `careplan check --fix`: what the tool can mend without a person's judgement. It inserts each
// missing required section at the template's place, with the template's guidance, and adds the
// missing optional fields that have a default. It never deletes or rewrites a line, never
// touches a file it cannot parse, keeps the file's line ends, BOM and final newline, and writes
// all at once, only when the file is still as it was read.
import { lstatSync } from "node:fs";
import { ioCause } from "../errors.js";
import { problemWords, readRegularFile } from "../common/read-file.js";
import type { Limits } from "../config/limits.js";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { Document, isMap, parseDocument } from "yaml";
import { parseDocumentText, type CaseDocument } from "../casefile/document.js";
import { normaliseText, splitFrontMatter } from "../casefile/frontmatter.js";
import type { ChildCase, ChildScope } from "../casefile/repository.js";
import type { Section } from "../casefile/sections.js";
import { FileChangedError, replaceFile } from "../casefile/write.js";
import type { IsoDate } from "../common/dates.js";
import type { DocumentType } from "../doctypes.js";
import { documentTypeOf } from "../rules/file-rules.js";
import { matchRequiredSections } from "../rules/headings.js";

/** One change, as the user is told of it: where, and what (a heading or a key, never the document's text). */
export interface FixChange {
  file: string;
  line: number;
  what: string;
}

export interface FixPlan {
  text: string;
  changes: FixChange[];
}

interface Insertion {
  /** 0-based index of the line it goes before (the number of lines: at the end). */
  index: number;
  lines: string[];
  kind: "field" | "section";
  what: string;
}

/**
 * What a document lacks that a fix can add: the required sections that `section-missing` finds
 * missing (not those written in another form, nor those a misspelt heading may be: a person
 * decides those), and the optional fields with a default.
 */
function lacks(document: CaseDocument, type: DocumentType): { sections: string[]; fields: string[]; misspelt: { heading: string; line: number }[] } {
  const sections: string[] = [];
  const misspelt: { heading: string; line: number }[] = [];
  for (const [heading, match] of matchRequiredSections(document, type.sections.required)) {
    if (match.kind !== "missing") continue;
    if (match.near) misspelt.push({ heading, line: match.near.line });
    else sections.push(heading);
  }
  const data = document.data ?? {};
  return {
    sections,
    misspelt,
    fields: Object.entries(type.template.fields)
      .filter(([name, field]) => !field.required && field.default !== undefined && !Object.hasOwn(data, name))
      .map(([name]) => name),
  };
}

/** The document's sections that are sections of the template, by the template's heading: where a new one goes. */
function anchors(document: CaseDocument, type: DocumentType): Map<string, Section> {
  const found = new Map<string, Section>();
  for (const [heading, match] of matchRequiredSections(document, type.template.sections.map((s) => s.heading))) {
    if (match.kind === "found") found.set(heading, match.section);
  }
  return found;
}

/**
 * The fixed text of one document and what changed, or undefined when there is nothing to fix
 * or it cannot be fixed safely (front matter that does not parse, lone CR line ends).
 */
export function planFixes(document: CaseDocument, raw: string, type: DocumentType): FixPlan | undefined {
  const parsed = parseDocumentText(document.file, document.folder, document.name, raw);
  if (!parsed.data || parsed.yamlProblem || parsed.bodyUnknown || /\r(?!\n)/.test(raw)) return undefined;
  const missing = lacks(parsed, type);
  if (missing.sections.length === 0 && missing.fields.length === 0) return undefined;

  const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
  const lines = raw.slice(bom.length).split(/(?<=\n)/);
  const eol = lines[0]?.endsWith("\r\n") ? "\r\n" : "\n";
  const insertions: Insertion[] = [];

  const frontMatter = splitFrontMatter(normaliseText(raw));
  if (missing.fields.length > 0 && isPlainBlockMapping(frontMatter.yaml ?? "")) {
    const fence = frontMatter.bodyFirstLine - 2; // the closing `---`
    for (const name of missing.fields) {
      const text = new Document({ [name]: type.template.fields[name]!.default }, { version: "1.2" }).toString({ lineWidth: 0 });
      insertions.push({ index: fence, lines: text.replace(/\n$/, "").split("\n"), kind: "field", what: `added the field \`${name}\` with its default` });
    }
  }

  // Each missing section goes after the nearest earlier section of the template the document
  // has; else before the nearest later one; else at the end.
  const order = type.template.sections;
  const found = anchors(parsed, type);
  const fileEnd = lines.length;
  for (const heading of missing.sections) {
    const at = order.findIndex((s) => s.heading === heading);
    const before = order.slice(0, at).reverse().find((s) => found.has(s.heading));
    const after = order.slice(at + 1).find((s) => found.has(s.heading));
    const index = before ? Math.min(found.get(before.heading)!.end, fileEnd) : after ? found.get(after.heading)!.line - 1 : fileEnd;
    const guidance = order[at]!.guidance;
    insertions.push({ index, lines: [`## ${heading}`, ...(guidance ? guidance.split("\n") : [])], kind: "section", what: `added the section "## ${heading}"` });
  }

  if (insertions.length === 0) return undefined;
  const plan = apply(lines, insertions, eol, document.file);
  plan.text = bom + plan.text;
  return keepsEverything(parsed, plan.text, missing) ? plan : undefined;
}

/** Front matter that is a block mapping at the margin: a line added at its end is one more key. */
function isPlainBlockMapping(yaml: string): boolean {
  const document = parseDocument(yaml, { version: "1.2" });
  return document.errors.length === 0 && isMap(document.contents) && !document.contents.flow && !/^[ \t]+\S/.test(yaml.split("\n").find((l) => l.trim() !== "" && !l.trimStart().startsWith("#")) ?? "");
}

function apply(lines: string[], insertions: Insertion[], eol: string, file: string): FixPlan {
  const out: string[] = [];
  const changes: FixChange[] = [];
  const isBlank = (line: string | undefined) => line !== undefined && line.trim() === "";
  const emit = (index: number) => {
    const here = insertions.filter((i) => i.index === index);
    if (here.length === 0) return;
    // A last line without a line end gets one, so that what follows starts a line of its own.
    if (index === lines.length && out.length > 0 && !out[out.length - 1]!.endsWith("\n")) out[out.length - 1] += eol;
    for (const insertion of here) {
      if (insertion.kind === "section" && out.length > 0 && !isBlank(out[out.length - 1])) out.push(eol);
      changes.push({ file, line: out.length + 1, what: insertion.what });
      for (const line of insertion.lines) out.push(line + eol);
    }
    if (here.some((i) => i.kind === "section") && index < lines.length && !isBlank(lines[index])) out.push(eol);
    // A file that ended without a line end still does.
    if (index === lines.length && lines.length > 0 && !lines[lines.length - 1]!.endsWith("\n")) out[out.length - 1] = out[out.length - 1]!.slice(0, -eol.length);
  };
  lines.forEach((line, index) => {
    emit(index);
    out.push(line);
  });
  emit(lines.length);
  return { text: out.join(""), changes };
}

/** A last guard: the fixed text parses to the same fields (plus those added) and keeps every section. */
function keepsEverything(before: CaseDocument, text: string, missing: { sections: string[]; fields: string[] }): boolean {
  const after = parseDocumentText(before.file, before.folder, before.name, text);
  if (!after.data) return false;
  const added = Object.fromEntries(Object.entries(after.data).filter(([key]) => !Object.hasOwn(before.data!, key)));
  const kept = Object.fromEntries(Object.entries(after.data).filter(([key]) => Object.hasOwn(before.data!, key)));
  const headings = (d: CaseDocument) => d.sections.map((s) => s.heading);
  return (
    isDeepStrictEqual(kept, before.data) &&
    Object.keys(added).every((key) => missing.fields.includes(key)) &&
    headings(after).filter((h) => !missing.sections.includes(h)).join("\n") === headings(before).join("\n") &&
    after.sections.length === before.sections.length + missing.sections.length
  );
}

export interface FixOutcome {
  changes: FixChange[];
  /** Documents that needed a fix and did not get one, with why (in our words). */
  skipped: { file: string; why: string }[];
}

export interface FixOptions {
  root: string;
  types: ReadonlyMap<string, DocumentType>;
  asOf: IsoDate;
  /** Only these documents of a child given by path. */
  scope?: ReadonlyMap<string, ChildScope>;
  /** false: plan and report, write nothing (--fix-dry-run). */
  write: boolean;
  /** careplan.yaml's limits, which a document is read again under. */
  limits: Limits;
  outcome: FixOutcome;
}

/** Fixes each child's documents as the caller reads them, and hands on the child as fixed. */
export function* fixCaseload(children: Iterable<ChildCase>, options: FixOptions): Generator<ChildCase> {
  for (const child of children) {
    const only = options.scope?.get(child.id);
    const fixed = (document: CaseDocument): CaseDocument => (only && only !== "all" && !only.has(document.file) ? document : fixDocument(document, options));
    yield { ...child, profile: child.profile && fixed(child.profile), documents: child.documents.map(fixed) };
  }
}

function fixDocument(document: CaseDocument, options: FixOptions): CaseDocument {
  const type = documentTypeOf(document, options);
  // What a document lacks cannot be told while its front matter cannot be read: said, never passed over.
  if (document.readProblem || document.yamlProblem) {
    options.outcome.skipped.push({ file: document.file, why: "its front matter cannot be read, so what it lacks cannot be told: correct what the `read` or `yaml` finding says, then run the fix again" });
    return document;
  }
  if (!type || !document.data || document.bodyUnknown) return document;
  const fixed = applyFixes(document, type, options);
  // Said of the file as it now is, so that the line is the one the report shows.
  for (const { heading, line } of lacks(fixed, type).misspelt) {
    options.outcome.skipped.push({ file: document.file, why: `the section "## ${heading}" (the heading on line ${line} may be it, misspelt: correct that heading)` });
  }
  return fixed;
}

function applyFixes(document: CaseDocument, type: DocumentType, options: FixOptions): CaseDocument {
  const missing = lacks(document, type);
  if (missing.sections.length === 0 && missing.fields.length === 0) return document;
  const path = join(options.root, document.file);
  const skip = (why: string) => {
    options.outcome.skipped.push({ file: document.file, why });
    return document;
  };
  let bytes: Buffer;
  try {
    if (lstatSync(path).isSymbolicLink()) return skip("it is a link; fix the file it leads to");
  } catch (error) {
    return skip(`it could not be read again (${ioCause(error)})`);
  }
  const read = readRegularFile(path, options.limits.documentSize);
  if (!read.ok) return skip(`it could not be read again (${problemWords(read.problem)})`);
  bytes = read.bytes;
  const plan = planFixes(document, bytes.toString("utf8"), type);
  if (!plan) return skip("it could not be fixed safely (check its front matter and line ends)");
  if (options.write) {
    try {
      replaceFile(path, plan.text, bytes);
    } catch (error) {
      if (error instanceof FileChangedError) return skip("it changed while it was being fixed; run the fix again");
      return skip(`it could not be written (${ioCause(error)}); check the folder's permissions`);
    }
  }
  options.outcome.changes.push(...plan.changes);
  return parseDocumentText(document.file, document.folder, document.name, plan.text, options.limits);
}
