// Words written into shell scripts careplan generates (a CI step, a git hook).

// Not ~ (a leading one is the home folder), nor anything else sh gives a meaning to.
const SAFE_WORD = /^[A-Za-z0-9@%+=:,./_^-]+$/;

/** A word as sh reads it back unchanged: as it is when it is safe, else in single quotes. */
export function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
