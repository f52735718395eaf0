// Shell completion, as gh and cobra do it: `careplan completion <shell>` prints a small script
// that asks `careplan __complete <words...>` for the candidates at every TAB. The commands, options
// and choices come from the command line's own definition, child ids, names and rules from the
// repository as it is then: the script never goes stale.
import { isUtf8 } from "node:buffer";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileNameReader, PROFILE_FILE } from "../casefile/filename.js";
import { parseDocumentText } from "../casefile/document.js";
import { findRepository, listChildFolders, posix, type Repository } from "../casefile/repository.js";
import { TEMPLATES_DIR } from "../assets.js";
import { repositoryForms } from "../core/forms.js";
import { documentTypes } from "../doctypes.js";
import { loadBuiltInForms } from "../templates/forms.js";
import { UsageError } from "../errors.js";
import { legalStatusesOf, PRESETS, resolvePolicy } from "../timescales/policy.js";
import { EXIT, type CommandContext } from "./context.js";
import { HELP_TOPICS } from "./help.js";
import { readRegularFile } from "../common/read-file.js";
import { hasControl } from "../common/safe-text.js";

import { COMPLETE_COMMAND, SHELLS, type Shell } from "./choices.js";
export { COMPLETE_COMMAND, SHELLS, type Shell } from "./choices.js";

/** What completion needs to know of a command, read from its definition by cli.ts. */
export interface CommandSpec {
  name: string;
  /** A command made of commands (`templates list`). */
  subcommands?: CommandSpec[];
  options: OptionSpec[];
  /** The positional arguments in order: `type`, `dir`, `path` (repeatable), `topic`... */
  arguments: { name: string; variadic: boolean }[];
}

export interface OptionSpec {
  /** Every way to write it: `--output-file`, `-o`. */
  flags: string[];
  takesValue: boolean;
  choices?: readonly string[];
  /** Given more than once (`--set`, `--rule`). */
  repeatable: boolean;
}

/** The last line of `__complete`: whether the shell should offer file names as well. */
export const FILES = ":files";
export const NO_FILES = ":nofiles";

export function runCompletion(shell: string | undefined, context: CommandContext): number {
  if (shell === undefined || !(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`careplan completion needs a shell: ${SHELLS.join(", ")}. For example: careplan completion bash > ~/.local/share/bash-completion/completions/careplan`);
  }
  context.stdout.write(SCRIPTS[shell as Shell]);
  return EXIT.ok;
}

/**
 * The candidates for the last of `words` (the words after `careplan`, the last one being typed),
 * one per line, then FILES or NO_FILES. Never fails: a repository that cannot be read gives no
 * candidates from it.
 */
export function complete(words: readonly string[], commands: readonly CommandSpec[], context: CommandContext): string {
  const current = unquote(words.at(-1) ?? "");
  const before = words.slice(0, -1);
  const { candidates, files } = candidatesFor(before, current, commands, context);
  // One candidate a line: a name from the repository holding a line break or another control character is no word to complete.
  const matching = [...new Set(candidates)].filter((candidate) => candidate.startsWith(current) && !hasControl(candidate));
  return [...matching, files ? FILES : NO_FILES].join("\n") + "\n";
}

interface Candidates {
  candidates: readonly string[];
  files: boolean;
}

const none: Candidates = { candidates: [], files: false };

function candidatesFor(before: readonly string[], current: string, commands: readonly CommandSpec[], context: CommandContext, program = true): Candidates {
  const visible = commands.map((command) => command.name);
  const [name, ...rest] = before;
  if (name === undefined) return { candidates: current.startsWith("-") ? ["--help", ...(program ? ["--version"] : [])] : visible, files: false };
  const command = commands.find((c) => c.name === name);
  if (!command) return none;
  if (command.subcommands) return candidatesFor(rest, current, command.subcommands, context, false);

  const previous = rest.at(-1);
  const option = previous === undefined ? undefined : command.options.find((o) => o.flags.includes(previous));
  const { positionals, config } = readWords(rest.slice(0, option?.takesValue ? -1 : undefined), command);
  if (option?.takesValue) return valuesOf(option, { positionals, config }, context);
  if (current.startsWith("-")) {
    const given = new Set(rest);
    const options = command.options.filter((o) => o.repeatable || !o.flags.some((flag) => given.has(flag)));
    return { candidates: [...options.map((o) => o.flags.find((flag) => flag.startsWith("--")) ?? o.flags[0]!), "--help"], files: false };
  }
  const last = command.arguments.at(-1);
  const argument = command.arguments[positionals.length] ?? (last?.variadic ? last : undefined);
  return argument ? argumentValues(command.name, argument.name, { positionals, config }, visible, context) : none;
}

/** The positional words typed so far (options and their values set aside), and the --config given. */
function readWords(words: readonly string[], command: CommandSpec): { positionals: string[]; config: string | undefined } {
  const positionals: string[] = [];
  let config: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const option = command.options.find((o) => o.flags.includes(word));
    if (option?.takesValue) {
      if (word === "--config") config = words[i + 1];
      i++;
    } else if (!option && !word.startsWith("-")) positionals.push(word);
  }
  return { positionals, config };
}

