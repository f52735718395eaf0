// Splits a document into its YAML front matter and its Markdown body.
// Works on text whose line ends are already normalised to "\n" (see normaliseText).

export interface SplitDocument {
  /** The YAML between the fences, or undefined when the document has no front matter. */
  yaml: string | undefined;
  /** 1-based line of the first YAML line (the line after the opening `---`). */
  yamlFirstLine: number;
  /** The Markdown after the closing fence (or the whole text without front matter). */
  body: string;
  /** 1-based line of the body's first line. */
  bodyFirstLine: number;
  /** True when an opening `---` has no closing fence. */
  unterminated: boolean;
}

/** Strips a UTF-8 byte order mark and turns CRLF and lone CR into LF: line numbers stay those of the file. */
export function normaliseText(raw: string): string {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

const FENCE = /^---[ \t]*$/;

export function splitFrontMatter(text: string): SplitDocument {
  const firstEnd = lineEnd(text, 0);
  if (!FENCE.test(text.slice(0, firstEnd))) {
    return { yaml: undefined, yamlFirstLine: 1, body: text, bodyFirstLine: 1, unterminated: false };
  }
  let start = firstEnd + 1;
  let line = 2;
  while (start <= text.length) {
    const end = lineEnd(text, start);
    const content = text.slice(start, end);
    if (FENCE.test(content) || /^\.\.\.[ \t]*$/.test(content)) {
      const yaml = text.slice(firstEnd + 1, start);
      return { yaml, yamlFirstLine: 2, body: text.slice(Math.min(end + 1, text.length)), bodyFirstLine: line + 1, unterminated: false };
    }
    if (end >= text.length) break;
    start = end + 1;
    line++;
  }
  return { yaml: text.slice(firstEnd + 1), yamlFirstLine: 2, body: "", bodyFirstLine: line + 1, unterminated: true };
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf("\n", from);
  return i === -1 ? text.length : i;
}

/**
 * Where a file's front matter ends (the end of its closing fence line, in bytes), else its
 * length: splitFrontMatter finds the same front matter in the bytes before it. For a view that
 * reads a document again for a field, so that the rest is neither decoded nor normalised. Line
 * ends are found as normaliseText makes them (CRLF, LF, lone CR); a UTF-8 sequence never holds
 * an ASCII byte, so the bytes can be scanned as they are.
 */
export function frontMatterEnd(bytes: Uint8Array): number {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let line = 0; start <= bytes.length; line++) {
    let end = start;
    while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    const fence = isFence(bytes, start, end, 0x2d) || (line > 0 && isFence(bytes, start, end, 0x2e));
    if (line === 0 && !fence) return bytes.length;
    if (line > 0 && fence) return end;
    if (end >= bytes.length) break;
    start = bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? end + 2 : end + 1;
  }
  return bytes.length;
}

/** `---` (or `...`: `dot` is the byte) and nothing but spaces and tabs after it, between start and end. */
function isFence(bytes: Uint8Array, start: number, end: number, dot: number): boolean {
  if (end - start < 3 || bytes[start] !== dot || bytes[start + 1] !== dot || bytes[start + 2] !== dot) return false;
  for (let i = start + 3; i < end; i++) if (bytes[i] !== 0x20 && bytes[i] !== 0x09) return false;
  return true;
}
