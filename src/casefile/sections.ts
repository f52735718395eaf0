// Finds a document's `## ` sections by CommonMark's block rules, in one pass over the lines:
// a `## ` inside a fenced or indented code block, an HTML block, a block quote or a list item is
// no section heading; setext (`---` underline) and closing-hash forms are.
import { detached } from "./detach.js";

export interface Section {
  heading: string;
  line: number;
  column: number;
  /** The last line of the section: the line before the next heading of level 1 or 2, or the body's last. */
  end: number;
  empty: boolean;
}

/**
 * A line that is, or looks like, a heading: a heading of any level, a paragraph that opens with a
 * line in bold only (`**Health**`), or a numbered list item (`1. Health`), as text pasted from Word
 * comes. The rules use these to say where a section is when it is written in another form.
 */
export interface HeadingLine {
  form: "heading" | "bold" | "list";
  /** 1-6 for a heading; 0 for the other forms. */
  level: number;
  /** The plain text (markup stripped): document text, for matching only, never for a message. */
  text: string;
  line: number;
  column: number;
  /**
   * For a `## ` heading: the first line of its section holding more than white space and
   * comments, or undefined when it is empty (so a section can be told empty up to a line).
   */
  contentLine?: number;
}

export interface ScannedBody {
  /** The `## ` sections. */
  sections: Section[];
  /** Every heading-like line, in order. */
  headings: HeadingLine[];
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

/** Characters that can begin a block other than a paragraph (headings, fences, lists, quotes, HTML, breaks). */
const MAY_START_BLOCK = new Set("#`~-*_=+<>0123456789".split("").map((c) => c.charCodeAt(0)));

/** Most lines of a case file are prose: a first character that starts no block settles it cheaply. */
function isOrdinaryText(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code !== 32 && code !== 9) return !MAY_START_BLOCK.has(code);
  }
  return false;
}

const isSpaceOrTab = (code: number) => code === 32 || code === 9;

