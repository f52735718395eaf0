// `careplan hooks install|uninstall|status`: a pre-commit hook that checks what each commit
// holds. A hook that is there already keeps working (it runs first); where husky or the
// pre-commit framework manages the hooks, careplan changes nothing and prints the lines to add.
import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, relative, resolve } from "node:path";
import { CONFIG_FILE } from "../config/config.js";
import { findRepository, posix } from "../casefile/repository.js";
import { createFileExclusive, FileExistsError } from "../casefile/write.js";
import { gitTopLevel, openGit } from "../core/git.js";
import { CHAINED_HOOK, HOOK, hookPlace, hookText, isCareplanHook, readHook, stagedCheck, type HookOptions, type HookPlace } from "../core/hooks.js";
import { shellWord } from "../common/shell.js";
import { UsageError, writing } from "../errors.js";
import { EXIT, type CommandContext } from "./context.js";
import { printable } from "../common/safe-text.js";

export interface HooksOptions {
  path?: string;
  config?: string;
}

interface Setup {
  place: HookPlace;
  /** The hook file git runs. */
  hook: string;
  /** What `careplan check --staged` is given in the hook, as shell words. */
  target: string;
  /** A path as shown to the user: from where careplan was started. */
  shown: (path: string) => string;
}

function setUp(options: HooksOptions, context: CommandContext): Setup {
  const repository = findRepository(resolve(context.cwd, options.path ?? "."), options.config === undefined ? undefined : resolve(context.cwd, options.config));
  if (gitTopLevel(repository.root) === undefined) throw new UsageError(`${repository.root} is not in a git repository, so it has no hooks: start one there (git init), then run careplan hooks install again.`);
  const git = openGit({ dir: repository.root, cwd: context.cwd, env: context.env, purpose: "hooks" });
  const place = hookPlace(git, repository.root, context.env);
  // Hooks run at the top of the work tree: the hook names the case files' folder from there.
  const words = [posix(relative(place.top, repository.root))];
  const config = options.config === undefined ? undefined : resolve(context.cwd, options.config);
  if (config !== undefined && config !== join(repository.root, CONFIG_FILE)) words.push("--config", posix(relative(place.top, config)));
  const target = words.filter((word) => word !== "").map(shellWord).join(" ");
  const shown = (path: string) => printable(posix(relative(context.cwd, path)) || ".");
  return { place, hook: join(place.hooksDir, HOOK), target, shown };
}

export function runHooksInstall(options: HooksOptions, context: CommandContext): number {
  return writing("careplan hooks install", () => install(options, context));
}

function install(options: HooksOptions, context: CommandContext): number {
  const setup = setUp(options, context);
  const { place, hook, target, shown } = setup;
  if (place.manager !== undefined || place.outside) {
    context.stdout.write(linesToAdd(setup));
    return EXIT.ok;
  }
  const existing = lstatSync(hook, { throwIfNoEntry: false });
  if (existing === undefined) {
    mkdirSync(place.hooksDir, { recursive: true });
    createExecutable(hook, hookText({ target, chained: false }));
    context.stdout.write(`Installed the pre-commit hook (${shown(hook)}): each commit is checked for errors in the children it touches. careplan hooks uninstall removes it.\n`);
    return EXIT.ok;
  }
  if (!existing.isFile() && !existing.isSymbolicLink()) throw new UsageError(`${shown(hook)} is not a file: careplan cannot install its hook beside it. Move it away and run careplan hooks install again.`);
  // A link that leads nowhere is another hook too (one git cannot run), kept as it is.
  const text = readText(hook) ?? "";
  const ours = readHook(text);
  if (ours !== undefined) {
    if (ours.target === target) {
      context.stdout.write(`The pre-commit hook is installed already (${shown(hook)}).\n`);
      return EXIT.ok;
    }
    replaceExecutable(hook, hookText({ target, chained: ours.chained }));
    context.stdout.write(`Updated the pre-commit hook (${shown(hook)}): it now checks ${target === "" ? "the case files at the top of the repository" : target}.\n`);
    return EXIT.ok;
  }
  if (isCareplanHook(text)) throw new UsageError(`${shown(hook)} is careplan's hook, changed by hand since it was installed: careplan leaves it alone. Remove it (or put back what you changed) and run careplan hooks install again.`);

  // Another hook: kept as pre-commit.local (a hard link: its bytes, mode and links stay as they are), run first by careplan's.
  const chained = join(place.hooksDir, CHAINED_HOOK);
  try {
    linkSync(hook, chained);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new UsageError(`${shown(hook)} is another hook, and ${shown(chained)}, where careplan would keep it, exists too: nothing was changed. Move one of them away and run careplan hooks install again.`);
    }
    throw error;
  }
  try {
    replaceExecutable(hook, hookText({ target, chained: true }));
  } catch (error) {
    unlinkSync(chained); // the other name of the hook that is still there
    throw error;
  }
  context.stdout.write(
    `Installed the pre-commit hook (${shown(hook)}). The hook that was there runs first, as it did: it is kept as ${shown(chained)}, and careplan hooks uninstall puts it back.\n`,
  );
  return EXIT.ok;
}

