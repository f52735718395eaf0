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
 * The known names closest to a mistyped one (as commander suggests commands): those near enough
 * to be a slip, however case and spacing differ, and of them only the nearest; at most `limit`.
 */
export function nearest(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const fold = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  const target = fold(wanted);
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const score = slip(target, fold(name));
    if (score !== undefined) scored.push({ name, score });
  }
  const best = Math.min(...scored.map((s) => s.score));
  return scored
    .filter((s) => s.score === best)
    .map((s) => s.name)
    .sort()
    .slice(0, limit);
}

/**
 * The edit distance between two texts when it is small enough to be a slip of the keys, else
 * undefined: up to 3 edits (a third of the length for longer texts), and less than 60% of it.
 */
export function slip(a: string, b: string): number | undefined {
  const score = distance(a, b);
  const length = Math.max(a.length, b.length);
  return score <= Math.max(3, Math.floor(length / 3)) && (length - score) / length > 0.4 ? score : undefined;
}

/** " Did you mean `a` or `b`?" (with a leading space), or "" when nothing is near. */
export function didYouMean(wanted: string, known: Iterable<string>, quote: (name: string) => string = (name) => `\`${name}\``): string {
  const names = nearest(wanted, known).map(quote);
  if (names.length === 0) return "";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  return ` Did you mean ${list}?`;
}
