// Front-matter YAML: a fast parse on the common path, positions only when a finding needs them.
//
// js-yaml with its core schema is about 8 times faster than `yaml` 2 on front matter and, like
// YAML 1.2's core schema, keeps dates as strings and reads only true/false as booleans
// (bench/README.md has the numbers and the differential evidence). `yaml` 2 is used where its
// extras earn their cost: error codes that never quote the source, alias limits, and a
// LineCounter for the line and column of a field.
import jsYaml from "js-yaml";
import { isMap, isSeq, isScalar, isPair, type Node, type Pair, type YAMLMap } from "yaml";
import { parseYamlBounded } from "../common/bounded-yaml.js";
import { DEFAULT_LIMITS, NESTING_CEILING, type Limits } from "../config/limits.js";

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

/** The limits a front matter is parsed under (careplan.yaml's `limits`). */
export type YamlLimits = Pick<Limits, "nesting" | "aliases" | "listItems">;

/**
 * Parses front matter. `firstLine` is the file line of the YAML's first line, so every
 * position reported is a position in the file as written. Work is bounded by `limits`: deeper
 * nesting, more aliases or a longer list is a problem for this document, never a stall.
 */
export function parseFrontMatterYaml(source: string, firstLine: number, limits: YamlLimits = DEFAULT_LIMITS): YamlResult {
  const problem = (line: number, column: number, message: string): YamlResult => ({ ok: false, problem: { line: line + firstLine - 1, column, message } });
  const tooDeep = `lists and mappings are nested more than ${limits.nesting} levels deep here: case files need a few (raise \`limits.nesting\` in careplan.yaml if this is meant)`;
  let data: unknown;
  let parsed = false;
  // Anchors and aliases can blow up in size (a "billion laughs"); only `yaml` 2 bounds them.
  if (!source.includes("*")) {
    try {
      // Its depth counts scalars too: collections nested `nesting` deep hold values one level further.
      data = jsYaml.load(source, { schema: jsYaml.CORE_SCHEMA, json: false, maxDepth: limits.nesting + 1 } as jsYaml.LoadOptions);
      parsed = true;
    } catch (error) {
      const mark = (error as { mark?: { line: number; column: number } }).mark;
      if (mark && String((error as { reason?: unknown }).reason).startsWith("nesting exceeded maxDepth")) return problem(mark.line + 1, mark.column + 1, tooDeep);
      // otherwise fall through: `yaml` 2 says where and why, in words that do not quote the document
    }
  }
  if (!parsed) {
    const bounded = parseYamlBounded(source, limits.nesting, { version: "1.2", schema: "core", uniqueKeys: true, prettyErrors: false });
    if (!bounded.ok) {
      const at = bounded.counter.linePos(bounded.tooDeepAt);
      return problem(at.line, at.col, tooDeep);
    }
    const error = bounded.doc.errors[0];
    if (error) {
      const at = bounded.counter.linePos(error.pos[0]);
      const key = error.code === "DUPLICATE_KEY" ? /^[A-Za-z_][A-Za-z0-9_]*(?=[ \t]*:)/.exec(source.slice(error.pos[0]))?.[0] : undefined;
      const message = describeYamlError(error.code);
      return { ok: false, problem: { line: at.line + firstLine - 1, column: at.col, message, ...(key === undefined ? {} : { duplicateKey: key }) } };
    }
    try {
      data = bounded.doc.toJS({ maxAliasCount: limits.aliases });
    } catch {
      return problem(1, 1, `the front matter uses too many YAML aliases (\`*name\`): write the values out (or raise \`limits.aliases\` in careplan.yaml)`);
    }
  }
  const beyond = beyondLimits(data, limits);
  if (beyond) {
    const at = createYamlLocator(source, firstLine)(beyond.path);
    const message =
      beyond.what === "nesting" ? tooDeep
      : `this list has more than ${limits.listItems} items: split it over documents (or raise \`limits.list_items\` in careplan.yaml)`;
    return { ok: false, problem: { ...at, message } };
  }
  return { ok: true, data };
}

interface Visit {
  value: unknown;
  /** Levels of lists and mappings down to and including this value, when it is one. */
  depth: number;
  step: string | number | undefined;
  parent: Visit | undefined;
}

