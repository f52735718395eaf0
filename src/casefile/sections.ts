// Finds a document's `## ` sections by CommonMark's block rules, in one pass over the lines:
// a `## ` inside a fenced or indented code block, an HTML block, a block quote or a list item is
// no section heading; setext (`---` underline) and closing-hash forms are.

export interface Section {
  heading: string;
  line: number;
  column: number;
  empty: boolean;
}

interface Heading {
  level: number;
  text: string;
  /** Index in the body's lines of the heading's first line. */
  index: number;
  line: number;
  column: number;
  /** Index of the first line after the heading (after the underline for setext). */
  contentStart: number;
}

const HTML_BLOCK_TAGS = new Set(
  "address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead title tr track ul".split(" "),
);

function indentOf(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === " ") width++;
    else if (char === "\t") width += 4 - (width % 4);
    else break;
  }
  return width;
}

const isBlank = (line: string) => line.trim() === "";

function atxHeading(line: string): { level: number; text: string } | undefined {
  if (indentOf(line) > 3) return undefined;
  const match = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
  if (!match) return undefined;
  let text = match[2] ?? "";
  text = text.replace(/(?:^|[ \t]+)#+[ \t]*$/, "").replace(/^#+$/, "");
  return { level: match[1]!.length, text };
}

function fenceOpen(line: string): { char: string; length: number; indent: number } | undefined {
  const match = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  if (match[2]![0] === "`" && match[3]!.includes("`")) return undefined;
  return { char: match[2]![0]!, length: match[2]!.length, indent: match[1]!.length };
}

function isFenceClose(line: string, fence: { char: string; length: number }): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return Boolean(match && match[1]![0] === fence.char && match[1]!.length >= fence.length);
}

/** The end condition of an HTML block starting on this line (CommonMark types 1-7), or undefined. */
function htmlBlockStart(line: string, inParagraph: boolean): ((l: string) => boolean) | "blank" | undefined {
  if (indentOf(line) > 3) return undefined;
  const text = line.trimStart();
  if (!text.startsWith("<")) return undefined;
  if (/^<(script|pre|style|textarea)(?:\s|>|$)/i.test(text)) return (l) => /<\/(script|pre|style|textarea)>/i.test(l);
  if (text.startsWith("<!--")) return (l) => l.includes("-->");
  if (text.startsWith("<?")) return (l) => l.includes("?>");
  if (/^<![A-Za-z]/.test(text)) return (l) => l.includes(">");
  if (text.startsWith("<![CDATA[")) return (l) => l.includes("]]>");
  const tag = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s|\/?>|$)/.exec(text);
  if (tag && HTML_BLOCK_TAGS.has(tag[1]!.toLowerCase())) return "blank";
  if (!inParagraph && /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/.test(text)) return "blank";
  return undefined;
}

/** The content column of a list item starting on this line, or undefined. */
function listItemStart(line: string, inParagraph: boolean): number | undefined {
  const match = /^( {0,3})([-+*]|\d{1,9}[.)])( {1,4}|[ \t]|$)/.exec(line);
  if (!match) return undefined;
  const rest = line.slice(match[0].length);
  if (inParagraph && (isBlank(rest) || (/^\d/.test(match[2]!) && match[2] !== "1." && match[2] !== "1)"))) return undefined;
  if (/^[-*]$/.test(match[2]!) && /^ {0,3}([-*])(?:[ \t]*\1){2,}[ \t]*$/.test(line)) return undefined; // a thematic break
  const spaces = match[3]!.length;
  return match[1]!.length + match[2]!.length + (isBlank(rest) || spaces === 0 ? 1 : spaces);
}

const isThematicBreak = (line: string) => /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line);
const setextUnderline = (line: string): number => (/^ {0,3}=+[ \t]*$/.test(line) ? 1 : /^ {0,3}-+[ \t]*$/.test(line) ? 2 : 0);

