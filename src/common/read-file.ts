// Reading a file the user's repository holds, without trusting the file system: the type and size
// are checked before the file is opened (a link to /dev/zero would grow without end; open() on a
// named pipe waits for a writer that never comes), again on the open file (it may have been
// swapped in between), and no more than the limit is ever read.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { isUtf8 } from "node:buffer";
import { ConfigError } from "../errors.js";

export type ReadProblem =
  | { kind: "missing" }
  | { kind: "not-a-file" }
  | { kind: "too-large"; limit: number }
  | { kind: "denied" }
  | { kind: "failed"; code: string };

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; problem: ReadProblem };

/** O_NONBLOCK: a pipe put in the file's place after the check still cannot stall the open. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK = 64 * 1024;

/**
 * `listedAsFile`: the folder's listing already said the name is a plain file (not a link): the
 * check before the open is skipped (a file swapped for something else since is still caught on
 * the open file, a link is not followed, and O_NONBLOCK keeps a pipe from stalling the open). It
 * saves a system call on every document of a cold run.
 *
 * `transient`: the bytes are used at once and let go (a document decoded as soon as it is read):
 * they are read into a buffer the thread reuses, valid until its next such read, rather than a
 * new one for each of a cold run's 100,000 files.
 */
export function readRegularFile(path: string, maxBytes: number, listedAsFile = false, transient = false): ReadResult {
  const checked = listedAsFile ? undefined : check(() => statSync(path), maxBytes);
  if (checked) return { ok: false, problem: checked };
  let fd: number;
  try {
    // Listed as a plain file, not a link: a link put in its place since is not followed.
    fd = openSync(path, OPEN_FLAGS | (listedAsFile ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
  try {
    let size = 0;
    const opened = check(() => {
      const stats = fstatSync(fd);
      size = stats.size;
      return stats;
    }, maxBytes);
    if (opened) return { ok: false, problem: opened };
    // Room for the size the file has, and a byte more to see it grow; more only if it does.
    const room = Math.min(size + 1, maxBytes + 1);
    let bytes = transient && room <= MAX_SCRATCH ? scratch(room) : Buffer.allocUnsafe(room);
    let total = 0;
    for (;;) {
      if (total === bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total))]);
      const read = readSync(fd, bytes, total, bytes.length - total, null);
      if (read === 0) break;
      total += read;
      // The file grew while it was read.
      if (total > maxBytes) return { ok: false, problem: { kind: "too-large", limit: maxBytes } };
    }
    return { ok: true, bytes: bytes.subarray(0, total) };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  } finally {
    closeSync(fd);
  }
}

/**
 * A file known to be a plain file a moment ago (careplan's own cache, a document of a child whose
 * files it keyed): its bytes, or undefined when it is now anything else (a link, which is not
 * followed; a pipe or device, which O_NONBLOCK keeps from stalling the open; too large; gone).
 * Four system calls, where the first read of an unknown file takes more care.
 */
export function readKnownFile(path: string, maxBytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    for (let read = 0; read < bytes.length; ) {
      const got = readSync(fd, bytes, read, bytes.length - read, null);
      if (got === 0) return undefined; // shorter than a moment ago: being replaced
      read += got;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

let scratchBuffer = Buffer.allocUnsafeSlow(64 * 1024);
/** The most the reused buffer grows to: a larger file (an attachment left in a document) gets a buffer of its own, let go with it. */
const MAX_SCRATCH = 1024 * 1024;

/** The thread's reused buffer, at least `size` bytes long (at most MAX_SCRATCH). */
function scratch(size: number): Buffer {
  if (scratchBuffer.length < size) scratchBuffer = Buffer.allocUnsafeSlow(Math.min(MAX_SCRATCH, Math.max(size, scratchBuffer.length * 2)));
  return scratchBuffer.subarray(0, size);
}

function check(stat: () => Stats, maxBytes: number): ReadProblem | undefined {
  let stats: Stats;
  try {
    stats = stat();
  } catch (error) {
    return problemOf(error);
  }
  if (!stats.isFile()) return { kind: "not-a-file" };
  if (stats.size > maxBytes) return { kind: "too-large", limit: maxBytes };
  return undefined;
}

function problemOf(error: unknown): ReadProblem {
  const code = (error as NodeJS.ErrnoException).code ?? "unknown";
  if (code === "ENOENT") return { kind: "missing" };
  if (code === "EACCES" || code === "EPERM") return { kind: "denied" };
  if (code === "EISDIR") return { kind: "not-a-file" };
  // A link where the folder's listing showed a plain file (opened without following links), or a loop of links.
  if (code === "ELOOP") return { kind: "not-a-file" };
  return { kind: "failed", code };
}

/** A size in words: 1 MiB, 512 KiB, 300 bytes. */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * A text file careplan needs in order to run at all (a template, its shared declarations): its
 * text, or a configuration error that names it and says why, under the same checks as any read.
 */
export function readTextFileOrFail(path: string, maxBytes: number): string {
  const read = readRegularFile(path, maxBytes);
  if (read.ok && isUtf8(read.bytes)) return read.bytes.toString("utf8");
  const why = !read.ok ? problemWords(read.problem) : "it is not UTF-8 text";
  throw new ConfigError(`${path}: cannot be read: ${why}.`);
}

/** Why a read failed, in words for a message (no advice: the caller knows what the file is for). */
export function problemWords(problem: ReadProblem): string {
  switch (problem.kind) {
    case "missing":
      return "no such file (or a link to nothing)";
    case "not-a-file":
      return "not a regular file (a folder, device or pipe)";
    case "too-large":
      return `larger than ${sizeInWords(problem.limit)}`;
    case "denied":
      return "permission denied";
    case "failed":
      return `the system reported ${problem.code}`;
  }
}
