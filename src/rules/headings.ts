// Where each required section of a document is, as people type headings: pasted from Word with
// curly quotes, dashes and non-breaking spaces, in another case, with a colon after it, in bold,
// numbered, or at the wrong level. The first few are the same heading; the last few are the
// section written in another form, which check points at so that it can be put right.
import type { CaseDocument } from "../casefile/document.js";
import type { HeadingLine, Section } from "../casefile/sections.js";
import { slip } from "../common/words.js";

/**
 * A heading as compared: typographic quotes and dashes as typed on a keyboard, spaces of any kind
 * single, case folded, markup and trailing punctuation gone.
 */
export function normaliseHeading(heading: string): string {
  // The same headings come back in document after document: each is worked out once (a bounded memo).
  let normal = normalised.get(heading);
  if (normal === undefined) {
    if (normalised.size >= MEMO_SIZE) normalised.clear();
    normalised.set(heading, (normal = normalise(heading)));
  }
  return normal;
}

const MEMO_SIZE = 10_000;
const normalised = new Map<string, string>();

function normalise(heading: string): string {
  const plain = heading
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, "-")
    .replace(/[*_]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return withoutTrailingPunctuation(plain).toLowerCase();
}

/** Trailing spaces and punctuation taken off from the end: as `/[\s:.;,!?]+$/`, a long run of spaces backtracks. */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s:.;,!?]/.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Numbering in front of a heading: `1.`, `1)`, `2.3`, `2.3.`. */
const NUMBERING = /^\d{1,3}(?:\.\d{1,3})*[.)]?\s+/;

/** A heading's text without its numbering, normalised; undefined when it has no numbering. */
function withoutNumber(text: string): string | undefined {
  const normal = normaliseHeading(text);
  return NUMBERING.test(normal) ? normal.replace(NUMBERING, "") : undefined;
}

export type SectionMatch =
  /** There as a `## ` heading. */
  | { kind: "found"; section: Section }
  /** There, but as another level, bold text, a numbered item or with a number: where, and how it is written. */
  | { kind: "other-form"; at: HeadingLine; form: string }
  /** Not there; `near` is the heading present closest to it, if one is close. */
  | { kind: "missing"; near: HeadingLine | undefined };

const matched = new WeakMap<CaseDocument, WeakMap<readonly string[], Map<string, SectionMatch>>>();

/** For each heading the template requires (in its order), where the document has it (worked out once for both section rules). */
export function matchRequiredSections(document: CaseDocument, required: readonly string[]): Map<string, SectionMatch> {
  let byRequired = matched.get(document);
  if (!byRequired) matched.set(document, (byRequired = new WeakMap()));
  let matches = byRequired.get(required);
  if (!matches) byRequired.set(required, (matches = matchSections(document, required)));
  return matches;
}

/** The normal form of each heading of a template's list, worked out once per list. */
function normalHeadings(headings: readonly string[]): readonly string[] {
  let normals = normalsOf.get(headings);
  if (!normals) normalsOf.set(headings, (normals = headings.map(normaliseHeading)));
  return normals;
}

const normalsOf = new WeakMap<readonly string[], readonly string[]>();

/**
 * The heading of `required` that `heading` is (as compared), if any; of headings that compare
 * equal, the last. The template's heading as written needs no normalising.
 */
export function requiredHeading(heading: string, required: readonly string[]): string | undefined {
  const normals = normalHeadings(required);
  const written = required.indexOf(heading);
  const index = normals.lastIndexOf(written >= 0 ? normals[written]! : normaliseHeading(heading));
  return index < 0 ? undefined : required[index];
}

function matchSections(document: CaseDocument, required: readonly string[]): Map<string, SectionMatch> {
  const matches = new Map<string, SectionMatch>();
  const used = new Set<HeadingLine>();
  const normals = normalHeadings(required);
  const byText = new Map<string, Section>();
  // Most documents have the template's headings as it writes them, in its order: those need no normalising.
  let expected = 0;
  for (const section of document.sections) {
    const normal = section.heading === required[expected] ? normals[expected++]! : normaliseHeading(section.heading);
    if (!byText.has(normal)) byText.set(normal, section);
  }
  const levelTwo = new Map<number, HeadingLine>();
  for (const line of document.headings) if (line.form === "heading" && line.level === 2) levelTwo.set(line.line, line);
  const pending: string[] = [];
  required.forEach((heading, i) => {
    const section = byText.get(normals[i]!);
    if (section) {
      matches.set(heading, { kind: "found", section });
      const line = levelTwo.get(section.line);
      if (line) used.add(line);
    } else pending.push(heading);
  });
  const missing: string[] = [];
  for (const heading of pending) {
    const target = normaliseHeading(heading);
    const at = document.headings.find((h) => !used.has(h) && (normaliseHeading(h.text) === target || withoutNumber(h.text) === target));
    if (at) {
      used.add(at);
      matches.set(heading, { kind: "other-form", at, form: formOf(at) });
    } else missing.push(heading);
  }
  // A heading present that no required one claimed may be a misspelling of one still missing.
  for (const heading of missing) {
    const target = normaliseHeading(heading);
    let near: { at: HeadingLine; score: number } | undefined;
    for (const candidate of document.headings) {
      if (candidate.form !== "heading" || used.has(candidate)) continue;
      const score = slip(target, withoutNumber(candidate.text) ?? normaliseHeading(candidate.text));
      if (score !== undefined && (near === undefined || score < near.score)) near = { at: candidate, score };
    }
    if (near) used.add(near.at);
    matches.set(heading, { kind: "missing", near: near?.at });
  }
  return matches;
}

function formOf(at: HeadingLine): string {
  const numbered = withoutNumber(at.text) !== undefined;
  if (at.form === "bold") return "bold text, not a heading";
  if (at.form === "list") return "a numbered list item, not a heading";
  if (at.level !== 2) return `${numbered ? "a numbered" : "a"} level-${at.level} heading (${"#".repeat(at.level)})`;
  return "a numbered heading";
}
