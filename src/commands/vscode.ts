// VS Code tasks for a case-file repository (`careplan init --vscode`): `careplan check` and
// `careplan check --watch` with a problem matcher, so that findings show in the Problems panel and
// as squiggles in the documents. VS Code's YAML support does not read front matter inside
// Markdown (docs/editor.md); the check's own report is what the editor can read.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createFileExclusive } from "../casefile/write.js";
import { UsageError } from "../errors.js";
import { WATCH_BEGINS, WATCH_ENDS } from "./watch.js";

export const TASKS_FILE = join(".vscode", "tasks.json");

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The stylish report, as ESLint's: a line naming the file (from the repository's root, where
 * the workspace is opened), then `  line:column  severity  message  rule` for each finding.
 * Summary lines begin with ✓ or ✖, the watch's own lines with [careplan]: they name no file.
 */
const PATTERN = [
  { regexp: "^([^\\s✓✖\\[].*)$", file: 1 },
  { regexp: "^\\s+(\\d+):(\\d+)\\s+(error|warning)\\s+(.*)\\s{2}(\\S+)$", line: 1, column: 2, severity: 3, message: 4, code: 5, loop: true },
];

function matcher(background: boolean): Record<string, unknown> {
  return {
    owner: "careplan",
    source: "careplan",
    fileLocation: ["relative", "${workspaceFolder}"],
    pattern: PATTERN,
    ...(background ? { background: { activeOnStart: true, beginsPattern: `^${escapeRegExp(WATCH_BEGINS)}`, endsPattern: `^${escapeRegExp(WATCH_ENDS)}` } } : {}),
  };
}

export function vscodeTasks(): Record<string, unknown> {
  return {
    version: "2.0.0",
    tasks: [
      {
        label: "careplan: check",
        detail: "Check every case file once; findings go to the Problems panel.",
        type: "shell",
        command: "careplan",
        args: ["check", "--no-color"],
        group: { kind: "test", isDefault: true },
        presentation: { reveal: "silent", clear: true },
        problemMatcher: matcher(false),
      },
      {
        label: "careplan: check --watch",
        detail: "Check again whenever a file is saved; starts when the folder is opened (once automatic tasks are allowed).",
        type: "shell",
        command: "careplan",
        args: ["check", "--watch", "--no-color"],
        isBackground: true,
        runOptions: { runOn: "folderOpen" },
        presentation: { reveal: "silent" },
        problemMatcher: matcher(true),
      },
    ],
  };
}

/** Writes .vscode/tasks.json in the repository's root; never over an existing one. */
export function writeVscodeTasks(root: string): string {
  const file = join(root, TASKS_FILE);
  if (existsSync(file)) {
    throw new UsageError(`${TASKS_FILE} already exists: nothing was written. Add careplan's two tasks to it by hand (docs/editor.md shows them).`);
  }
  mkdirSync(join(root, ".vscode"), { recursive: true });
  createFileExclusive(file, JSON.stringify(vscodeTasks(), null, 2) + "\n");
  return file;
}
