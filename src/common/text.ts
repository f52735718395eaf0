// Text from a repository's files shown on a terminal: its control characters (escape sequences
// that could move the cursor, recolour or retitle the terminal) become visible marks.

export function printable(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => (char === "\t" ? " " : "\uFFFD"));
}