/** The first list or mapping (in document order) nested too deep or too long, with our own stack. */
function beyondLimits(data: unknown, limits: YamlLimits): { path: YamlPath; what: "nesting" | "list" } | undefined {
  const stack: Visit[] = [{ value: data, depth: 0, step: undefined, parent: undefined }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value !== "object" || value === null) continue;
    const depth = visit.depth + 1;
    if (depth > limits.nesting) return { path: pathOf(visit), what: "nesting" };
    if (Array.isArray(value) && value.length > limits.listItems) return { path: pathOf(visit), what: "list" };
    const children: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i]![1], depth, step: children[i]![0], parent: visit });
  }
  return undefined;
}

function pathOf(visit: Visit): YamlPath {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.step !== undefined; at = at.parent) path.unshift(at.step);
  return path;
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

/** Finds where fields stand in one front matter: the work of reading it is done once, however many are asked. */
export type YamlLocator = (path: YamlPath) => Position;

/**
 * Returns the key's position for a mapping entry, the item's position for a list item, and the
 * deepest position found when the path runs out. Reads lines first (the common case); the parser
 * answers the rest, parsed at most once. Each part of the text is indexed once, so locating every
 * item of a long list costs what reading it does.
 */
export function createYamlLocator(source: string, firstLine: number): YamlLocator {
  let lines: LineLocator | undefined;
  let parsed: ParsedLocator | undefined;
  return (path) => {
    lines ??= new LineLocator(source);
    const quick = lines.locate(path);
    if (quick) return { line: quick.line + firstLine - 1, column: quick.column };
    parsed ??= new ParsedLocator(source);
    const found = parsed.locate(path);
    return found ? { line: found.line + firstLine - 1, column: found.column } : { line: 1, column: 1 };
  };
}

/** One field's position, reading the text again: tests and one-off questions. */
export function locateInYaml(source: string, firstLine: number, path: YamlPath): Position {
  return createYamlLocator(source, firstLine)(path);
}

/** The positions parser's answer: `yaml` 2 with a LineCounter (about 60-100 µs a document). */
export function locateByParsing(source: string, firstLine: number, path: YamlPath): Position {
  const found = new ParsedLocator(source).locate(path);
  return found ? { line: found.line + firstLine - 1, column: found.column } : { line: 1, column: 1 };
}

/** Parsed once; a mapping's keys are indexed the first time one of them is asked for. */
class ParsedLocator {
  private readonly parsed;
  private readonly keys = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(source: string) {
    // Bounded as parsing is: a document nested deeper has a `yaml` finding and no fields to locate.
    this.parsed = parseYamlBounded(source, NESTING_CEILING, { uniqueKeys: false });
  }

  locate(path: YamlPath): Position | undefined {
    if (!this.parsed.ok) return undefined;
    let node: unknown = this.parsed.doc.contents;
    let offset: number | undefined;
    for (const step of path) {
      if (isMap(node)) {
        const pair = this.keysOf(node).get(String(step));
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
    if (offset === undefined) return undefined;
    const at = this.parsed.counter.linePos(offset);
    return { line: at.line, column: at.col };
  }

  /** The first pair of each key, as a search from the top would find it. */
  private keysOf(map: YAMLMap): Map<string, Pair> {
    let keys = this.keys.get(map);
    if (!keys) {
      keys = new Map();
      for (const pair of map.items) {
        const key = isPair(pair) ? keyText(pair.key) : undefined;
        if (key !== undefined && !keys.has(key)) keys.set(key, pair);
      }
      this.keys.set(map, keys);
    }
    return keys;
  }
}

interface Line {
  /** 0-based line in the source. */
  index: number;
  indent: number;
  /** The line after its indentation (for a list item's first line, after the `- `). */
  text: string;
}

const PLAIN_KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?=[ ]|$)/;
const isItem = (text: string) => text === "-" || text.startsWith("- ");

/**
 * The common case found by reading lines: plain block-style YAML (`key:` entries, `- ` items),
 * which is what `careplan new` writes and people type. Returns undefined whenever the text is
 * anything else (flow style, quoted keys, tabs, an item whose value starts on the next line, a
 * key written twice), and the parser answers instead; a differential test holds the two equal.
 */
export function locateByLines(source: string, path: YamlPath): Position | undefined {
  return new LineLocator(source).locate(path);
}

/** A block of lines at one level: a mapping's entries or a list's items, indexed when first asked. */
interface Block {
  lines: Line[];
  /** Each key's line (-1: written twice), or null when the block is not a plain mapping. */
  keys?: Map<string, number> | null;
  /** The items' first lines, or null when the block is not a plain list. */
  items?: number[] | null;
  /** What each step from here leads to (undefined: the lines cannot tell). */
  steps: Map<string | number, { position: Position; block: Block } | undefined>;
}

class LineLocator {
  private readonly root: Block | undefined;