function trimSpacesAndTabs(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceOrTab(text.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * An ATX heading, read character by character: a regular expression for "text, then optional
 * closing hashes, then spaces" backtracks quadratically on a long run of spaces inside the text.
 */
function atxHeading(line: string): { level: number; text: string } | undefined {
  if (indentOf(line) > 3) return undefined;
  let at = 0;
  while (line.charCodeAt(at) === 32) at++; // up to three spaces: a tab would have made the indent 4
  let level = 0;
  while (level <= 6 && line.charCodeAt(at + level) === 35) level++;
  if (level === 0 || level > 6) return undefined;
  const rest = line.slice(at + level);
  if (rest !== "" && !isSpaceOrTab(rest.charCodeAt(0))) return undefined;
  let text = trimSpacesAndTabs(rest);
  // A closing sequence: hashes at the end, alone or after a space or tab.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 35) end--;
  if (end === 0) text = "";
  else if (end < text.length && isSpaceOrTab(text.charCodeAt(end - 1))) text = trimSpacesAndTabs(text.slice(0, end));
  return { level, text };
}

function fenceOpen(line: string): { char: string; length: number; indent: number } | undefined {
  const match = /^( {0,3})(`{3,}|~{3,})(.*)$/s.exec(line);
  if (!match) return undefined;
  if (match[2]![0] === "`" && match[3]!.includes("`")) return undefined;
  return { char: match[2]![0]!, length: match[2]!.length, indent: match[1]!.length };
}

function isFenceClose(line: string, fence: { char: string; length: number }): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return Boolean(match && match[1]![0] === fence.char && match[1]!.length >= fence.length);
}

const commentEnds = (line: string) => line.includes("-->");

/** The end condition of an HTML block starting on this line (CommonMark types 1-7), or undefined. */
function htmlBlockStart(line: string, inParagraph: boolean): ((l: string) => boolean) | "blank" | undefined {
  if (indentOf(line) > 3) return undefined;
  const text = line.trimStart();
  if (!text.startsWith("<")) return undefined;
  if (text.startsWith("<!--")) return commentEnds; // the templates' guidance: by far the most common
  if (/^<(script|pre|style|textarea)(?:\s|>|$)/i.test(text)) return (l) => /<\/(script|pre|style|textarea)>/i.test(l);
  if (text.startsWith("<?")) return (l) => l.includes("?>");
  if (/^<![A-Za-z]/.test(text)) return (l) => l.includes(">");
  if (text.startsWith("<![CDATA[")) return (l) => l.includes("]]>");
  const tag = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s|\/?>|$)/.exec(text);
  if (tag && HTML_BLOCK_TAGS.has(tag[1]!.toLowerCase())) return "blank";
  if (!inParagraph && isCompleteTagLine(text)) return "blank";
  return undefined;
}

const isAsciiLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isAsciiDigit = (code: number) => code >= 48 && code <= 57;
/** JavaScript's `\s`, as the pattern this replaces used. */
const isWhiteSpace = (code: number) => /\s/.test(String.fromCharCode(code));

function skipWhiteSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && isWhiteSpace(text.charCodeAt(at))) at++;
  return at;
}

/**
 * A complete open or closing tag and nothing but white space after it (CommonMark's HTML block
 * type 7), read by hand: as a regular expression, the repeated attribute group overflows V8's
 * backtracking stack on a long line.
 */
function isCompleteTagLine(text: string): boolean {
  const tagName = (from: number): number => {
    if (!isAsciiLetter(text.charCodeAt(from))) return -1;
    let at = from + 1;
    while (at < text.length && (isAsciiLetter(text.charCodeAt(at)) || isAsciiDigit(text.charCodeAt(at)) || text[at] === "-")) at++;
    return at;
  };
  if (text[0] !== "<") return false;
  const closing = text[1] === "/";
  let at = tagName(closing ? 2 : 1);
  if (at === -1) return false;
  if (!closing) {
    for (;;) {
      const name = skipWhiteSpace(text, at);
      const first = text.charCodeAt(name);
      if (name === at || !(isAsciiLetter(first) || first === 95 || first === 58)) break; // [A-Za-z_:] after white space
      at = name + 1;
      while (at < text.length && /[\w.:-]/.test(text[at]!)) at++;
      const equals = skipWhiteSpace(text, at);
      if (text[equals] !== "=") continue;
      const value = skipWhiteSpace(text, equals + 1);
      const quote = text[value];
      if (quote === '"' || quote === "'") {
        const close = text.indexOf(quote, value + 1);
        if (close === -1) return false;
        at = close + 1;
      } else {
        at = value;
        while (at < text.length && !isWhiteSpace(text.charCodeAt(at)) && !"\"'=<>`".includes(text[at]!)) at++;
        if (at === value) return false;
      }
    }
    at = skipWhiteSpace(text, at);
    if (text[at] === "/") at++;
  } else {
    at = skipWhiteSpace(text, at);
  }
  if (text[at] !== ">") return false;
  return skipWhiteSpace(text, at + 1) === text.length;
}

/** A block quote line's content: its `>` markers (each after up to three spaces, with one space after) taken off. */
function quoteContent(line: string): string {
  let at = 0;
  for (;;) {
    let next = at;
    while (next - at < 3 && line.charCodeAt(next) === 32) next++;
    if (line[next] !== ">") return line.slice(at);
    next++;
    if (line.charCodeAt(next) === 32) next++;
    at = next;
  }
}

/** The content column of a list item starting on this line, or undefined. */
function listItemStart(line: string, inParagraph: boolean): number | undefined {
  const match = /^( {0,3})([-+*]|\d{1,9}[.)])([ \t]*)(.*)$/s.exec(line);
  if (!match) return undefined;
  const [, lead, marker, spaces, rest] = match as unknown as [string, string, string, string, string];
  if (spaces === "" && rest !== "") return undefined; // "-item" is text
  if (isThematicBreak(line)) return undefined;
  const ordered = /^\d/.test(marker);
  // A list item may interrupt a paragraph only when it is not empty and, if ordered, starts at 1.
  if (inParagraph && (rest.trim() === "" || (ordered && !/^1[.)]$/.test(marker)))) return undefined;
  const gap = rest === "" || spaces.length > 4 ? 1 : spaces.length; // five spaces or more: indented code inside the item
  return lead.length + marker.length + gap;
}

/** Three or more of one of `-`, `*`, `_`, spaces and tabs between: counted, as a regular expression with a backreference overflows V8's stack on a long line. */
function isThematicBreak(line: string): boolean {
  if (indentOf(line) > 3) return false;
  let marker = 0;
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (isSpaceOrTab(code)) continue;
    if (marker === 0 && (code === 45 || code === 42 || code === 95)) marker = code;
    else if (code !== marker) return false;
    count++;
  }
  return count >= 3;
}
const setextUnderline = (line: string): number => (/^ {0,3}=+[ \t]*$/.test(line) ? 1 : /^ {0,3}-+[ \t]*$/.test(line) ? 2 : 0);

