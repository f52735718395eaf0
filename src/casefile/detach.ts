// Strings a parsed document keeps, made independent of the file's text.

/**
 * The same text, in a string of its own. V8 keeps a string cut from a longer one (a slice, a
 * split, a match) as a view of the whole: the headings and front matter a document keeps while
 * the rules look at its child would keep every document's whole text alive with them, and a cold
 * check's garbage collector would move those texts from one generation to the next
 * (docs/performance.md).
 */
export function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
