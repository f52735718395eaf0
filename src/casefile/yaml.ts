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
    return { ok: false, problem: { line: at.line + firstLine - 1, column: at.col, message: describeYamlError(error.code) } };
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

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}
