// The values options and arguments take, for the command line's definition (src/cli.ts), which
// loads a command's own module only when that command runs.

export const CHECK_FORMATS = ["stylish", "json", "sarif", "github", "gitlab", "junit"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export const TIMELINE_FORMATS = ["table", "json", "ics", "markdown"] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export const STATS_BY = ["rule", "child", "worker", "team", "month", "preset"] as const;
export type StatsBy = (typeof STATS_BY)[number];

export const STATS_FORMATS = ["table", "json", "csv", "markdown"] as const;
export type StatsFormat = (typeof STATS_FORMATS)[number];

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The name of the hidden subcommand the completion scripts call. */
export const COMPLETE_COMMAND = "__complete";

export const HELP_TOPICS = ["rules", "waivers", "presets"] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

/** Exit codes of the contract. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