function argumentValues(command: string, argument: string, words: ReturnType<typeof readWords>, commands: readonly string[], context: CommandContext): Candidates {
  const { positionals } = words;
  switch (argument) {
    case "type": {
      // The repository's own types too, when it has a templates folder that reads.
      const local = fromRepository(words, context, (repository) => [...repositoryForms(repository).keys()].sort());
      return local.candidates.length > 0 ? local : { candidates: [...loadBuiltInForms(TEMPLATES_DIR).keys()].sort(), files: false };
    }
    case "shell":
      return { candidates: SHELLS, files: false };
    case "topic":
      return { candidates: [...HELP_TOPICS, ...commands.filter((name) => name !== "help")], files: false };
    case "name":
      return command === "help" && positionals[0] === "presets" ? { candidates: [...PRESETS.keys()], files: false } : none;
    case "path":
    case "dir":
      return { candidates: [], files: true };
    default:
      return none;
  }
}

function valuesOf(option: OptionSpec, words: ReturnType<typeof readWords>, context: CommandContext): Candidates {
  if (option.choices) return { candidates: option.choices, files: false };
  const long = option.flags.find((flag) => flag.startsWith("--"));
  switch (long) {
    case "--config":
    case "--output-file":
      return { candidates: [], files: true };
    case "--as-of":
    case "--date":
    case "--from":
    case "--to":
    case "--snapshot":
      return { candidates: [context.today], files: false };
    case "--child":
      return fromRepository(words, context, (repository) => listChildFolders(repository));
    case "--worker":
    case "--team":
      return fromRepository(words, context, (repository) => profileNames(repository, long === "--worker" ? "name" : "team"));
    case "--rule":
      return fromRepository(words, context, (repository) => ruleIds(repository));
    default:
      return none;
  }
}

/** Values read from the repository the words point at (--config, else the first path, else here). */
function fromRepository(words: ReturnType<typeof readWords>, context: CommandContext, read: (repository: Repository) => string[]): Candidates {
  try {
    const start = words.positionals.find((word) => existsSync(resolve(context.cwd, word))) ?? ".";
    const repository = findRepository(resolve(context.cwd, start), words.config === undefined ? undefined : resolve(context.cwd, words.config));
    return { candidates: read(repository), files: false };
  } catch {
    return none;
  }
}

/** The social workers' names or teams written in the children's profiles (only the profiles are read). */
function profileNames(repository: Repository, key: "name" | "team"): string[] {
  const readName = fileNameReader([]);
  const names = new Set<string>();
  for (const id of listChildFolders(repository)) {
    const path = join(repository.childrenDir, id, PROFILE_FILE);
    // Read as every case file is read (a named pipe never opened, a link to /dev/zero not followed past the size limit).
    const read = readRegularFile(path, repository.config.limits.documentSize);
    if (!read.ok || !isUtf8(read.bytes)) continue;
    const profile = parseDocumentText(posix(relative(repository.root, path)), id, readName(PROFILE_FILE), read.bytes.toString("utf8"));
    const worker = profile.data?.social_worker as Record<string, unknown> | undefined;
    const value = worker?.[key];
    if (typeof value === "string" && value.trim() !== "") names.add(value.trim());
  }
  return [...names].sort();
}

/** The rule ids in force, and their families (`visit.*`), as --rule takes them. */
function ruleIds(repository: Repository): string[] {
  const types = documentTypes(repositoryForms(repository));
  const ids = resolvePolicy(repository.config, [...types.keys()], legalStatusesOf(types)).rules.map((rule) => rule.id);
  const families = ids.filter((id) => id.includes(".")).map((id) => `${id.split(".")[0]}.*`);
  return [...new Set([...ids, ...families])].sort();
}

/** A word as the shell passed it, quotes and backslashes of a name with spaces taken off. */
function unquote(word: string): string {
  return word.replace(/^["']/, "").replace(/\\(.)/g, "$1");
}

const BASH = `# bash completion for careplan
# Install: careplan completion bash > ~/.local/share/bash-completion/completions/careplan
# (or add to ~/.bashrc: source <(careplan completion bash))
_careplan() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  local -a lines
  lines=($(careplan ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  (( \${#lines[@]} > 0 )) || return 0
  local directive=\${lines[\${#lines[@]}-1]}
  unset "lines[\${#lines[@]}-1]"
  local candidate
  for candidate in "\${lines[@]}"; do
    # A name with spaces goes in escaped, unless the word was begun with a quote.
    if [[ $cur == [\\"\\']* ]]; then COMPREPLY+=("$candidate"); else COMPREPLY+=("$(printf '%q' "$candidate")"); fi
  done
  if [[ $directive == ${FILES} ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -f -- "$cur"))
  fi
  return 0
}
complete -F _careplan careplan
`;

const ZSH = `#compdef careplan
# zsh completion for careplan
# Install: careplan completion zsh > "\${fpath[1]}/_careplan"   (then start a new shell)
_careplan() {
  local -a lines candidates
  lines=("\${(@f)$(careplan ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  (( \${#lines} > 0 )) || return 1
  local directive=\${lines[-1]}
  candidates=("\${(@)lines[1,-2]}")
  (( \${#candidates} > 0 )) && compadd -- "\${candidates[@]}"
  [[ $directive == ${FILES} ]] && _files
  return 0
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _careplan "$@"
else
  compdef _careplan careplan
fi
`;

const FISH = `# fish completion for careplan
# Install: careplan completion fish > ~/.config/fish/completions/careplan.fish
function __careplan_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l lines (careplan ${COMPLETE_COMMAND} $words[2..-1] 2>/dev/null)
    set -q lines[1]; or return
    set -l directive $lines[-1]
    set -e lines[-1]
    printf '%s\\n' $lines
    if test "$directive" = "${FILES}"
        __fish_complete_path (commandline -ct)
    end
end
complete -c careplan -f -a '(__careplan_complete)'
`;

const SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH };
