// Text from a repository (file and folder names, case files, careplan.yaml, its own templates) and
// from the command line on its way to a terminal, a CI log or a file a person opens. A control
// character there could move the cursor, clear the screen, retitle the terminal, forge a line of
// a report or an annotation, or (a bidirectional override) make text read other than it is.
// Reporters and messages make such text printable, and each format escapes what is special in it
// (reporters/*); guardOutput is the last check on everything careplan writes.

/**
 * Control characters: C0, DEL, C1, the line and paragraph separators, and the bidirectional
 * embeddings, overrides and isolates (U+202A-202E, U+2066-2069) of Trojan Source.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The white space a writer means as a gap between words: tabs and line breaks. */
const LAYOUT = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** What a control character is shown as: the replacement character, seen where it stood and unable to act. */
const SHOWN_FOR_CONTROL = "\uFFFD";

const ANY_CONTROL = new RegExp(CONTROL.source);

export function hasControl(text: string): boolean {
  return ANY_CONTROL.test(text);
}

/**
 * A name or path (a file, a folder, a child id, a value from the command line) as one line: each
 * control character becomes U+FFFD, so that a file named with a line break or an escape sequence
 * is shown where it stands rather than acting.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, SHOWN_FOR_CONTROL);
}

/**
 * Prose (an action's text, a title, a heading, a worker's name) as one line: tabs and line
 * breaks, which a writer means as gaps, become one space; any other control character U+FFFD.
 */
export function printableProse(text: string): string {
  return printable(text.replace(LAYOUT, " "));
}

/**
 * Whether a value from careplan.yaml or a template may be echoed in a message: a plain name (a
 * preset, a type, a rule id, a folder), which is what a typo looks like. Anything else is
 * described instead of repeated: it may be long, or hold what was never meant to be shown.
 */
export function isPlainName(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9][\w./*+-]{0,63}$/.test(value);
}

/**
 * JSON for output. JSON.stringify escapes C0; DEL, C1, the separators and the bidirectional
 * controls are escaped too (`\u009b`), so that none reaches a terminal, and the value read back
 * is the same: machine formats keep a path exact.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, jsonEscape);
}

/**
 * An object of a list under a top-level key, as `safeJson(report, 2)` would write it there: for
 * a report written a part at a time (`separator`: "," before every object but the first).
 */
export function listEntryJson(separator: string, value: object): string {
  return `${separator}\n    ${safeJson(value, 2).replace(/\n/g, "\n    ")}`;
}

/** A character as a JSON escape, which is valid wherever a JSON text can hold a control character: in a string. */
function jsonEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * Escape sequences careplan writes itself: the colours and weights the reporters paint with
 * (reporters/color.ts, chalk at any level) and the progress line's "erase to the end".
 */
const OWN_SEQUENCE = /\u001b\[(?:(?:1|2|4|22|24|31|32|33|39)m|K)/y;

/** CONTROL but tab and line feed, which every output keeps: a long output's lines are not each a match. */
const GUARDED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The last check on every stream and file careplan writes (stdout, stderr, -o, the step summary):
 * what no reporter or message should have let through is escaped as JSON escapes it (`\u001b`),
 * which keeps JSON output valid and exact and is visible anywhere else. Kept: tab, line feed,
 * CR before LF (CSV and iCalendar lines end so), a CR opening a write (the progress line), and
 * careplan's own colour sequences.
 */
export function guardOutput(text: string): string {
  return text.replace(GUARDED, (char, offset: number) => {
    if (char === "\r" && (offset === 0 || text[offset + 1] === "\n")) return char;
    if (char === "\u001b") {
      OWN_SEQUENCE.lastIndex = offset;
      if (OWN_SEQUENCE.test(text)) return char;
    }
    return jsonEscape(char);
  });
}
