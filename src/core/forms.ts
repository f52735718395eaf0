// The forms a case-file repository uses: careplan's own, with the authority's from the folder
// careplan.yaml names (`templates:`), merged and checked before anything reads a document.
import { realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { TEMPLATES_DIR } from "../assets.js";
import { posix, type Repository } from "../casefile/repository.js";
import type { Config } from "../config/config.js";
import { ConfigError } from "../errors.js";
import { isPlainName } from "../common/safe-text.js";
import { fieldsRead } from "../timescales/facts.js";
import { PRESETS, resolvePolicy } from "../timescales/policy.js";
import { loadBuiltInForms, loadLocalForms, localTypeNames, type Form, type LocalForms, type ReadPath } from "../templates/forms.js";
import { formatTemplateProblem } from "../templates/template.js";

/** The merged forms; a problem in a local template is a configuration error naming its file and line. */
export function repositoryForms(repository: Repository | undefined): ReadonlyMap<string, Form> {
  const local = checkRepositoryForms(repository);
  if (!local) return loadBuiltInForms(TEMPLATES_DIR);
  if (local.problems.length > 0) {
    throw new ConfigError(
      `your own templates have ${local.problems.length === 1 ? "a problem" : "problems"}, so nothing was done: fix ${local.problems.length === 1 ? "it" : "them"} first (careplan templates check lists them).`,
      local.problems.map(formatTemplateProblem),
    );
  }
  return local.forms;
}

/** The local forms with every problem found, or undefined when careplan.yaml names no templates folder. */
export function checkRepositoryForms(repository: Repository | undefined): LocalForms | undefined {
  const builtIn = loadBuiltInForms(TEMPLATES_DIR);
  if (repository?.config.templates === undefined) return undefined;
  const { dir, shown } = templatesFolder(repository);
  const names = [...new Set([...builtIn.keys(), ...localTypeNames(dir)])];
  return loadLocalForms({ builtIn, builtInDir: TEMPLATES_DIR, dir, shownDir: shown, reads: engineReads(repository.config, names) });
}

function templatesFolder(repository: Repository): { dir: string; shown: string } {
  const configured = repository.config.templates!;
  const dir = join(repository.root, configured);
  const where = `${repository.config.file ?? "careplan.yaml"}: \`templates\``;
  let real: string;
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a folder");
    real = realpathSync(dir);
  } catch {
    throw new ConfigError(`${where} names ${isPlainName(configured) ? configured : "something"}, which is not a folder in the repository: create it, or correct the name.`);
  }
  const root = realpathSync(repository.root);
  if (real !== root && !real.startsWith(root + sep)) throw new ConfigError(`${where} names a folder that leads outside the repository (a link): keep your templates inside it.`);
  return { dir, shown: posix(relative(repository.root, dir)) };
}

/**
 * What the timescales read of each type (the profile's under `child`), under every preset (a
 * repository may change its policy) and the local rules: a local form must keep these fields.
 */
function engineReads(config: Config, knownTypes: string[]): Map<string, ReadPath[]> {
  const presetRules = [...PRESETS.values()].flatMap((preset) => preset.rules.map((rule) => ({ ...rule, preset: preset.name })));
  const reads = new Map<string, ReadPath[]>();
  for (const [type, paths] of fieldsRead([...presetRules, ...resolvePolicy(config, knownTypes).rules])) {
    reads.set(type, paths.filter((path) => path.join(".") !== "type" && path.join(".") !== "date"));
  }
  return reads;
}
