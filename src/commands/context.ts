// What a command gets from the outside world: cli.ts builds it once, nothing below reads process.*.
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { decideColorLevel, type ColorLevel } from "../reporters/color.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import type { StoreOptions } from "../core/store.js";
import { guardOutput } from "../common/safe-text.js";

export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** A terminal's width in columns. */
  columns?: number;
}

export interface Input extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface CommandContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin: Input | undefined;
  stdout: Output;
  stderr: Output;
  /** The local calendar date when the command started; `--as-of` or `--date` replace it. */
  today: IsoDate;
  /** The calendar date now, for a command that outlives a day (check --watch). */
  clock?: () => IsoDate;
  /** Ends a command that runs until stopped (check --watch). */
  signal?: AbortSignal;
}

export { EXIT } from "./choices.js";

/** CI services set CI; `false`, `0` or empty mean it is not set. */
export function isCI(env: CommandContext["env"]): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/** A person is there to answer questions: both ends are terminals and this is not CI. */
export function isInteractive(context: CommandContext): boolean {
  return Boolean(context.stdin?.isTTY && context.stdout.isTTY) && !isCI(context.env);
}

/** "Today" for the command: `--as-of` when given (a real date), else the local date cli.ts read. */
export function asOfDate(option: string | undefined, context: CommandContext): IsoDate {
  const asOf = option ?? context.today;
  if (!isIsoDate(asOf)) throw new UsageError("--as-of must be a real date written YYYY-MM-DD.");
  return asOf;
}

/** Writes a report to the file the user named with -o (with the guard stdout has: cli.ts), or to stdout. */
export function writeReport(output: string, outputFile: string | undefined, context: CommandContext): void {
  if (outputFile === undefined) {
    context.stdout.write(output);
    return;
  }
  try {
    writeFileSync(resolve(context.cwd, outputFile), guardOutput(output));
  } catch (error) {
    throw cannotWrite(error, outputFile);
  }
}

/** A report written in pieces as it is made: to the file named with -o (opened at once), or to stdout. */
export interface ReportStream {
  write(chunk: string): void;
  close(): void;
}

export function openReport(outputFile: string | undefined, context: CommandContext): ReportStream {
  if (outputFile === undefined) return { write: (chunk) => context.stdout.write(chunk), close: () => undefined };
  let fd: number;
  try {
    fd = openSync(resolve(context.cwd, outputFile), "w");
  } catch (error) {
    throw cannotWrite(error, outputFile);
  }
  return {
    write(chunk) {
      try {
        writeSync(fd, guardOutput(chunk));
      } catch (error) {
        closeSync(fd);
        throw cannotWrite(error, outputFile);
      }
    },
    close: () => closeSync(fd),
  };
}

function cannotWrite(error: unknown, outputFile: string): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === "ENOENT" ? "its folder does not exist" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a folder" : `the system says ${code ?? "no"}`;
  return new UsageError(`-o ${outputFile}: cannot write the file: ${why}. Name a file in a folder that exists and you may write to.`);
}

/**
 * Colour for a report: only one going to a terminal, unless the flag or the environment says
 * otherwise. A file named with -o never gets colour: FORCE_COLOR is for terminals and CI logs.
 */
export function reportColorLevel(flag: boolean | undefined, outputFile: string | undefined, context: CommandContext): ColorLevel {
  if (outputFile !== undefined) return 0;
  return decideColorLevel(flag, context.env, Boolean(context.stdout.isTTY));
}

/** --no-cache and --cache-location, as every command that reads the caseload takes them. */
export function cacheOptions(options: { cache?: boolean; cacheLocation?: string }, context: CommandContext, applies = true): StoreOptions {
  return {
    enabled: applies && options.cache !== false,
    location: options.cacheLocation === undefined ? undefined : resolve(context.cwd, options.cacheLocation),
    cwd: context.cwd,
    env: context.env,
    warn: (line) => context.stderr.write(line + "\n"),
  };
}
