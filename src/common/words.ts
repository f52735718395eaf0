// Small pieces of English every message needs: counts, articles, and "did you mean" suggestions.
import { distance } from "fastest-levenshtein";

/** "1 warning", "2 warnings". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** "a visit", "an assessment": by the first letter's sound as written (the words here are type names and rule ids). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

/**
 * The known names closest to a mistyped one, nearest first: at most `limit`, and only those near
 * enough to be a slip (a few letters, however case and spacing differ).
 */
export function nearest(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const fold = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  const target = fold(wanted);
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const score = slip(target, fold(name));
    if (score !== undefined) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** The edit distance between two texts when it is small enough to be a slip of the keys, else undefined. */
export function slip(a: string, b: string): number | undefined {
  const score = distance(a, b);
  return score <= Math.max(2, Math.floor(Math.max(a.length, b.length) / 3)) ? score : undefined;
}

/** " Did you mean `a` or `b`?" (with a leading space), or "" when nothing is near. */
export function didYouMean(wanted: string, known: Iterable<string>, quote: (name: string) => string = (name) => `\`${name}\``): string {
  const names = nearest(wanted, known).map(quote);
  if (names.length === 0) return "";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  return ` Did you mean ${list}?`;
}
