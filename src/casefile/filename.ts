// What a file name in a child's folder says: the profile, a document (date, type, slug), or nothing to us.
import { isIsoDate, type IsoDate } from "../common/dates.js";

export const PROFILE_FILE = "child.md";

export type FileName =
  | { kind: "profile" }
  | { kind: "document"; date: IsoDate; type: string; slug: string | undefined }
  /** Named like a document (a date, then a name, `.md`) but the date is not real, the type unknown, or the slug not letters, digits, - and _. */
  | { kind: "misnamed"; problem: "date" | "type" | "slug"; date: string; rest: string }
  | { kind: "other" };

const DOCUMENT_NAME = /^(\d{4}-\d{2}-\d{2})-(.+)\.md$/;
const SLUG = /^[A-Za-z0-9_-]+$/;

/**
 * Reads a file name. The type is the longest known type after the date (`care-planning-meeting`
 * before `care-plan`); what follows it after a `-` is the slug.
 */
export function fileNameReader(knownTypes: readonly string[]): (name: string) => FileName {
  const longestFirst = [...knownTypes].sort((a, b) => b.length - a.length);
  return (name) => {
    if (name === PROFILE_FILE) return { kind: "profile" };
    const match = DOCUMENT_NAME.exec(name);
    if (!match) return { kind: "other" };
    const [, date, rest] = match as unknown as [string, string, string];
    if (!isIsoDate(date)) return { kind: "misnamed", problem: "date", date, rest };
    const type = longestFirst.find((t) => rest === t || (rest.startsWith(t + "-") && SLUG.test(rest.slice(t.length + 1))));
    if (!type) return { kind: "misnamed", problem: longestFirst.some((t) => rest.startsWith(t + "-")) ? "slug" : "type", date, rest };
    return { kind: "document", date, type, slug: rest === type ? undefined : rest.slice(type.length + 1) };
  };
}

/** A Markdown file by its name (`.md` or `.markdown`, any case): read, so that one saying it is a document but misnamed gets a finding. */
export function isMarkdownName(name: string): boolean {
  return /\.(md|markdown)$/i.test(name);
}

export function documentFileName(date: IsoDate, type: string, slug?: string): string {
  return `${date}-${type}${slug ? `-${slug}` : ""}.md`;
}

export function isValidSlug(slug: string): boolean {
  return SLUG.test(slug);
}
