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

/** The commands that keep a cache (and take --no-cache). */
const CACHED = new Set(["check", "timeline", "stats", "report", "baseline"]);

/**
 * CAREPLAN_TEST_CACHE=off runs every command of the suite with --no-cache; =warm runs each command
 * that only reads (check, timeline, stats, report) once beforehand, so that the run tested reads
 * what the cache kept. Unset: the cache as a user has it (on).
 */
const CACHE_MODE = process.env.CAREPLAN_TEST_CACHE;

export async function runCli(argv: string[], options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean; columns?: number; today?: string }): Promise<Run> {
  const cached = CACHED.has(argv[0] ?? "");
  const args = CACHE_MODE === "off" && cached ? [argv[0]!, "--no-cache", ...argv.slice(1)] : argv;
  const env = { CI: "true", ...options.env };
  if (CACHE_MODE === "warm" && cached && argv[0] !== "baseline" && !argv.some((arg) => /^--(fix|fix-dry-run|watch)$/.test(arg))) {
    await main({ argv: args, env: { ...env, GITHUB_STEP_SUMMARY: undefined }, cwd: options.cwd, stdout: new Capture(options.tty ?? false, options.columns), stderr: new Capture(false), ...(options.today ? { today: options.today } : {}) });
  }
  const stdout = new Capture(options.tty ?? false, options.columns);
  const stderr = new Capture(false);
  const code = await main({ argv: args, env, cwd: options.cwd, stdout, stderr, ...(options.today ? { today: options.today } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary folder, removed by the returned function. */
export function temporaryFolder(prefix = "careplan-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
