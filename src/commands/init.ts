// `careplan init [dir]`: start a case-file repository. Refuses to overwrite anything that exists.
import { existsSync, lstatSync, mkdirSync, rmdirSync, unlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CONFIG_FILE } from "../config/config.js";
import { posix } from "../casefile/repository.js";
import { createFileExclusive, FileExistsError } from "../casefile/write.js";
import { ioError, UsageError } from "../errors.js";
import { EXIT, type CommandContext } from "./context.js";
import { writeVscodeTasks } from "./vscode.js";
import { printable } from "../common/safe-text.js";
import { CACHE_IGNORE_LINE, listInIgnoreFile } from "../core/cache.js";

const CONFIG_TEXT = `# careplan.yaml: how careplan reads this case-file repository. Every key is optional.

# Timescale presets, later ones overriding earlier ones (docs/rules.md lists them):
#   england                 the statutory minimum (Care Planning, Placement and Case Review Regulations 2010)
#   care-planning-meetings  care planning meetings after each placement, then every 6 weeks
#   newcastle, stoke-on-trent, sparks-fostering   local policies
policy: england

# Change a rule's interval or unit, retitle it, switch it off, or add a local rule:
# rules:
#   visit: { interval: 4, unit: weeks }
#   pep: off
rules: {}

# Days the service is closed, besides weekends and bank holidays in England and Wales (YYYY-MM-DD).
closures: []

# Where the children's folders are.
children: children

# Your own forms (docs/own-forms.md): a folder of templates that replace, extend or add to
# careplan's document types.
# templates: templates

# Severity of each check rule: error, warning or off, for example
#   section-empty: warning
#   timescale/visit: warning
severity: {}

# Folders under children/ that are not children, and files that are not case files (globs from
# this folder, as in ESLint's flat config), for example
#   - children/_archive/**
ignore: []

# How much work one document may cause (docs/check.md lists the limits and their defaults), for example
# limits:
#   list_items: 5000
`;

const README_TEXT = `# Case files

One folder per child under \`children/\`: the child's profile in \`child.md\`, and every other
document named \`<YYYY-MM-DD>-<type>[-<slug>].md\`.

- \`careplan new child --id <id>\` starts a child's folder; \`careplan new <type> --child <id>\`
  adds a document pre-filled from the profile.
- \`careplan check\` finds missing or empty sections, facts that disagree and overdue timescales.
- \`careplan timeline\` lists what is due, per child or across the caseload.

These files hold confidential information about children: keep this repository private.
`;

export function runInit(dir: string | undefined, configFile: string | undefined, context: CommandContext, extras: { vscode?: boolean } = {}): number {
  const root = resolve(context.cwd, dir ?? ".");
  const config = configFile === undefined ? join(root, CONFIG_FILE) : resolve(context.cwd, configFile);
  // In a repository already started, --vscode adds its tasks and nothing else.
  if (extras.vscode && (existsSync(config) || existsSync(join(root, "children")))) {
    const tasks = writeVscodeTasks(dirname(config));
    context.stdout.write(`Wrote ${posix(relative(context.cwd, tasks))}: in VS Code, Terminal > Run Task > careplan: check --watch puts check's findings in the Problems panel (docs/editor.md).\n`);
    return EXIT.ok;
  }
  const children = join(root, "children");
  const readme = join(root, "README.md");
  const shownPath = (path: string) => posix(relative(context.cwd, path)) || path;
  const shown = printable(posix(relative(context.cwd, root)) || ".");
  // lstat, not exists: a link to nothing is something there, and init writes through no link.
  const existing = [config, children, readme].filter((path) => {
    try {
      return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch (error) {
      throw ioError(error, "start a case-file repository in", shown, "Choose a folder you can read and write.");
    }
  });
  if (existing.length > 0) {
    const names = existing.map(shownPath).join(", ");
    throw new UsageError(`${names} already exist${existing.length === 1 ? "s" : ""}: nothing was written. Run init in a new or empty folder.`);
  }
  // All or nothing: what was made is taken away again if a later step fails.
  const made: { path: string; folder: boolean }[] = [];
  const tasks: string[] = [];
  const ignores: string[] = [];
  try {
    made.push(...makeFolders(root));
    made.push(...makeFolders(dirname(config)));
    createFileExclusive(config, CONFIG_TEXT);
    made.push({ path: config, folder: false });
    mkdirSync(children);
    made.push({ path: children, folder: true });
    createFileExclusive(readme, README_TEXT);
    made.push({ path: readme, folder: false });
    // The cache (kept beside careplan.yaml) is never committed.
    const gitignore = join(dirname(config), ".gitignore");
    if (listInIgnoreFile(gitignore, CACHE_IGNORE_LINE) === "made") made.push({ path: gitignore, folder: false });
    ignores.push(posix(relative(root, gitignore)));
    if (extras.vscode) tasks.push(posix(relative(root, writeVscodeTasks(dirname(config)))));
  } catch (error) {
    undo(made);
    if (error instanceof FileExistsError) throw new UsageError(`${shownPath(error.message)} appeared while init ran: nothing was written. Run init again in a new or empty folder.`);
    throw ioError(error, "start a case-file repository in", shown, "Nothing was written. Choose a folder you can write to.");
  }
  const configShown = posix(relative(root, config));
  context.stdout.write(`Started a case-file repository in ${shown}: ${[configShown, "children/", "README.md", ...ignores, ...tasks].join(", ")}.\nNext: careplan new child --id <id>\n`);
  return EXIT.ok;
}

/** Creates a folder and any missing above it; returns those it created, outermost first. */
function makeFolders(path: string): { path: string; folder: true }[] {
  const first = mkdirSync(path, { recursive: true });
  if (first === undefined) return [];
  const created: { path: string; folder: true }[] = [];
  for (let folder = path; ; folder = dirname(folder)) {
    created.unshift({ path: folder, folder: true });
    if (folder === first || dirname(folder) === folder) return created;
  }
}

/** Removes what init made, newest first: only its own files, and folders only while empty. */
function undo(made: readonly { path: string; folder: boolean }[]): void {
  for (const { path, folder } of [...made].reverse()) {
    try {
      if (folder) rmdirSync(path);
      else unlinkSync(path);
    } catch {
      // left as it is: something else is there now
    }
  }
}