  constructor(source: string) {
    if (source.includes("\t")) return;
    const lines: Line[] = [];
    source.split("\n").forEach((raw, index) => {
      const indent = raw.length - raw.trimStart().length;
      const text = raw.slice(indent).trimEnd();
      if (text !== "" && !text.startsWith("#")) lines.push({ index, indent, text });
    });
    this.root = block(lines);
  }

  locate(path: YamlPath): Position | undefined {
    let at = this.root;
    let position: Position | undefined;
    for (const step of path) {
      if (!at) return undefined;
      let next = at.steps.get(step);
      if (!at.steps.has(step)) {
        next = typeof step === "string" ? entry(at, step) : item(at, step);
        at.steps.set(step, next);
      }
      if (!next) return undefined;
      position = next.position;
      at = next.block;
    }
    return position;
  }
}

const block = (lines: Line[]): Block => ({ lines, steps: new Map() });

/** A key's entry in a plain block mapping, and the lines of its value. */
function entry(at: Block, key: string): { position: Position; block: Block } | undefined {
  if (at.keys === undefined) at.keys = mappingKeys(at.lines);
  const found = at.keys?.get(key);
  if (found === undefined || found === -1) return undefined;
  const line = at.lines[found]!;
  const value = line.text.slice(key.length + 1).trim();
  return { position: { line: line.index + 1, column: line.indent + 1 }, block: block(value === "" || value.startsWith("#") ? valueLines(at.lines, found) : []) };
}

/** Every key of a plain block mapping at the first line's indent (-1: written twice), or null when it is not one. */
function mappingKeys(lines: Line[]): Map<string, number> | null {
  const first = lines[0];
  if (!first) return null;
  const keys = new Map<string, number>();
  let openValue = false; // the last key had its value on the lines below: a list may stand at the key's indent
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.indent < first.indent) return null;
    if (line.indent > first.indent) continue;
    if (isItem(line.text)) {
      if (!openValue) return null;
      continue;
    }
    const key = PLAIN_KEY.exec(line.text)?.[1];
    if (key === undefined) return null;
    const value = line.text.slice(key.length + 1).trim();
    openValue = value === "" || value.startsWith("#");
    keys.set(key, keys.has(key) ? -1 : i);
  }
  return keys;
}

/** An item of a plain block list, and its lines (the first one from after the `- `). */
function item(at: Block, index: number): { position: Position; block: Block } | undefined {
  if (at.items === undefined) at.items = listItems(at.lines);
  const start = at.items?.[index];
  if (start === undefined) return undefined;
  const line = at.lines[start]!;
  const content = line.text.slice(1).trimStart();
  if (content === "" || /^[-&!*[{"'|>?]/.test(content)) return undefined;
  const column = line.indent + line.text.length - content.length;
  const end = at.items![index + 1] ?? at.lines.length;
  return {
    position: { line: line.index + 1, column: column + 1 },
    block: block([{ index: line.index, indent: column, text: content }, ...at.lines.slice(start + 1, end)]),
  };
}

/** The first line of each item of a plain block list at the first line's indent, or null when it is not one. */
function listItems(lines: Line[]): number[] | null {
  const first = lines[0];
  if (!first) return null;
  const items: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.indent !== first.indent) continue;
    if (!isItem(lines[i]!.text)) return null;
    items.push(i);
  }
  return items;
}

/** The lines of a key's block value: more indented, or a list written at the key's own indent. */
function valueLines(lines: Line[], keyAt: number): Line[] {
  const indent = lines[keyAt]!.indent;
  const value: Line[] = [];
  for (let i = keyAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const sameIndentItem = line.indent === indent && isItem(line.text);
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
