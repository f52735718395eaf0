// The CI files `careplan init --ci` writes: a GitHub Actions workflow and a GitLab CI job. One
// source for their text: the README shows the workflow this writes (a test holds them equal).
import { posix } from "node:path";
import { VERSION } from "../assets.js";
import { UsageError } from "../errors.js";
import { shellWord } from "../common/shell.js";

export const CI_SERVICES = ["github", "gitlab"] as const;
export type CiService = (typeof CI_SERVICES)[number];

/** Where each service reads its CI file, from the top of the git repository. */
export const CI_FILES: Record<CiService, string> = { github: ".github/workflows/careplan.yml", gitlab: ".gitlab-ci.yml" };

/** How the CI job installs careplan. */
export type Install =
  | { kind: "npm"; spec: string }
  /** A package file (npm pack) kept in the repository: posix path from its top. */
  | { kind: "tarball"; path: string }
  | { kind: "git"; url: string };

/** The package as published: its name at the version that writes the file. */
export const DEFAULT_INSTALL: Install = { kind: "npm", spec: `careplan@${VERSION}` };

/** What npm fetches with git: a git+ or git: URL, a host shortcut, a URL ending in .git, or a repository on a git host's web address. */
const GIT_SCHEME = /^(?:git\+[a-z]+:|git:|github:|gitlab:|bitbucket:)/i;
const GIT_HOST_PAGE = /^https:\/\/(?:github\.com|gitlab\.com|bitbucket\.org)\/[^/]+\/[^/]+\/?$/i;

function isGitUrl(value: string): boolean {
  const address = value.split("#", 1)[0]!; // what follows # is a branch, tag or commit
  return GIT_SCHEME.test(value) || GIT_HOST_PAGE.test(address) || address.toLowerCase().endsWith(".git");
}
const TARBALL = /\.(tgz|tar\.gz|tar)$/i;
const NPM_SPEC = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(@[\w.~^<>=|* -]+)?$/i;

