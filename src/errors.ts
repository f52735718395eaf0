// User errors are kept apart from bugs: a UsageError ends the run with exit 2 and a message that
// says what to do; anything else is a bug, reported with its stack and a request to report it.

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** careplan.yaml (or a preset) says something the tool cannot follow. */
export class ConfigError extends UsageError {}
