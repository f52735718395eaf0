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
