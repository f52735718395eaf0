// What timeline, stats and report begin with: the paths selected (with a warning for each left
// out), the cache on its way (git asked while the settings are read), and the forms, document
// types and policy in force on the as-of date.
import { ignoredPathWarnings, selectPaths, type Selection } from "../casefile/repository.js";
import type { IsoDate } from "../common/dates.js";
import { repositoryForms } from "../core/forms.js";
import { beginStore, type PendingStore } from "../core/store.js";
import { documentTypes, type DocumentType } from "../doctypes.js";
import type { Form } from "../templates/forms.js";
import { legalStatusesOf, resolvePolicy, type Policy } from "../timescales/policy.js";
import type { Config } from "../config/config.js";
import { cacheOptions, type CommandContext } from "./context.js";

export interface OpenCaseload {
  selection: Selection;
  pending: PendingStore;
  config: Config;
  forms: ReadonlyMap<string, Form>;
  types: ReadonlyMap<string, DocumentType>;
  policy: Policy;
}

export function openCaseload(options: { paths: string[]; config?: string; cache?: boolean; cacheLocation?: string }, context: CommandContext, asOf: IsoDate): OpenCaseload {
  const selection = selectPaths(options.paths, context.cwd, options.config);
  for (const warning of ignoredPathWarnings(selection)) context.stderr.write(warning + "\n");
  const pending = beginStore(selection.repository, cacheOptions(options, context));
  const { config } = selection.repository;
  const forms = repositoryForms(selection.repository);
  const types = documentTypes(forms, asOf);
  return { selection, pending, config, forms, types, policy: resolvePolicy(config, [...types.keys()], legalStatusesOf(types)) };
}
