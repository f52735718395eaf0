// HTML built by a tagged template that escapes every value it is given: text from case files can
// only ever be text on the page. Markup made by `html` itself passes through unescaped.
import { printableProse } from "../../common/safe-text.js";

/** Markup this module made: inserting it into `html` keeps it as it is. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Markup | string | number | null | undefined | false | readonly Value[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text as HTML, in element content and in quoted attributes alike. Control characters and the
 * bidirectional overrides that could reorder what a reader sees become U+FFFD, line breaks and
 * tabs a space (common/safe-text.ts, as on a terminal).
 */
export function escapeHtml(text: string): string {
  return printableProse(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: Value): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!;
  values.forEach((value, i) => (out += render(value) + strings[i + 1]!));
  return new Markup(out);
}

/** Markup written in this codebase (a stylesheet), never text from a case file. */
export function trusted(text: string): Markup {
  return new Markup(text);
}
