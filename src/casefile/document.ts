// One case file, read and parsed once; shared by `check` and `timeline`.
import { detached } from "./detach.js";
import { normaliseText, splitFrontMatter } from "./frontmatter.js";
import { scanBody, type HeadingLine, type Section } from "./sections.js";
import { createYamlLocator, parseFrontMatterYaml, type Position, type YamlLimits, type YamlPath, type YamlProblem } from "./yaml.js";
import type { FileName } from "./filename.js";

export interface CaseDocument {
  /** Posix path relative to the repository root: what every report shows. */
  file: string;
  /** The child folder's name. */
  folder: string;
  name: FileName;
  /** Why the file could not be read (our words), or undefined. */
  readProblem?: string;
  /** The front matter as a mapping; undefined when absent, unparsable or not a mapping. */
  data?: Record<string, unknown>;
  /** Why the front matter could not be used, or undefined. */
  yamlProblem?: YamlProblem;
  sections: Section[];
  /** Every heading-like line of the body (headings of any level, bold lines, numbered items). */
  headings: HeadingLine[];
  /**
   * True when the body cannot be told from the front matter (an opening `---` never closed):
   * there are then no sections to check, only the front matter's own finding.
   */
  bodyUnknown?: boolean;
  /** Line and column of a front-matter field (reads the front matter again, once: call only for findings). */
  locate(path: YamlPath): Position;
}

export function unreadableDocument(file: string, folder: string, name: FileName, problem: string): CaseDocument {
  return { file, folder, name, readProblem: problem, sections: [], headings: [], locate: () => ({ line: 1, column: 1 }) };
}

/** `body: false`: the front matter alone (for a view that shows a field again); the document then has no sections. */
export function parseDocumentText(file: string, folder: string, name: FileName, raw: string, limits?: YamlLimits, { body = true } = {}): CaseDocument {
  const text = normaliseText(raw);
  const split = splitFrontMatter(text);
  const { sections, headings } = body ? scanBody(split.body, split.bodyFirstLine) : { sections: [], headings: [] };
  // Kept by `locate`, and cut into the front matter's values: a string of its own, not a view of the whole text.
  const yamlSource = split.yaml === undefined ? undefined : detached(split.yaml);
  let locator: ((path: YamlPath) => Position) | undefined;
  const locate = (path: YamlPath): Position => {
    if (yamlSource === undefined) return { line: 1, column: 1 };
    locator ??= createYamlLocator(yamlSource, split.yamlFirstLine);
    return locator(path);
  };
  const document: CaseDocument = { file, folder, name, sections, headings, locate };
  if (yamlSource === undefined) {
    document.yamlProblem = { line: 1, column: 1, message: "the document has no front matter: it must begin with a line `---`, the YAML fields, and another line `---`" };
  } else if (split.unterminated) {
    document.bodyUnknown = true;
    document.yamlProblem = { line: 1, column: 1, message: "the front matter opened by `---` on line 1 is never closed: add a line `---` after the last field" };
  } else {
    const parsed = parseFrontMatterYaml(yamlSource, split.yamlFirstLine, limits);
    if (!parsed.ok) document.yamlProblem = parsed.problem;
    else if (isMapping(parsed.data)) document.data = parsed.data;
    else document.yamlProblem = { line: split.yamlFirstLine, column: 1, message: "the front matter must be a list of `key: value` lines" };
  }
  return document;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
