// Writing case files all or nothing: a new file never overwrites one, a changed file is never half-written.
import { chmodSync, linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export class FileExistsError extends Error {}

/**
 * Writes a temporary file beside the target, then links it into place: unlike a rename, a link
 * fails when the name exists. Where the file system has no hard links, falls back to an
 * exclusive create of the target itself.
 */
export function createFileExclusive(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  writeFileSync(temporary, text, { flag: "wx" });
  try {
    linkSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new FileExistsError(path);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") throw error;
    try {
      writeFileSync(path, text, { flag: "wx" });
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === "EEXIST") throw new FileExistsError(path);
      throw fallback;
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone: nothing to tidy
    }
  }
}

export class FileChangedError extends Error {}

/**
 * Replaces a file's content all at once: a temporary file beside it (same folder, so the same
 * file system), then a rename. Refuses, writing nothing, when the file no longer holds
 * `expected` (someone saved it since it was read).
 */
export function replaceFile(path: string, text: string, expected: Buffer): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  writeFileSync(temporary, text, { flag: "wx" });
  try {
    chmodSync(temporary, statSync(path).mode & 0o7777);
    if (!readFileSync(path).equals(expected)) throw new FileChangedError(path);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