/**
 * Plain text of a heading: what a CommonMark parser's text would be for simple inline markup. The
 * document keeps it: a string of its own (`detached`), not a view of the file's text.
 */
function plainText(raw: string): string {
  if (!/[\\*_`]|\s\s|\t/.test(raw)) return detached(raw.trim()); // the usual heading: nothing to strip
  return detached(
    raw
      .replace(/\\([!-/:-@[-`{-~])/g, "$1")
      .replace(/[*_`]/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/**
 * A line outside an open container that starts a block of its own, so it cannot continue the
 * container's paragraph lazily. Outside the container the paragraph rules do not hold back a
 * list item (any number, even empty); HTML of type 7 still cannot interrupt the paragraph.
 */
function startsBlock(line: string): boolean {
  if (isOrdinaryText(line)) return false;
  return (
    atxHeading(line) !== undefined ||
    isThematicBreak(line) ||
    fenceOpen(line) !== undefined ||
    /^ {0,3}>/.test(line) ||
    listItemStart(line, false) !== undefined ||
    htmlBlockStart(line, true) !== undefined
  );
}

/**
 * Whether a container's content line is paragraph text (which a later line may continue lazily).
 * `relativeIndent` is its indent within the container; `continuing` says a paragraph is open there.
 */
function isParagraphText(content: string, relativeIndent: number, continuing: boolean): boolean {
  if (isBlank(content)) return false;
  if (relativeIndent >= 4) return continuing; // indented code, unless it continues the paragraph
  if (isOrdinaryText(content)) return true;
  if (continuing && setextUnderline(content)) return false; // the paragraph became a heading
  return !(atxHeading(content) || isThematicBreak(content) || fenceOpen(content) || htmlBlockStart(content, continuing) || /^ {0,3}>/.test(content));
}

/** Where the open paragraph is: at the root it may become a setext heading; in a container it may not. */
type Paragraph = { start: number; container: "root" | "quote" | "list" } | undefined;

/**
 * The text of a line in bold and nothing else (a colon or full stop may follow): what a Word
 * heading pastes as. Read from both ends: as a pattern, "bold text, then spaces" backtracks on a
 * long run of spaces.
 */
function boldLineText(line: string): string | undefined {
  let start = 0;
  while (start < 3 && line.charCodeAt(start) === 32) start++;
  const marker = line.slice(start, start + 2);
  if (marker !== "**" && marker !== "__") return undefined;
  let end = line.length;
  const trimEnd = () => {
    while (end > start && isSpaceOrTab(line.charCodeAt(end - 1))) end--;
  };
  trimEnd();
  if (line[end - 1] === ":" || line[end - 1] === ".") {
    end--;
    trimEnd();
  }
  if (end - start < 5 || line.slice(end - 2, end) !== marker) return undefined;
  const text = line.slice(start + 2, end - 2);
  return /^\S/.test(text) && /\S$/.test(text) ? text : undefined;
}

export function scanSections(body: string, firstLine: number): Section[] {
  return scanBody(body, firstLine).sections;
}

export function scanBody(body: string, firstLine: number): ScannedBody {
  const lines = body.split("\n");
  const headings: Heading[] = [];
  const lookalikes: HeadingLine[] = [];
  let fence: { char: string; length: number } | undefined;
  let html: ((l: string) => boolean) | "blank" | undefined;
  let paragraph: Paragraph;
  let listContent: number | undefined; // content column of the open list item
  let inQuote = false;
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
      previousBlank = blank;
      continue;
    }
    if (blank) {
      paragraph = undefined;
      inQuote = false;
      previousBlank = true;
      continue;
    }
    const wasBlank = previousBlank;
    previousBlank = false;
    const indent = indentOf(line);

    // Inside a list item: lines indented to its content belong to it; a paragraph's lazy
    // continuation does too. Anything else closes the list.
    if (listContent !== undefined) {
      if (indent >= listContent) {
        const inner = line.replace(/^[ \t]*/, "");
        const relative = indent - listContent;
        fence = relative <= 3 ? fenceOpen(inner) : undefined;
        const continuing = paragraph?.container === "list";
        paragraph = !fence && isParagraphText(inner, relative, continuing) ? (continuing ? paragraph : { start: i, container: "list" }) : undefined;
        continue;
      }
      if (!wasBlank && paragraph?.container === "list" && !startsBlock(line)) continue;
      listContent = undefined;
      paragraph = undefined;
    }

    // A block quote: its own lines, and the lazy continuation of its paragraph.
    if (/^ {0,3}>/.test(line)) {
      inQuote = true;
      const content = quoteContent(line);
      const continuing = paragraph?.container === "quote";
      paragraph = isParagraphText(content, indentOf(content), continuing) ? (continuing ? paragraph : { start: i, container: "quote" }) : undefined;
      continue;
    }
    if (inQuote) {
      if (paragraph?.container === "quote" && !startsBlock(line)) continue;
      inQuote = false;
      paragraph = undefined;
    }

    if (indent >= 4) continue; // indented code, or a paragraph's continuation
    if (isOrdinaryText(line)) {
      paragraph ??= { start: i, container: "root" };
      continue;
    }
    const underline = setextUnderline(line);
    if (underline && paragraph?.container === "root") {
      const text = lines.slice(paragraph.start, i).join(" ");
      headings.push({ level: underline, text: plainText(text), index: paragraph.start, line: paragraph.start + firstLine, column: indentOf(lines[paragraph.start]!) + 1, contentStart: i + 1 });
      paragraph = undefined;
      continue;
    }
    const atx = atxHeading(line);
    if (atx) {
      headings.push({ level: atx.level, text: plainText(atx.text), index: i, line: i + firstLine, column: indent + 1, contentStart: i + 1 });
      paragraph = undefined;
      continue;
    }
    const fenceStart = fenceOpen(line);
    if (fenceStart) {
      fence = fenceStart;
      paragraph = undefined;
      continue;
    }
    if (isThematicBreak(line)) {
      paragraph = undefined;
      continue;
    }
    const htmlEnd = htmlBlockStart(line, paragraph !== undefined);
    if (htmlEnd) {
      // The end condition may hold on the opening line itself (a one-line comment).
      html = htmlEnd !== "blank" && htmlEnd(line) ? undefined : htmlEnd;
      paragraph = undefined;
      continue;
    }
    const content = listItemStart(line, paragraph !== undefined);
    if (content !== undefined) {
      listContent = content;
      const inner = line.slice(Math.min(content, line.length));
      if (/^ {0,3}\d/.test(line) && !isBlank(inner)) lookalikes.push({ form: "list", level: 0, text: plainText(inner), line: i + firstLine, column: indent + 1 });
      fence = fenceOpen(inner);
      paragraph = fence || isBlank(inner) ? undefined : { start: i, container: "list" };
      continue;
    }
    if (paragraph === undefined) {
      paragraph = { start: i, container: "root" };
      const bold = boldLineText(line);
      if (bold !== undefined) lookalikes.push({ form: "bold", level: 0, text: plainText(bold), line: i + firstLine, column: indent + 1 });
    }
  }

  const sections: Section[] = [];
  const all: HeadingLine[] = [...lookalikes];
  headings.forEach((heading, index) => {
    const { level, text, line, column } = heading;
    if (level !== 2) {
      all.push({ form: "heading", level, text, line, column });
      return;
    }
    let end = lines.length;
    for (let j = index + 1; j < headings.length; j++) {
      if (headings[j]!.level <= 2) {
        end = headings[j]!.index;
        break;
      }
    }
    const content = firstContent(lines, heading.contentStart, end);
    // A body that ends with a line end has no line after it: the split's last, empty piece is none.
    const last = Math.min(end, lines.length - (lines[lines.length - 1] === "" ? 1 : 0)) - 1;
    sections.push({ heading: text, line, column, end: Math.max(last, heading.index) + firstLine, empty: content === undefined });
    all.push({ form: "heading", level, text, line, column, ...(content === undefined ? {} : { contentLine: content - heading.index + line }) });
  });
  return { sections, headings: all.sort((a, b) => a.line - b.line) };
}

/** The first line holding more than white space and HTML comments between these lines (an index), if any: scanned in place, nothing copied. */
function firstContent(lines: string[], from: number, to: number): number | undefined {
  let inComment = false;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    let at = 0;
    while (at < line.length) {
      if (inComment) {
        const close = line.indexOf("-->", at);
        if (close === -1) break;
        inComment = false;
        at = close + 3;
      } else {
        const code = line.charCodeAt(at);
        if (code === 32 || code === 9) at++;
        else if (line.startsWith("<!--", at)) {
          inComment = true;
          at += 4;
        } else return i;
      }
    }
  }
  return undefined;
}