/** Reads --install: an npm spec (careplan@0.1.0), a package file in the repository, or a git URL. */
export function parseInstall(value: string | undefined): Install {
  if (value === undefined) return DEFAULT_INSTALL;
  if (/[\u0000-\u001f\u007f\s'"`$\\]/.test(value)) throw new UsageError(`--install: "${value.replace(/[\u0000-\u001f\u007f]/g, "?")}" holds a space, a quote or another character a package name, path or URL does not have.`);
  if (isGitUrl(value)) return { kind: "git", url: value };
  if (TARBALL.test(value) && !value.includes("://")) {
    const path = posix.normalize(value.replace(/\\/g, "/"));
    if (posix.isAbsolute(path) || path === ".." || path.startsWith("../")) {
      throw new UsageError(`--install ${value}: a package file must be inside the repository (the CI runner has only its files), as a path from its top folder, for example tools/careplan-${VERSION}.tgz.`);
    }
    return { kind: "tarball", path };
  }
  if (value.includes("://") || NPM_SPEC.test(value)) return { kind: "npm", spec: value };
  throw new UsageError(`--install ${value}: give an npm package (careplan@${VERSION}), a package file made by npm pack (tools/careplan-${VERSION}.tgz) or a git URL (git+https://…/careplan.git#v${VERSION}).`);
}

/** The shell line that installs careplan on the runner (a git URL: packed first, as the README says, since npm cannot install one globally in one step). */
export function installLine(install: Install): string {
  switch (install.kind) {
    case "npm":
      return `npm install --global ${shellWord(install.spec)}`;
    case "tarball":
      return `npm install --global ${shellWord(`./${install.path}`)}`;
    case "git":
      return `dir=$(mktemp -d) && npm pack --pack-destination "$dir" ${shellWord(install.url)} && npm install --global "$dir"/*.tgz`;
  }
}

export interface CiOptions {
  install: Install;
  /** What `careplan check` is given before its options: the case-file repository's path from the top of the git repository, and --config when it is elsewhere (shell words). */
  target: string[];
}

export interface GithubOptions extends CiOptions {
  /** The branch whose pushes are checked. */
  branch: string;
  /** Also upload SARIF to code scanning (which needs GitHub Advanced Security on a private repository). */
  sarif: boolean;
}

export function githubWorkflow({ install, target, branch, sarif }: GithubOptions): string {
  const check = ["careplan", "check", ...target].join(" ");
  const lines = [
    "# careplan: check the case files on every push to the main branch, and on a pull request",
    "# the children it changes. Written by `careplan init --ci github`; see careplan's docs/ci.md.",
    "name: careplan",
    "on:",
    "  push:",
    `    branches: [${flowScalar(branch)}]`,
    "  pull_request:",
    "permissions:",
    "  contents: read",
    ...(sarif ? ["  security-events: write   # to upload to code scanning", "  actions: read"] : []),
    "jobs:",
    "  check:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          fetch-depth: 0   # the history that --changed --since origin/<base> compares with",
    "      - uses: actions/setup-node@v4",
    "        with:",
    "          node-version: 20",
    "      - name: Install careplan",
    `        run: ${scalar(installLine(install))}`,
    "      - name: Check every child",
    "        if: github.event_name != 'pull_request'",
    `        run: ${scalar(`${check} --format github`)}`,
    "      - name: Check the children this pull request changes",
    "        if: github.event_name == 'pull_request'",
    `        run: ${scalar(`${check} --format github --changed --since "origin/$BASE_REF"`)}`,
    "        env:",
    "          BASE_REF: ${{ github.base_ref }}",
  ];
  if (sarif) {
    lines.push(
      "      # Code scanning compares whole analyses, so this one checks every child; exit 1 (errors",
      "      # found) is the steps above's to report.",
      "      - name: Report for code scanning",
      "        if: always()",
      `        run: ${scalar(`${check} --format sarif -o careplan.sarif || [ $? -eq 1 ]`)}`,
      "      - name: Upload to code scanning",
      "        if: always()",
      "        uses: github/codeql-action/upload-sarif@v3",
      "        with:",
      "          sarif_file: careplan.sarif",
      "          category: careplan",
    );
  }
  return lines.join("\n") + "\n";
}

export const GITLAB_REPORTS = { codequality: "gl-code-quality-report.json", junit: "careplan-junit.xml" };

/** The GitLab CI job: the findings in merge requests (Code Quality) and in the pipeline's tests (JUnit), and in the job's log. */
export function gitlabJob({ install, target }: CiOptions): string {
  const check = ["careplan", "check", ...target].join(" ");
  return [
    "careplan:",
    "  image: node:20",
    "  script:",
    `    - ${scalar(installLine(install))}`,
    "    # The reports for merge requests and the pipeline's Tests tab (exit 1, errors found, is the last line's to report)",
    `    - ${scalar(`${check} --format gitlab -o ${GITLAB_REPORTS.codequality} || [ $? -eq 1 ]`)}`,
    `    - ${scalar(`${check} --format junit -o ${GITLAB_REPORTS.junit} || [ $? -eq 1 ]`)}`,
    `    - ${scalar(check)}`,
    "  artifacts:",
    "    when: always",
    "    reports:",
    `      codequality: ${GITLAB_REPORTS.codequality}`,
    `      junit: ${GITLAB_REPORTS.junit}`,
  ].join("\n") + "\n";
}

export function gitlabFile(options: CiOptions): string {
  return [
    "# careplan: check the case files in every pipeline; the findings show in merge requests and in",
    "# the pipeline's Tests tab. Written by `careplan init --ci gitlab`; see careplan's docs/ci.md.",
    gitlabJob(options),
  ].join("\n");
}

/** A YAML scalar in a block: plain where YAML reads it back unchanged, else double-quoted (JSON's quoting is YAML's). */
function scalar(text: string): string {
  const plain = !/[\u0000-\u001f\u007f]|: | #|:$|^[\s\-?:,[\]{}#&*!|>'"%@`]|\s$/.test(text);
  return plain ? text : JSON.stringify(text);
}

/** A scalar inside a flow sequence, where commas and brackets end it too. */
function flowScalar(text: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(text) ? text : JSON.stringify(text);
}
