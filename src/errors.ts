// User errors are kept apart from bugs: a UsageError ends the run with exit 2 and a message that
// says what to do; anything else is a bug, reported with its stack and a request to report it.

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** careplan.yaml (or a preset) says something the tool cannot follow. */
export class ConfigError extends UsageError {}

/**
 * Runs a step that writes files; a file system's refusal (permissions, a read-only disk, no space)
 * becomes a UsageError naming the path, instead of a stack trace.
 */
export function writing<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (code === undefined || !["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "ENOTDIR", "EISDIR"].includes(code)) throw error;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "the disk is read-only" : code === "ENOSPC" || code === "EDQUOT" ? "the disk is full" : "a folder is in the way";
    throw new UsageError(`${what}: ${path ?? "a file"} cannot be written (${why}). Put that right and run the command again.`);
  }
}
