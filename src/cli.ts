// The one place that reads argv, the environment and the clock. It resolves "today" once and
// hands every command a CommandContext; commands return the exit code.
import { pathToFileURL } from "node:url";
import { Command, CommanderError, Option } from "commander";
// Only what defines the command line is loaded here: each command's module (and what it needs,
// such as yaml, ajv or handlebars) is imported when that command runs, so `--version`, `--help`
// and completion start at once.
import { examplesHelp } from "./commands/examples.js";
import { CHECK_FORMATS, COMPLETE_COMMAND, EXIT, HELP_TOPICS, SHELLS, STATS_BY, STATS_FORMATS, TIMELINE_FORMATS } from "./commands/choices.js";
import { PACKAGE_ROOT, VERSION } from "./assets.js";
import type { CommandContext, Input, Output } from "./commands/context.js";
import type { CommandSpec } from "./commands/completion.js";
import type { BaselineOptions } from "./commands/baseline.js";
import type { CheckOptions } from "./commands/check.js";
import type { HooksOptions } from "./commands/hooks.js";
import type { TemplatesOptions } from "./commands/templates.js";
import type { ReportOptions } from "./commands/report.js";
import type { StatsOptions } from "./commands/stats.js";
import type { TimelineOptions } from "./commands/timeline.js";
import { CI_SERVICES, type CiService } from "./core/ci.js";
import { formatUsageError, ioCause, isIoError, UsageError } from "./errors.js";
import { guardOutput, printable } from "./common/safe-text.js";
import type { IsoDate } from "./common/dates.js";

export interface MainParams {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdin?: Input;
  stdout: Output;
  stderr: Output;
  /** "Today" (the clock injected, for tests); the local calendar date when left out. */
  today?: IsoDate;
  /** Stops a command that runs until stopped (check --watch); Ctrl+C does otherwise. */
  signal?: AbortSignal;
}

