// `careplan check --watch`: check, then check again whenever a file of the repository changes.
// Each run is framed by two lines an editor can wait for (VS Code's background problem matcher:
// src/commands/vscode.ts), with the stylish report between them.
import { watch } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { selectPaths } from "../casefile/repository.js";
import { formatUsageError, UsageError } from "../errors.js";
import { runCheck, type CheckOptions } from "./check.js";
import { EXIT, type CommandContext } from "./context.js";

/** The first line of every run, and the last: what an editor's matcher waits for. */
export const WATCH_BEGINS = "[careplan] Checking";
export const WATCH_ENDS = "[careplan] Watching for changes";

/** Saving a file is often several events: one run for them all. */
const SETTLE_MS = 200;

/** Changes that are not the case files': git's own files, careplan's cache, an editor's settings, installed packages. */
function ignored(name: string | null): boolean {
  return name !== null && /(^|[\\/])(\.git|\.careplan-cache|\.vscode|node_modules)([\\/]|$)/.test(name);
}

export async function runCheckWatch(options: CheckOptions, context: CommandContext): Promise<number> {
  if (options.format !== "stylish") throw new UsageError("--watch prints the report for people and editors: leave out --format.");
  if (options.outputFile !== undefined) throw new UsageError("--watch prints to the terminal: leave out -o.");
  // --fix writes the files the watch reads: run it once, on its own.
  if (options.fix || options.fixDryRun) throw new UsageError("--watch only reports: run careplan check --fix on its own, then watch.");
  // A wrong path or a missing repository ends the watch before it starts.
  const { root } = selectPaths(options.paths, context.cwd, options.config).repository;
  // careplan's own writes (its cache) are no change to check again for.
  const cache = options.cacheLocation === undefined ? undefined : relative(root, resolve(context.cwd, options.cacheLocation));
  const own = (name: string | null) => name !== null && cache !== undefined && cache !== "" && !cache.startsWith("..") && (name === cache || name.startsWith(cache + sep));

  const check = async () => {
    // Without --as-of, "today" is read again for every run: a watch may outlive a day.
    const today = context.clock?.() ?? context.today;
    context.stdout.write(`${WATCH_BEGINS} as of ${options.asOf ?? today}.\n`);
    try {
      await runCheck(options, { ...context, today });
    } catch (error) {
      // careplan.yaml being edited may be wrong for a while: say so, and keep watching.
      if (!(error instanceof UsageError)) throw error;
      context.stderr.write(formatUsageError(error));
    }
    context.stdout.write(`${WATCH_ENDS} (Ctrl+C to stop).\n`);
  };

  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    // One run at a time: changes made while one runs start the next when it is done. The first
    // runs once the watch is in place, so that no change made after it is missed.
    let running = Promise.resolve();
    const next = () => {
      running = running.then(check).catch((error: unknown) => {
        watcher.close();
        reject(error);
      });
    };
    const watcher = watch(root, { recursive: true, ...(context.signal ? { signal: context.signal } : {}) }, (_event, name) => {
      if (ignored(name) || own(name)) return;
      clearTimeout(timer);
      timer = setTimeout(next, SETTLE_MS);
    });
    next();
    const stop = () => {
      clearTimeout(timer);
      void running.then(() => resolve());
    };
    watcher.on("close", stop);
    watcher.on("error", (error) => (error.name === "AbortError" ? stop() : reject(error)));
  });
  return EXIT.ok;
}