export function runHooksUninstall(options: HooksOptions, context: CommandContext): number {
  return writing("careplan hooks uninstall", () => uninstall(options, context));
}

function uninstall(options: HooksOptions, context: CommandContext): number {
  const { place, hook, shown } = setUp(options, context);
  const { text, ours } = currentHook(hook);
  if (ours === undefined) {
    if (text !== undefined && isCareplanHook(text)) {
      throw new UsageError(`${shown(hook)} is careplan's hook, changed by hand since it was installed: careplan removes only what it wrote. Remove it yourself${text.includes(CHAINED_HOOK) ? ` (and rename ${CHAINED_HOOK} back to ${HOOK})` : ""}.`);
    }
    const managed = place.manager === undefined ? "" : ` If you added careplan to ${managerFile(place)}, remove it there.`;
    context.stdout.write(`careplan's pre-commit hook is not installed (${shown(hook)}): nothing to remove.${managed}\n`);
    return EXIT.ok;
  }
  const chained = join(place.hooksDir, CHAINED_HOOK);
  if (ours.chained && lstatSync(chained, { throwIfNoEntry: false }) !== undefined) {
    renameSync(chained, hook);
    context.stdout.write(`Removed careplan's pre-commit hook and put back the one that was there before (${shown(hook)}).\n`);
  } else {
    unlinkSync(hook);
    context.stdout.write(`Removed careplan's pre-commit hook (${shown(hook)}).${ours.chained ? ` The hook it ran first, ${CHAINED_HOOK}, was no longer there.` : ""}\n`);
  }
  return EXIT.ok;
}

export function runHooksStatus(options: HooksOptions, context: CommandContext): number {
  const setup = setUp(options, context);
  const { place, hook, shown } = setup;
  const { text, ours } = currentHook(hook);
  if (ours !== undefined) {
    const chained = ours.chained ? `, after the hook that was there before (${CHAINED_HOOK})` : "";
    context.stdout.write(`careplan's pre-commit hook is installed (${shown(hook)}${chained}): it runs ${stagedCheck(ours.target)}.\n`);
  } else if (text !== undefined && isCareplanHook(text)) {
    context.stdout.write(`${shown(hook)} is careplan's hook, changed by hand since it was installed.\n`);
  } else {
    context.stdout.write(`careplan's pre-commit hook is not installed${text === undefined ? "" : ` (${shown(hook)} is another hook)`}.\n`);
  }
  if (place.manager !== undefined || place.outside) context.stdout.write(linesToAdd(setup));
  return EXIT.ok;
}

/** The pre-commit hook there: its text (a regular file's), and the options careplan wrote it with when it is careplan's, unchanged. */
function currentHook(hook: string): { text: string | undefined; ours: HookOptions | undefined } {
  const text = lstatSync(hook, { throwIfNoEntry: false })?.isFile() ? readText(hook) : undefined;
  return { text, ours: text === undefined ? undefined : readHook(text) };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function managerFile(place: HookPlace): string {
  return place.manager === "pre-commit" ? ".pre-commit-config.yaml" : ".husky/pre-commit";
}

/** What to add where another tool, or a folder careplan does not write to, holds the hooks. */
function linesToAdd({ place, target, shown }: Setup): string {
  const command = stagedCheck(target);
  switch (place.manager) {
    case "pre-commit":
      return [
        "The pre-commit framework manages this repository's hooks (.pre-commit-config.yaml): careplan changed nothing.",
        "Add this to the `repos:` list in .pre-commit-config.yaml, then run pre-commit install:",
        "",
        "  - repo: local",
        "    hooks:",
        "      - id: careplan",
        "        name: careplan check (the children this commit touches)",
        `        entry: ${command}`,
        "        language: system",
        "        pass_filenames: false",
        "",
      ].join("\n");
    case "husky":
      return [
        "husky manages this repository's hooks (.husky/): careplan changed nothing.",
        "Add this line to .husky/pre-commit (husky puts the project's node_modules/.bin on PATH):",
        "",
        command,
        "",
      ].join("\n");
    case undefined:
      return [
        `git runs this repository's hooks from ${shown(place.hooksDir)} (core.hooksPath${place.hooksPath === undefined ? "" : ` = ${place.hooksPath}`}), outside its .git folder: careplan writes nothing there, since other repositories or other people may use that folder.`,
        `Add this line to ${shown(join(place.hooksDir, HOOK))} (a shell script):`,
        "",
        command,
        "",
      ].join("\n");
  }
}

function createExecutable(path: string, text: string): void {
  try {
    createFileExclusive(path, text);
  } catch (error) {
    if (error instanceof FileExistsError) throw new UsageError(`${path} appeared while careplan was installing its hook: nothing was changed. Run careplan hooks install again.`);
    throw error;
  }
  chmodSync(path, 0o755);
}

/** Replaces a file all at once (a temporary file beside it, renamed over it), executable. */
function replaceExecutable(path: string, text: string): void {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, text, { flag: "wx", mode: 0o755 });
    chmodSync(temporary, 0o755);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
