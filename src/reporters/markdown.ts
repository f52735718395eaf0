// Text from a repository inside Markdown (a table cell, a heading): one line, and nothing in it can
// make markup: a `|` must not end a cell, a `#` or `*` start a heading or emphasis, a `<` open
// HTML, an `&` spell an entity.
import { printable, printableProse } from "../common/safe-text.js";

/** A name, a path or a case file's text: every character that could be markup is escaped. */
export function markdownText(text: string): string {
  return printableProse(text).replace(/[\\`*_[\]<>|#&~]/g, (char) => `\\${char}`);
}

/**
 * careplan's own sentence (which marks field names as `code`) with a name or heading inside it:
 * one line, its code kept, and neither a cell's end, HTML nor an entity possible.
 */
export function markdownMessage(text: string): string {
  return printable(text).replace(/[\\|<>&]/g, (char) => `\\${char}`);
}
