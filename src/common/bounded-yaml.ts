// `yaml` 2 with its nesting bounded before anything recursive sees the text. Its composer recurses
// once per level: a few thousand levels (`- - - - …`, `[[[[…`) exhaust the stack, and when that
// happens inside V8's regular-expression compiler the process aborts outright, past any catch.
// The CST parser before it keeps its own stack, so the depth is measured on the CST first.
import { Composer, LineCounter, Parser, YAMLParseError, type CST, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from "yaml";

export type BoundedYaml =
  | { ok: true; doc: Document.Parsed; counter: LineCounter }
  /** A collection nested deeper than allowed starts at this offset. */
  | { ok: false; tooDeepAt: number; counter: LineCounter };

/**
 * Parses one YAML document when no collection in it is nested more than `maxDepth` levels (the
 * top-level mapping is level 1). The options are those of `parseDocument`.
 */
export function parseYamlBounded(source: string, maxDepth: number, options: ParseOptions & DocumentOptions & SchemaOptions = {}): BoundedYaml {
  const counter = new LineCounter();
  const tokens = [...new Parser(counter.addNewLine).parse(source)];
  const deep = tokens.reduce((first, token) => Math.min(first, collectionBeyond(token, maxDepth)), Infinity);
  if (deep !== Infinity) return { ok: false, tooDeepAt: deep, counter };
  // As parseDocument does: the first document, and an error if another follows.
  let doc: Document.Parsed | undefined;
  for (const composed of new Composer(options).compose(tokens, true, source.length)) {
    if (!doc) doc = composed;
    else {
      doc.errors.push(new YAMLParseError([composed.range[0], composed.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"));
      break;
    }
  }
  return { ok: true, doc: doc!, counter };
}

/** The offset of the first collection deeper than `maxDepth` (Infinity: none), walking with a stack of our own. */
function collectionBeyond(root: CST.Token, maxDepth: number): number {
  let first = Infinity;
  const stack: [CST.Token, number][] = [[root, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === "document") {
      if (token.value) stack.push([token.value, depth]);
    } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth + 1 > maxDepth) {
        first = Math.min(first, token.offset);
        continue;
      }
      for (const item of token.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return first;
}
