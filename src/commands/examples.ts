// The examples every command's --help ends with, as gh's do, and where to read more. A test runs
// each example (or parses it, for one that would not end) so that none goes stale.
import { VERSION } from "../assets.js";

export interface Example {
  /** What it does, in the user's words. */
  what: string;
  /** The command line, as typed in a shell. */
  command: string;
}

/** Keyed by command name; "careplan" is the program's own help. */
export const EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  careplan: [
    { what: "start a case-file repository in a new folder", command: "careplan init my-caseload" },
    { what: "what is overdue or due in the next four weeks", command: "careplan timeline" },
    { what: "find what is wrong or overdue, as CI does", command: "careplan check" },
  ],
  init: [
    { what: "start a case-file repository in a new folder", command: "careplan init my-caseload" },
    { what: "add VS Code tasks that show check's findings in the Problems panel (in an existing repository too)", command: "careplan init --vscode" },
    { what: "a GitHub Actions workflow that checks every push and pull request, installing careplan from a package file kept in the repository", command: `careplan init --ci github --install tools/careplan-${VERSION}.tgz` },
  ],
  hooks: [
    { what: "a pre-commit hook: from then on, a commit with an error in it stops", command: "careplan hooks install" },
    { what: "whether it is installed, where, and what it runs", command: "careplan hooks status" },
  ],
  "hooks install": [
    { what: "add the pre-commit hook (a hook already there keeps running, first)", command: "careplan hooks install" },
    { what: "then see where it went and what it runs", command: "careplan hooks status" },
  ],
  "hooks uninstall": [
    { what: "remove the hook, putting back the one that was there before", command: "careplan hooks uninstall" },
    { what: "then see that it is gone", command: "careplan hooks status" },
  ],
  "hooks status": [
    { what: "whether the hook is installed, where, and what it runs", command: "careplan hooks status" },
    { what: "install it if it is not", command: "careplan hooks install" },
  ],
  new: [
    { what: "a care plan for AB-1042 dated today, pre-filled from the child's profile", command: "careplan new care-plan --child AB-1042" },
    { what: "see a visit of an earlier day before writing it", command: "careplan new visit --child AB-1042 --date 2026-02-27 --set seen_alone=true --dry-run" },
    { what: "a second review on one day needs a name of its own", command: "careplan new review --child AB-1042 --slug adjourned" },
  ],
  check: [
    { what: "only the children changed since the last commit, before you commit", command: "careplan check --changed" },
    { what: "add the sections and fields a tool can add, then see what is left", command: "careplan check --fix" },
    { what: "check again whenever a file changes (VS Code's task from careplan init --vscode runs this)", command: "careplan check --watch" },
  ],
  baseline: [
    { what: "record today's findings: from now on check fails only on new ones", command: "careplan baseline" },
    { what: "then, as old findings are put right, drop them from the baseline", command: "careplan baseline --prune" },
  ],
  timeline: [
    { what: "what is overdue or due in the next four weeks for one social worker", command: 'careplan timeline --worker "Jo Khan"' },
    { what: "every deadline of one child, met ones included", command: "careplan timeline --child AB-1042 --all" },
    { what: "a calendar of what is due, to import into Outlook", command: "careplan timeline --format ics -o due.ics" },
  ],
  stats: [
    { what: "how many deadlines of a year were met on time, by rule", command: "careplan stats --from 2025-04-01 --to 2026-03-31" },
    { what: "visits only, month by month", command: 'careplan stats --from 2025-04-01 --to 2026-03-31 --by month --rule "visit.*"' },
    { what: "which recurring duties were in date on one day", command: "careplan stats --snapshot 2026-03-31" },
  ],
  report: [
    { what: "the manager's page, as of today, with the figures of the last 12 months", command: "careplan report -o report.html" },
    { what: "as it stood at the end of a quarter, with that quarter's figures", command: "careplan report --as-of 2026-03-31 --from 2026-01-01 -o quarter.html" },
  ],
  completion: [
    { what: "complete careplan's commands, options and child ids in bash", command: "careplan completion bash > ~/.local/share/bash-completion/completions/careplan" },
    { what: "in zsh (a folder on $fpath)", command: 'careplan completion zsh > "${fpath[1]}/_careplan"' },
    { what: "in fish", command: "careplan completion fish > ~/.config/fish/completions/careplan.fish" },
  ],
  templates: [
    { what: "every document type, and where its form comes from", command: "careplan templates list" },
    { what: "the fields and sections of the care plan in force on a day", command: "careplan templates show care-plan --date 2026-03-02" },
    { what: "check your own forms before anyone writes with them", command: "careplan templates check" },
  ],
  "templates list": [
    { what: "every document type in this repository", command: "careplan templates list" },
    { what: "then one type's fields and sections", command: "careplan templates show care-plan" },
  ],
  "templates show": [
    { what: "a visit's fields and sections as a person reads them", command: "careplan templates show visit" },
    { what: "the care plan as it was on a day, before a newer version", command: "careplan templates show care-plan --date 2026-03-02" },
  ],
  "templates schema": [
    { what: "the care plan's JSON Schema, for another tool", command: "careplan templates schema care-plan" },
    { what: "a type's schema as in force on a day, into a file", command: "careplan templates schema visit --date 2026-03-02 > visit.schema.json" },
  ],
  "templates check": [
    { what: "check your own templates: exit 2 naming each problem's file and line", command: "careplan templates check" },
    { what: "then see which types are your own and which built in", command: "careplan templates list" },
  ],
  help: [
    { what: "the presets, and the rules of one of them", command: "careplan help presets england" },
    { what: "how to accept a finding on purpose", command: "careplan help waivers" },
    { what: "a command's options and examples", command: "careplan help timeline" },
  ],
};

const LEARN_MORE: Readonly<Record<string, string>> = {
  careplan: "README.md, and careplan help <topic> for rules, waivers and presets",
  new: "docs/format.md",
  check: "docs/check.md, and docs/editor.md for --watch in an editor",
  init: "docs/editor.md for --vscode, docs/ci.md for --ci",
  hooks: "docs/ci.md",
  "hooks install": "docs/ci.md",
  "hooks uninstall": "docs/ci.md",
  "hooks status": "docs/ci.md",
  timeline: "docs/rules.md",
  stats: "docs/stats.md",
  baseline: "docs/check.md",
  report: "docs/report.md",
  templates: "docs/own-forms.md",
  "templates list": "docs/own-forms.md",
  "templates show": "docs/own-forms.md",
  "templates schema": "docs/own-forms.md",
  "templates check": "docs/own-forms.md",
};

/** The text after a command's help: its examples, then where to read more. Empty for a command without examples. */
export function examplesHelp(command: string): string {
  const examples = EXAMPLES[command];
  if (!examples) return "";
  const lines = ["", "Examples:", ...examples.flatMap((example) => [`  # ${example.what}`, `  $ ${example.command}`])];
  const more = LEARN_MORE[command];
  return [...lines, ...(more ? ["", `Learn more: ${more}`] : [])].join("\n") + "\n";
}
