// User errors are kept apart from bugs: a UsageError ends the run with exit 2 and a message that
// says what to do; anything else is a bug, reported with its stack and a request to report it.
import { printable } from "./common/safe-text.js";

export class UsageError extends Error {
  override readonly name = "UsageError";
  /**
   * @param details lines shown indented below the message (a list of problems): the message
   * itself is one line, so that nothing echoed in it (a path, a value) can start a line of its own.
   */
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** careplan.yaml (or a preset) says something the tool cannot follow. */
export class ConfigError extends UsageError {}

/** Whether this is an error from the file system (it has an errno code and a system call). */
export function isIoError(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return error instanceof Error && typeof code === "string" && typeof syscall === "string";
}

/** An I/O error's cause, in words a user can act on. */
export function ioCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "it does not exist, or a folder on the way to it does not";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder";
    case "EEXIST":
      return "something is already there";
    case "ENOSPC":
    case "EDQUOT":
      return "the disk is full";
    case "ELOOP":
      return "it is a link that leads round in a circle";
    case "ENAMETOOLONG":
      return "the name is too long";
    default:
      return `the system reported ${code ?? "an unknown error"}`;
  }
}

/** A file-system failure as a sentence: what could not be done, to which path, why, and what to do. */
export function ioError(error: unknown, action: string, path: string, advice: string): UsageError {
  return new UsageError(`cannot ${action} ${path}: ${ioCause(error)}. ${advice}`);
}

/**
 * Runs a step that writes files: a file system's refusal (permissions, a read-only disk, no space,
 * a file where a folder should be) becomes a sentence naming the path, instead of a stack trace.
 */
export function writing<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!isIoError(error) || !WRITE_REFUSALS.has(error.code!)) throw error;
    throw new UsageError(`${what}: cannot write ${error.path ?? "a file"}: ${ioCause(error)}. Put that right and run the command again.`);
  }
}

const WRITE_REFUSALS = new Set(["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "ENOTDIR", "EISDIR"]);

/**
 * A usage error as the user sees it: `careplan: ` and the message on one line, each detail on a
 * line of its own below; every path or value echoed in them printable (common/safe-text.ts).
 */
export function formatUsageError(error: UsageError): string {
  return [`careplan: ${printable(error.message)}`, ...error.details.map((line) => `  ${printable(line)}`)].join("\n") + "\n";
}
