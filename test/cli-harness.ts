// Runs careplan in process, as markdownlint-cli2's tests do: argv, environment, working folder
// and streams are passed in, and what the user would see comes back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture {
  text = "";
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export async function runCli(argv: string[], options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean; columns?: number; today?: string }): Promise<Run> {
  const stdout = new Capture(options.tty ?? false, options.columns);
  const stderr = new Capture(false);
  const code = await main({ argv, env: { CI: "true", ...options.env }, cwd: options.cwd, stdout, stderr, ...(options.today ? { today: options.today } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary folder, removed by the returned function. */
export function temporaryFolder(prefix = "careplan-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
