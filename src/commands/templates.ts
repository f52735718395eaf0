// `careplan templates list|show|schema|check`: the forms in use (built-in and the authority's
// own), what each asks for, its JSON Schema for other tools, and a check of the local templates.
import { resolve } from "node:path";
import { findRepository, type Repository } from "../casefile/repository.js";
import { isIsoDate } from "../common/dates.js";
import { printable, safeJson } from "../common/safe-text.js";
import { checkRepositoryForms, repositoryForms } from "../core/forms.js";
import { ConfigError, UsageError } from "../errors.js";
import { formatFormList, formatFormShow, formOrigin } from "../reporters/templates.js";
import { versionAt, type Form } from "../templates/forms.js";
import { deriveSchema } from "../templates/schema.js";
import { formatTemplateProblem } from "../templates/template.js";
import { EXIT, type CommandContext } from "./context.js";

export interface TemplatesOptions {
  config?: string;
  /** show, schema: the day whose version to show (default: today). */
  date?: string;
}

export function runTemplatesList(options: TemplatesOptions, context: CommandContext): number {
  context.stdout.write(formatFormList(repositoryForms(repositoryFor(options, context))));
  return EXIT.ok;
}

export function runTemplatesShow(type: string, options: TemplatesOptions, context: CommandContext): number {
  const { form, date } = chosen(type, options, context);
  context.stdout.write(formatFormShow(form, versionAt(form, date), date));
  return EXIT.ok;
}

export function runTemplatesSchema(type: string, options: TemplatesOptions, context: CommandContext): number {
  const { form, date } = chosen(type, options, context);
  context.stdout.write(safeJson(deriveSchema(versionAt(form, date)), 2) + "\n");
  return EXIT.ok;
}

export function runTemplatesCheck(options: TemplatesOptions, context: CommandContext): number {
  const repository = repositoryFor(options, context);
  const local = checkRepositoryForms(repository);
  if (!local) {
    context.stdout.write("careplan.yaml names no folder of your own templates (`templates:`): the built-in forms are in use.\n");
    return EXIT.ok;
  }
  if (local.problems.length > 0) {
    for (const problem of local.problems) context.stderr.write(printable(formatTemplateProblem(problem)) + "\n");
    const count = local.problems.length === 1 ? "1 problem" : `${local.problems.length} problems`;
    context.stderr.write(`${count} in your templates: nothing is checked or written with them until they are fixed.\n`);
    return EXIT.usage;
  }
  const own = [...local.forms.values()].filter((form) => form.origin === "local");
  const lines = own.map((form) => `${form.files.map(printable).join(", ")}: ${printable(form.type)}, ${formOrigin(form).replace(/^local, /, "")}.`);
  lines.push(...local.notes.map(printable), `${own.length} local ${own.length === 1 ? "form" : "forms"}, no problems.`);
  context.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}

/** The repository here (or the one --config names); none outside any: the built-in forms alone. */
function repositoryFor(options: TemplatesOptions, context: CommandContext): Repository | undefined {
  if (options.config !== undefined) return findRepository(context.cwd, resolve(context.cwd, options.config));
  try {
    return findRepository(context.cwd, undefined);
  } catch (error) {
    if (error instanceof UsageError && !(error instanceof ConfigError)) return undefined;
    throw error;
  }
}

function chosen(type: string, options: TemplatesOptions, context: CommandContext): { form: Form; date: string } {
  const date = options.date ?? context.today;
  if (!isIsoDate(date)) throw new UsageError("--date must be a real date written YYYY-MM-DD.");
  const forms = repositoryForms(repositoryFor(options, context));
  const form = forms.get(type);
  if (!form) throw new UsageError(`unknown document type "${type}". The types are: ${[...forms.keys()].sort().join(", ")}.`);
  return { form, date };
}
