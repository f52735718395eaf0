// `careplan init --ci github|gitlab`: the CI file, at the top of the git repository, in a new
// case-file repository (after what `init` writes) or in one that exists (that file alone). It
// never replaces a CI file: it names it and exits 2 (for GitLab, printing the job to add).
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { VERSION } from "../assets.js";
import { CONFIG_FILE } from "../config/config.js";
import { posix } from "../casefile/repository.js";
import { createFileExclusive, FileExistsError } from "../casefile/write.js";
import { CI_FILES, githubWorkflow, gitlabFile, gitlabJob, parseInstall, type CiService, type Install } from "../core/ci.js";
import { GitError, gitTopLevel, openGit } from "../core/git.js";
import { shellWord } from "../common/shell.js";
import { UsageError, writing } from "../errors.js";
import { EXIT, type CommandContext } from "./context.js";
import { runInit } from "./init.js";
import { printable } from "../common/safe-text.js";

export interface InitCiOptions {
  ci: CiService;
  install?: string;
  sarif: boolean;
  branch?: string;
  config?: string;
  /** init's --vscode, done as without --ci. */
  vscode?: boolean;
}

export function runInitCi(dir: string | undefined, options: InitCiOptions, context: CommandContext): number {
  if (options.ci !== "github" && options.sarif) throw new UsageError("--sarif goes with --ci github: it uploads to GitHub's code scanning.");
  if (options.ci !== "github" && options.branch !== undefined) throw new UsageError("--branch goes with --ci github: the GitLab job runs in every pipeline.");
  const install = parseInstall(options.install);
  const root = resolve(context.cwd, dir ?? ".");
  const config = options.config === undefined ? join(root, CONFIG_FILE) : resolve(context.cwd, options.config);
  const top = gitTopLevel(root) ?? root;
  const file = join(top, CI_FILES[options.ci]);
  const shown = (path: string) => printable(posix(relative(context.cwd, path)) || ".");

  // `careplan check` runs from the top of the git repository: it is given the case files' folder, and the configuration when it is elsewhere.
  const target = [posix(relative(top, root)), ...(options.config === undefined ? [] : ["--config", posix(relative(top, config))])].filter((word) => word !== "").map(shellWord);
  const text = options.ci === "github" ? githubWorkflow({ install, target, sarif: options.sarif, branch: options.branch ?? defaultBranch(top, context) }) : gitlabFile({ install, target });
  const refuse = () => {
    if (options.ci === "gitlab") {
      context.stderr.write(`careplan: ${shown(file)} already exists: nothing was written. Add this job to it (the lines below):\n`);
      context.stdout.write(gitlabJob({ install, target }));
      return EXIT.usage;
    }
    throw new UsageError(`${shown(file)} already exists: nothing was written. Move it aside (or remove it) and run careplan init --ci github again.`);
  };
  if (existsSync(file)) return refuse();

  // A case-file repository that exists gets the CI file alone (and --vscode's tasks, when asked for).
  const exists = existsSync(config) || existsSync(join(root, "children"));
  if (!exists || options.vscode) {
    const code = runInit(dir, options.config, context, { vscode: options.vscode ?? false });
    if (code !== EXIT.ok) return code;
  }
  try {
    writing("careplan init --ci", () => {
      mkdirSync(dirname(file), { recursive: true });
      createFileExclusive(file, text);
    });
  } catch (error) {
    if (error instanceof FileExistsError) return refuse();
    throw error;
  }
  context.stdout.write(`Wrote ${shown(file)}: ${what(options)}.\n${nextSteps(install, top, file, context)}`);
  return EXIT.ok;
}

function what({ ci, sarif }: InitCiOptions): string {
  if (ci === "gitlab") return "a job that checks the case files in every pipeline, with a Code Quality report for merge requests and a JUnit report for the pipeline's Tests tab";
  return `a workflow that checks the case files on every push and the children a pull request changes${sarif ? ", and uploads a SARIF report to code scanning (on a private repository that needs GitHub Advanced Security)" : ""}`;
}

function nextSteps(install: Install, top: string, file: string, context: CommandContext): string {
  const lines: string[] = [];
  if (install.kind === "tarball" && !existsSync(join(top, install.path))) {
    lines.push(`careplan is installed from ${install.path}, which is not there yet: make it with npm pack in a clone of careplan, and commit it with the workflow.`);
  }
  if (install.kind === "npm") {
    lines.push(`careplan is installed from the npm registry as ${install.spec}. Until careplan is published there, install it from a package file or a git URL instead: remove the file and run init again with --install tools/careplan-${VERSION}.tgz (or a git URL).`);
  }
  lines.push(`Next: git add ${shellWord(posix(relative(context.cwd, file)))} && git commit`);
  return lines.join("\n") + "\n";
}

/** The branch whose pushes the workflow checks: the remote's default, else the branch checked out, else main. Git is only asked to read. */
function defaultBranch(top: string, context: CommandContext): string {
  if (!existsSync(join(top, ".git"))) return "main";
  const git = openGit({ dir: top, cwd: context.cwd, env: context.env, purpose: "init --ci" });
  for (const ref of ["refs/remotes/origin/HEAD", "HEAD"]) {
    try {
      const name = git(["symbolic-ref", "--quiet", "--short", ref]).toString("utf8").trim();
      if (name !== "") return name.replace(/^origin\//, "");
    } catch (error) {
      // Not a symbolic ref here (no remote default, a detached HEAD): the next place to look.
      if (!(error instanceof GitError)) throw error;
    }
  }
  return "main";
}
