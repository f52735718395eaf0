// Creating a file that must not exist yet, all or nothing: never overwrite, never half-write.
import { linkSync, unlinkSync, writeFileSync } from "node:fs";
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