/** The local calendar date: the one call to the clock in careplan. */
function localToday(): IsoDate {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * A bug's stack, which a report needs, with the folder careplan is installed in shortened to
 * `<careplan>`: the frames keep their files and lines, and no home folder or user name leaks.
 */
export function reportableStack(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.split(pathToFileURL(PACKAGE_ROOT).href).join("<careplan>").split(PACKAGE_ROOT).join("<careplan>");
}

/**
 * An option that takes one value refuses a second (`--child a --child b`) rather than keeping the
 * last in silence. Options are made anew each run, so the flag below is per run.
 */
function once(option: Option): Option {
  const parse = option.parseArg;
  let given = false;
  return option.argParser((value: string, previous: unknown) => {
    if (given) throw new UsageError(`${option.long} was given twice; it takes one value: give it once.`);
    given = true;
    return parse ? parse(value, previous) : value;
  });
}

const single = (flags: string, description: string): Option => once(new Option(flags, description));

/** --no-cache and --cache-location, for every command that reads the whole caseload. */
function withCacheOptions(command: Command): Command {
  return command
    .option("--no-cache", "read and parse every file, and keep nothing in the cache")
    .addOption(single("--cache-location <folder>", "keep the cache in this folder (default: .careplan-cache/ beside careplan.yaml)"));
}

/** A stream whose every write passes guardOutput (common/safe-text.ts): the last check before a terminal or a log. */
function guarded(output: Output): Output {
  return {
    write: (chunk: string) => output.write(guardOutput(chunk)),
    get isTTY() {
      return output.isTTY;
    },
    get columns() {
      return output.columns;
    },
  };
}

/**
 * commander's own error (an unknown option, a value not among the choices) echoes what was typed:
 * printable, on one line, with commander's suggestion (our own option names) on the next.
 */
function commanderError(text: string): string {
  const suggestion = /\n\(Did you mean (?:one of )?[-\w, ]+\?\)\n$/.exec(text);
  const message = suggestion ? text.slice(0, suggestion.index) : text.replace(/\n$/, "");
  return `${printable(message)}${suggestion ? suggestion[0] : "\n"}`;
}

export async function main(params: MainParams): Promise<number> {
  const stdout = guarded(params.stdout);
  const stderr = guarded(params.stderr);
  const context: CommandContext = {
    cwd: params.cwd,
    env: params.env,
    stdin: params.stdin,
    stdout,
    stderr,
    today: params.today ?? localToday(),
    clock: params.today === undefined ? localToday : () => params.today!,
    ...(params.signal ? { signal: params.signal } : {}),
  };
  let exitCode: number = EXIT.ok;
  const program = new Command("careplan")
    .description("Keep the case files of children in care complete and on time.")
    .version(VERSION, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s), outputError: (s, write) => write(commanderError(s)) })
    .showSuggestionAfterError(true);

  program
    .command("init")
    .description("start a case-file repository: careplan.yaml, children/ and a README")
    .argument("[dir]", "folder to start it in", ".")
    .addOption(single("--config <file>", "where to write the configuration (default: <dir>/careplan.yaml)"))
    .option("--vscode", "write .vscode/tasks.json: check's findings in VS Code's Problems panel (in an existing repository, only that)", false)
    .addOption(once(new Option("--ci <service>", "also write a CI file at the top of the git repository (in a case-file repository that exists: that file alone): .github/workflows/careplan.yml or .gitlab-ci.yml").choices(CI_SERVICES)))
    .addOption(single("--install <spec>", `with --ci: how CI installs careplan: an npm package, a package file in the repository (tools/careplan-${VERSION}.tgz) or a git URL (default: careplan@${VERSION})`))
    .option("--sarif", "with --ci github: also upload a SARIF report to GitHub code scanning (on a private repository, code scanning needs GitHub Advanced Security)", false)
    .addOption(single("--branch <name>", "with --ci github: the branch whose pushes are checked (default: the repository's main branch)"))
    .action(async (dir: string, options: { config?: string; vscode: boolean; ci?: CiService; install?: string; sarif: boolean; branch?: string }) => {
      if (options.ci !== undefined) {
        const { runInitCi } = await import("./commands/init-ci.js");
        exitCode = runInitCi(dir, { ...options, ci: options.ci }, context);
        return;
      }
      if (options.install !== undefined || options.sarif || options.branch !== undefined) throw new UsageError("--install, --sarif and --branch go with --ci: careplan init --ci github --install <spec>.");
      const { runInit } = await import("./commands/init.js");
      exitCode = runInit(dir, options.config, context, { vscode: options.vscode });
    });

  program
    .command("new")
    .description("scaffold a document from its template, pre-filled from the child's profile")
    .argument("<type>", "document type: child, care-plan, placement-plan, care-planning-meeting, review, visit, health-assessment, pep, assessment, pathway-plan, or one of your own (careplan templates list)")
    .addOption(single("--child <id>", "the child the document is about"))
    .addOption(single("--id <id>", "the new child's id (new child only)"))
    .addOption(single("--date <YYYY-MM-DD>", "the day the document records (default: today)"))
    .option("--set <key=value>", "a field's value; dotted keys for parts (iro.name=...) and list items (placements.0.start=...); repeatable", collect, [])
    .addOption(single("--slug <slug>", "a name after the type, for a second document of a type on one day"))
    .option("--force", "write a document dated after today or before the child's birth", false)
    .option("--dry-run", "print the document instead of writing it", false)
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from here)"))
    .action(async (type: string, options: { child?: string; id?: string; date?: string; set: string[]; slug?: string; force: boolean; dryRun: boolean; config?: string }) => {
      const { runNew } = await import("./commands/new.js");
      exitCode = await runNew({ type, ...options }, context);
    });

  const check = program
    .command("check")
    .description("find schema errors, missing or empty sections, facts that disagree and overdue timescales")
    .argument("[path...]", "the repository, children/, a child's folder or a document (default: here)")
    .addOption(once(new Option("--format <format>", "report format").choices(CHECK_FORMATS).default("stylish")))
    .addOption(single("--as-of <YYYY-MM-DD>", "the day to check as of (default: today)"))
    .option("--changed", "only the children whose files differ from HEAD, untracked ones included", false)
    .option("--watch", "check again whenever a file changes, until stopped (for a terminal or an editor's task)", false)
    .addOption(single("--since <git-ref>", "with --changed: compare with this ref instead of HEAD"))
    .option("--staged", "only the children with staged changes, as the next commit holds them (for a pre-commit hook)", false)
    .option("--quiet", "errors only: warnings are neither shown nor counted", false)
    .option("--no-baseline", "report every finding, those in careplan-baseline.json too")
    .addOption(single("--max-warnings <n>", "exit 1 when there are more warnings than this"))
    .addOption(single("-o, --output-file <file>", "write the report to this file instead of standard output"))
    .option("--color", "colour the report even when not on a terminal")
    .option("--no-color", "never colour the report")
    .option("--fix", "add missing sections (with the template's guidance) and missing fields that have a default, then report what remains")
    .option("--fix-dry-run", "list what --fix would change, writing nothing")
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from the path)"));
  withCacheOptions(check).action(async (paths: string[], { watch, ...options }: Omit<CheckOptions, "paths"> & { watch: boolean }) => {
    if (watch) {
      const { runCheckWatch } = await import("./commands/watch.js");
      exitCode = await runCheckWatch({ ...options, paths }, context);
    } else {
      const { runCheck } = await import("./commands/check.js");
      exitCode = await runCheck({ ...options, paths }, context);
    }
  });

  const baseline = program
    .command("baseline")
    .description("record today's findings in careplan-baseline.json, so that check fails only on new ones")
    .argument("[path...]", "the repository, children/, a child's folder or a document (default: here)")
    .addOption(single("--as-of <YYYY-MM-DD>", "the day to record the findings as of (default: today)"))
    .option("--prune", "only remove the entries that no longer occur; record nothing new", false)
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from the path)"));
  withCacheOptions(baseline).action(async (paths: string[], options: Omit<BaselineOptions, "paths">) => {
    const { runBaseline } = await import("./commands/baseline.js");
    exitCode = await runBaseline({ ...options, paths }, context);
  });

  const timeline = program
    .command("timeline")
    .description("print what is due, per child or across the caseload")
    .argument("[path...]", "the repository, children/, a child's folder or a document (default: here)")
    .addOption(once(new Option("--format <format>", "output format").choices(TIMELINE_FORMATS).default("table")))
    .addOption(single("--as-of <YYYY-MM-DD>", "the day to see the timeline as of (default: today)"))
    .addOption(single("--within <days>", "show what falls due within this many days (default: 28)"))
    .option("--all", "every item, met ones and those further ahead included", false)
    .addOption(single("--child <id>", "only this child"))
    .addOption(single("--worker <name>", "only children whose social worker this is"))
    .addOption(single("--team <name>", "only children of this social work team"))
    .addOption(once(new Option("--group <by>", "table and markdown: group by week or by child").choices(["week", "child"]).default("week")))
    .option("--color", "colour the table even when not on a terminal")
    .option("--no-color", "never colour the table")
    .addOption(single("-o, --output-file <file>", "write to this file instead of standard output"))
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from the path)"));
  withCacheOptions(timeline).action(async (paths: string[], options: Omit<TimelineOptions, "paths">) => {
    const { runTimeline } = await import("./commands/timeline.js");
    exitCode = await runTimeline({ ...options, paths }, context);
  });

  const stats = program
    .command("stats")
    .description("how many deadlines of a period were met on time, late or not yet, or which duties were in date on one day")
    .argument("[path...]", "the repository, children/, a child's folder or a document (default: here)")
    .addOption(single("--from <YYYY-MM-DD>", "the first day of the period"))
    .addOption(single("--to <YYYY-MM-DD>", "the last day of the period (the figures are as known on that day)"))
    .addOption(single("--snapshot <YYYY-MM-DD>", "instead of a period: which recurring duties were in date on this day"))
    .addOption(once(new Option("--by <key>", "group by").choices(STATS_BY).default("rule")))
    .option("--rule <id>", "only this rule, or a family such as visit.*; repeatable", collect, [])
    .addOption(once(new Option("--format <format>", "output format").choices(STATS_FORMATS).default("table")))
    .option("--color", "colour the table even when not on a terminal")
    .option("--no-color", "never colour the table")
    .addOption(single("-o, --output-file <file>", "write to this file instead of standard output"))
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from the path)"));
  withCacheOptions(stats).action(async (paths: string[], options: Omit<StatsOptions, "paths">) => {
    const { runStats } = await import("./commands/stats.js");
    exitCode = await runStats({ ...options, paths }, context);
  });

  const hooks = program.command("hooks").description("a git pre-commit hook that checks the children each commit touches, as staged");
  const hookCommands: [string, string, "runHooksInstall" | "runHooksUninstall" | "runHooksStatus"][] = [
    ["install", "add the pre-commit hook (a hook already there keeps running, first; with husky or the pre-commit framework: print the lines to add)", "runHooksInstall"],
    ["uninstall", "remove exactly what hooks install added, putting back the hook that was there", "runHooksUninstall"],
    ["status", "say whether the hook is installed, and where", "runHooksStatus"],
  ];
  for (const [name, description, run] of hookCommands) {
    hooks
      .command(name)
      .description(description)
      .argument("[path]", "the case-file repository, or a folder in it (default: here)")
      .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from the path)"))
      .action(async (path: string | undefined, options: { config?: string }) => {
        const module = await import("./commands/hooks.js");
        exitCode = module[run]({ ...options, ...(path === undefined ? {} : { path }) } satisfies HooksOptions, context);
      });
  }

  const templates = program.command("templates").description("the document types in use: built-in and your own (careplan.yaml `templates:`)");
  templates
    .command("list")
    .description("every type, where its form comes from and its versions")
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from here)"))
    .action(async (options: TemplatesOptions) => {
      const { runTemplatesList } = await import("./commands/templates.js");
      exitCode = runTemplatesList(options, context);
    });
  templates
    .command("show")
    .description("a type's fields and sections as a person reads them")
    .argument("<type>", "the document type")
    .addOption(single("--date <YYYY-MM-DD>", "show the version in force on this day (default: today)"))
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from here)"))
    .action(async (type: string, options: TemplatesOptions) => {
      const { runTemplatesShow } = await import("./commands/templates.js");
      exitCode = runTemplatesShow(type, options, context);
    });
  templates
    .command("schema")
    .description("a type's JSON Schema (2020-12), derived from its template, for editors and other tools")
    .argument("<type>", "the document type")
    .addOption(single("--date <YYYY-MM-DD>", "the version in force on this day (default: today)"))
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from here)"))
    .action(async (type: string, options: TemplatesOptions) => {
      const { runTemplatesSchema } = await import("./commands/templates.js");
      exitCode = runTemplatesSchema(type, options, context);
    });
  templates
    .command("check")
    .description("check your own templates: exit 2 naming the file, key and line of each problem")
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from here)"))
    .action(async (options: TemplatesOptions) => {
      const { runTemplatesCheck } = await import("./commands/templates.js");
      exitCode = runTemplatesCheck(options, context);
    });

  const report = program
    .command("report")
    .description("write a web page for managers: what is overdue and due soon per team and social worker, each child's timeline, and the period's figures")
    .argument("[path...]", "the repository, children/, a child's folder or a document (default: here)")
    .addOption(single("-o, --output-file <file>", "the page to write, for example report.html"))
    .addOption(single("--as-of <YYYY-MM-DD>", "the day to report as of (default: today)"))
    .addOption(single("--from <YYYY-MM-DD>", "the first day of the period the figures count (default: 12 months before --to)"))
    .addOption(single("--to <YYYY-MM-DD>", "the last day of the period the figures count (default: the as-of date)"))
    .addOption(single("--config <file>", "careplan.yaml to use (default: found upward from the path)"));
  withCacheOptions(report).action(async (paths: string[], options: Omit<ReportOptions, "paths">) => {
    const { runReport } = await import("./commands/report.js");
    exitCode = await runReport({ ...options, paths }, context);
  });

  program
    .command("completion")
    .description("print a script that completes careplan's commands, options, document types and child ids in your shell")
    .argument("<shell>", `the shell: ${SHELLS.join(", ")}`)
    .action(async (shell: string) => {
      const { runCompletion } = await import("./commands/completion.js");
      exitCode = runCompletion(shell, context);
    });

  // `help` explains topics as well as commands.
  program.helpCommand(false);
  program
    .command("help")
    .description(`show a command's help, or a topic: ${HELP_TOPICS.join(", ")}`)
    .argument("[topic]", `a command, or one of ${HELP_TOPICS.join(", ")}`)
    .argument("[name]", "with presets: one preset, whose rules it lists")
    .action(async (topic: string | undefined, name: string | undefined) => {
      exitCode = await runHelp(program, topic, name, stdout);
    });

  // Every command's help ends with examples and where to read more (src/commands/examples.ts),
  // a subcommand's under its full name ("templates show").
  const withExamples = (command: Command, name: string): void => {
    command.addHelpText("after", examplesHelp(name));
    for (const sub of command.commands) withExamples(sub, name === "careplan" ? sub.name() : `${name} ${sub.name()}`);
  };
  withExamples(program, "careplan");

  // The completion scripts' hidden subcommand, answered before commander parses: the words it
  // is given are a command line being typed, options included, not options of its own.
  if (params.argv[0] === COMPLETE_COMMAND) {
    const { complete } = await import("./commands/completion.js");
    stdout.write(complete(params.argv.slice(1), commandSpecs(program), context));
    return EXIT.ok;
  }

  try {
    await program.parseAsync([...params.argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message. Help and version asked for exit 0; its usage errors (and
      // help shown for a missing command) exit 1 by default, where the contract says 2.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      stderr.write(formatUsageError(error));
      return EXIT.usage;
    }
    if (isIoError(error)) {
      // A file-system failure no command turned into its own words: still a sentence, no stack.
      const path = error.path === undefined ? "" : ` ${error.path}`;
      stderr.write(`careplan: cannot ${error.syscall}${printable(path)}: ${ioCause(error)}. Check the path and its permissions.\n`);
      return EXIT.usage;
    }
    stderr.write(`careplan: internal error, please report it with the command you ran (not the case files):\n${reportableStack(error)}\n`);
    return EXIT.usage;
  }
}

async function runHelp(program: Command, topic: string | undefined, name: string | undefined, stdout: Output): Promise<number> {
  if (topic === undefined) {
    program.outputHelp();
    return EXIT.ok;
  }
  const { helpTopic, isHelpTopic } = await import("./commands/help.js");
  if (isHelpTopic(topic)) {
    stdout.write(helpTopic(topic, name));
    return EXIT.ok;
  }
  const command = program.commands.find((c) => c.name() === topic);
  if (!command) {
    const names = program.commands.map((c) => c.name()).filter((n) => n !== "help");
    throw new UsageError(`help ${topic}: no such command or topic. The commands: ${names.join(", ")}. The topics: ${HELP_TOPICS.join(", ")}.`);
  }
  const sub = name === undefined ? undefined : command.commands.find((c) => c.name() === name);
  if (name !== undefined && !sub) throw new UsageError(`help ${topic} ${name}: ${topic} has no command ${name}. Run careplan help ${topic} to see its commands.`);
  (sub ?? command).outputHelp();
  return EXIT.ok;
}

/** What shell completion needs to know of each command, read from the definitions above. */
function commandSpecs(program: Command): CommandSpec[] {
  return program.commands.map((command) => ({
    name: command.name(),
    ...(command.commands.length > 0 ? { subcommands: commandSpecs(command) } : {}),
    options: command.options.map((option) => ({
      flags: [option.long, option.short].filter((flag): flag is string => flag !== undefined),
      takesValue: option.required || option.optional,
      ...(option.argChoices ? { choices: option.argChoices } : {}),
      repeatable: option.variadic || Array.isArray(option.defaultValue),
    })),
    arguments: command.registeredArguments.map((argument) => ({ name: argument.name(), variadic: argument.variadic })),
  }));
}
