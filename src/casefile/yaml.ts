// Front-matter YAML: a fast parse on the common path, positions only when a finding needs them.
//
// js-yaml with its core schema is about 8 times faster than `yaml` 2 on front matter and, like
// YAML 1.2's core schema, keeps dates as strings and reads only true/false as booleans
// (bench/README.md has the numbers and the differential evidence). `yaml` 2 is used where its
// extras earn their cost: error codes that never quote the source, alias limits, and a
// LineCounter for the line and column of a field.
import jsYaml from "js-yaml";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node } from "yaml";

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface YamlProblem extends Position {
  /** Our own words: never the parser's message, which quotes the source line. */
  message: string;
  /**
   * For a key written twice, the key when it is a plain name (letters, digits, `_`): a rule that
   * knows it for a field name may name it; anything else it may not show.
   */
  duplicateKey?: string;
}

export type YamlResult = { ok: true; data: unknown } | { ok: false; problem: YamlProblem };

/**
 * Parses front matter. `firstLine` is the file line of the YAML's first line, so every
 * position reported is a position in the file as written.
 */
export function parseFrontMatterYaml(source: string, firstLine: number): YamlResult {
  // Anchors and aliases can blow up in size (a "billion laughs"); only `yaml` 2 bounds them.
  if (!source.includes("*")) {
    try {
      return { ok: true, data: jsYaml.load(source, { schema: jsYaml.CORE_SCHEMA, json: false }) };
    } catch {
      // fall through: `yaml` 2 says where and why, in words that do not quote the document
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(source, { version: "1.2", schema: "core", uniqueKeys: true, prettyErrors: false, lineCounter: counter });
  const error = doc.errors[0];
  if (error) {
    const at = counter.linePos(error.pos[0]);
    const problem: YamlProblem = { line: at.line + firstLine - 1, column: at.col, message: describeYamlError(error.code) };
    const key = error.code === "DUPLICATE_KEY" ? /^[A-Za-z_][A-Za-z0-9_]*(?=[ \t]*:)/.exec(source.slice(error.pos[0]))?.[0] : undefined;
    return { ok: false, problem: key === undefined ? problem : { ...problem, duplicateKey: key } };
  }
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { ok: false, problem: { line: firstLine, column: 1, message: "the front matter uses too many YAML aliases (`*name`): write the values out" } };
  }
}

function describeYamlError(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "a key is written twice in the front matter: keep one";
    case "TAB_AS_INDENT":
      return "a tab is used for indentation: indent with spaces";
    case "BAD_INDENT":
      return "the indentation is inconsistent here: line the key up with its siblings";
    case "MISSING_CHAR":
      return "a closing quote or bracket is missing here";
    case "BAD_DQ_ESCAPE":
      return "a backslash escape in a double-quoted value is not valid: write \\\\ for a backslash";
    case "MULTILINE_IMPLICIT_KEY":
    case "BLOCK_AS_IMPLICIT_KEY":
      return "a key runs over more than one line: write `key: value` on one line, and quote a value holding `: `";
    case "BAD_ALIAS":
    case "ALIAS_PROPS":
      return "a YAML alias (`*name`) is not valid here: write the value out";
    case "TAG_RESOLVE_FAILED":
    case "BAD_DIRECTIVE":
      return "YAML tags and directives are not used in case files: remove the `!` tag";
    default:
      return "the front matter is not valid YAML here: check indentation, colons and quotes (quote a value that holds `: ` or starts with a special character)";
  }
}

/**
 * Finds where a field stands in the front matter. Parses again with positions: call it only
 * for a document that has a finding. Returns the key's position for a mapping entry, the
 * item's position for a list item, and the deepest position found when the path runs out.
 */
export function locateInYaml(source: string, firstLine: number, path: YamlPath): Position {
  const quick = locateByLines(source, path);
  if (quick) return { line: quick.line + firstLine - 1, column: quick.column };
  return locateByParsing(source, firstLine, path);
}

/** The positions parser's answer: `yaml` 2 with a LineCounter (about 60-100 µs a document). */
export function locateByParsing(source: string, firstLine: number, path: YamlPath): Position {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, uniqueKeys: false });
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(step));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return { line: 1, column: 1 };
  const at = counter.linePos(offset);
  return { line: at.line + firstLine - 1, column: at.col };
}

interface Line {
  /** 0-based line in the source. */
  index: number;
  indent: number;
  /** The line after its indentation (for a list item's first line, after the `- `). */
  text: string;
}

const PLAIN_KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?=[ ]|$)/;

/**
 * The common case found by reading lines: plain block-style YAML (`key:` entries, `- ` items),
 * which is what `careplan new` writes and people type. Returns undefined whenever the text is
 * anything else (flow style, quoted keys, tabs, an item whose value starts on the next line, a
 * key written twice), and the parser answers instead; a differential test holds the two equal.
 */
export function locateByLines(source: string, path: YamlPath): Position | undefined {
  if (source.includes("\t")) return undefined;
  let lines: Line[] = [];
  source.split("\n").forEach((raw, index) => {
    const indent = raw.length - raw.trimStart().length;
    const text = raw.slice(indent).trimEnd();
    if (text !== "" && !text.startsWith("#")) lines.push({ index, indent, text });
  });
  let position: Position | undefined;
  for (const step of path) {
    const first = lines[0];
    if (!first) return undefined;
    const indent = first.indent;
    if (typeof step === "string") {
      let found = -1;
      let openValue = false; // the last key had its value on the lines below: a list may stand at the key's indent
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.indent < indent) return undefined;
        if (line.indent > indent) continue;
        if (/^-(?: |$)/.test(line.text)) {
          if (!openValue) return undefined;
          continue;
        }
        const key = PLAIN_KEY.exec(line.text)?.[1];
        if (key === undefined) return undefined;
        const value = line.text.slice(key.length + 1).trim();
        openValue = value === "" || value.startsWith("#");
        if (key === step) {
          if (found !== -1) return undefined;
          found = i;
        }
      }
      if (found === -1) return undefined;
      const line = lines[found]!;
      position = { line: line.index + 1, column: line.indent + 1 };
      const value = line.text.slice(step.length + 1).trim();
      lines = value === "" || value.startsWith("#") ? valueLines(lines, found) : [];
    } else {
      const items = lines.map((line, i) => ({ line, i })).filter(({ line }) => line.indent === indent);
      if (!items.every(({ line }) => /^-(?: |$)/.test(line.text))) return undefined;
      const item = items[step];
      if (!item) return undefined;
      const content = item.line.text.slice(1).trimStart();
      if (content === "" || /^[-&!*[{"'|>?]/.test(content)) return undefined;
      const column = indent + item.line.text.length - content.length;
      position = { line: item.line.index + 1, column: column + 1 };
      const next = items[step + 1]?.i ?? lines.length;
      lines = [{ index: item.line.index, indent: column, text: content }, ...lines.slice(item.i + 1, next)];
    }
  }
  return position;
}

/** The lines of a key's block value: more indented, or a list written at the key's own indent. */
function valueLines(lines: Line[], keyAt: number): Line[] {
  const indent = lines[keyAt]!.indent;
  const value: Line[] = [];
  for (let i = keyAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const sameIndentItem = line.indent === indent && /^-(?: |$)/.test(line.text);
    if (line.indent <= indent && !sameIndentItem) break;
    value.push(line);
  }
  return value;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}
