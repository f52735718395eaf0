// `careplan init [dir]`: start a case-file repository. Refuses to overwrite anything that exists.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CONFIG_FILE } from "../config/config.js";
import { posix } from "../casefile/repository.js";
import { createFileExclusive } from "../casefile/write.js";
import { UsageError } from "../errors.js";
import { EXIT, type CommandContext } from "./context.js";
import { writeVscodeTasks } from "./vscode.js";

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
  const planned = [config, join(root, "children"), join(root, "README.md")];
  const existing = planned.filter((path) => existsSync(path));
  if (existing.length > 0) {
    const names = existing.map((path) => posix(relative(context.cwd, path)) || path).join(", ");
    throw new UsageError(`${names} already exist${existing.length === 1 ? "s" : ""}: nothing was written. Run init in a new or empty folder.`);
  }
  mkdirSync(root, { recursive: true });
  mkdirSync(dirname(config), { recursive: true });
  createFileExclusive(config, CONFIG_TEXT);
  mkdirSync(join(root, "children"));
  createFileExclusive(join(root, "README.md"), README_TEXT);
  const tasks = extras.vscode ? [posix(relative(root, writeVscodeTasks(dirname(config))))] : [];
  const shown = posix(relative(context.cwd, root)) || ".";
  const configShown = posix(relative(root, config));
  context.stdout.write(`Started a case-file repository in ${shown}: ${[configShown, "children/", "README.md", ...tasks].join(", ")}.\nNext: careplan new child --id <id>\n`);
  return EXIT.ok;
}
