// What a command gets from the outside world: cli.ts builds it once, nothing below reads process.*.
import type { IsoDate } from "../timescales/dates.js";

export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
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
}

/** Exit codes of the contract. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A person is there to answer questions: both ends are terminals and this is not CI. */
export function isInteractive(context: CommandContext): boolean {
  const ci = context.env.CI;
  return Boolean(context.stdin?.isTTY && context.stdout.isTTY) && (ci === undefined || ci === "" || ci === "false" || ci === "0");
}
