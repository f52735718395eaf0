// Progress for long runs, on stderr and only on a terminal: the report on stdout stays clean.
import { isCI, type CommandContext } from "./context.js";

/** Below this many children a run is quick enough to need no progress line. */
const LONG_RUN = 200;
const EVERY = 50;

/** Passes the children through, updating one line on a terminal's stderr as they go. */
export function* withProgress<T>(children: Iterable<T>, total: number, context: CommandContext): Generator<T> {
  const show = Boolean(context.stderr.isTTY) && !isCI(context.env) && total >= LONG_RUN;
  let done = 0;
  for (const child of children) {
    yield child;
    done++;
    if (show && done % EVERY === 0) context.stderr.write(`\rcareplan: checked ${done} of ${total} children`);
  }
  if (show) context.stderr.write("\r\u001b[K");
}
