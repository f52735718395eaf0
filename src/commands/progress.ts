// Progress for long runs, on stderr and only on a terminal: the report on stdout stays clean.
import { isCI, type CommandContext } from "./context.js";

/** Below this many children a run is quick enough to need no progress line. */
const LONG_RUN = 200;
const EVERY = 50;

/** Passes the children through, updating one line on a terminal's stderr as they go. */
export function* withProgress<T>(children: Iterable<T>, total: number, context: CommandContext): Generator<T> {
  const progress = progressLine(total, context);
  for (const child of children) {
    yield child;
    progress.step();
  }
  progress.end();
}

/** The same, for children that come as they are made (on workers). */
export async function* withProgressAsync<T>(children: AsyncIterable<T>, total: number, context: CommandContext): AsyncGenerator<T> {
  const progress = progressLine(total, context);
  for await (const child of children) {
    yield child;
    progress.step();
  }
  progress.end();
}

function progressLine(total: number, context: CommandContext): { step(): void; end(): void } {
  const show = Boolean(context.stderr.isTTY) && !isCI(context.env) && total >= LONG_RUN;
  let done = 0;
  return {
    step() {
      done++;
      if (show && done % EVERY === 0) context.stderr.write(`\rcareplan: checked ${done} of ${total} children`);
    },
    end() {
      if (show) context.stderr.write("\r\u001b[K");
    },
  };
}