/** Plain text of a heading: what a CommonMark parser's text would be for simple inline markup. */
function plainText(raw: string): string {
  return raw
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export function scanSections(body: string, firstLine: number): Section[] {
  const lines = body.split("\n");
  const headings: Heading[] = [];
  let fence: { char: string; length: number } | undefined;
  let html: ((l: string) => boolean) | "blank" | undefined;
  let paragraph: number | undefined; // index of the open paragraph's first line
  let listContent: number | undefined; // content column of the open list item
  let quote = false;
  let previousBlank = true;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const blank = isBlank(line);
    if (fence) {
      if (isFenceClose(line, fence)) fence = undefined;
      continue;
    }
    if (html) {
      if (html === "blank" ? blank : html(line)) html = undefined;
      if (html === undefined && !blank) previousBlank = false;
      else previousBlank = blank;
      continue;
    }
    if (blank) {
      paragraph = undefined;
      quote = false;
      previousBlank = true;
      continue;
    }
    const indent = indentOf(line);
    // Inside a list item: lines indented to its content belong to it.
    if (listContent !== undefined) {
      if (indent >= listContent) {
        const inner = line.slice(listContent);
        if (fenceOpen(inner)) fence = fenceOpen(inner);
        previousBlank = false;
        continue;
      }
      if (previousBlank || !paragraph || atxHeading(line) || isThematicBreak(line) || fenceOpen(line) || line.trimStart().startsWith(">")) listContent = undefined;
      else {
        previousBlank = false;
        continue; // a lazy continuation of the item's paragraph
      }
    }
    if (quote && paragraph !== undefined && !line.trimStart().startsWith(">") && !atxHeading(line) && !isThematicBreak(line) && !fenceOpen(line) && listItemStart(line, true) === undefined && indent <= 3) {
      previousBlank = false;
      continue; // lazy continuation of a block quote's paragraph
    }
    quote = false;
    if (indent >= 4) {
      if (paragraph === undefined) {
        previousBlank = false;
        continue; // indented code
      }
    } else if (line.trimStart().startsWith(">")) {
      quote = true;
      paragraph = i;
    } else if (paragraph !== undefined && setextUnderline(line) && !quote) {
      const text = lines.slice(paragraph, i).join(" ");
      headings.push({ level: setextUnderline(line), text: plainText(text), index: paragraph, line: paragraph + firstLine, column: indentOf(lines[paragraph]!) + 1, contentStart: i + 1 });
      paragraph = undefined;
    } else if (atxHeading(line)) {
      const heading = atxHeading(line)!;
      headings.push({ level: heading.level, text: plainText(heading.text), index: i, line: i + firstLine, column: indent + 1, contentStart: i + 1 });
      paragraph = undefined;
    } else if (fenceOpen(line)) {
      fence = fenceOpen(line);
      paragraph = undefined;
    } else if (isThematicBreak(line)) {
      paragraph = undefined;
    } else if (htmlBlockStart(line, paragraph !== undefined)) {
      const end = htmlBlockStart(line, paragraph !== undefined)!;
      // The end condition may hold on the opening line itself (a one-line comment).
      html = end !== "blank" && end(line) ? undefined : end;
      paragraph = undefined;
    } else if (listItemStart(line, paragraph !== undefined) !== undefined) {
      listContent = listItemStart(line, paragraph !== undefined);
      const inner = line.slice(listContent);
      if (fenceOpen(inner)) fence = fenceOpen(inner);
      paragraph = i;
    } else if (paragraph === undefined) {
      paragraph = i;
    }
    previousBlank = false;
  }

  return sectionsFrom(headings, lines);
}

function sectionsFrom(headings: Heading[], lines: string[]): Section[] {
  const sections: Section[] = [];
  headings.forEach((heading, index) => {
    if (heading.level !== 2) return;
    const next = headings.slice(index + 1).find((h) => h.level <= 2);
    const content = lines.slice(heading.contentStart, next ? next.index : lines.length).join("\n");
    sections.push({ heading: heading.text, line: heading.line, column: heading.column, empty: isEmptyContent(content) });
  });
  return sections;
}

/** Only white space and HTML comments. */
function isEmptyContent(content: string): boolean {
  return content.replace(/<!--[\s\S]*?(?:-->|$)/g, "").trim() === "";
}
