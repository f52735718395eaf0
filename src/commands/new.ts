// `careplan new <type> --child <id>` and `careplan new child --id <id>`: scaffold a document from
// its template, pre-filled from the child's profile, and create it without ever overwriting.
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { documentFileName, fileNameReader, isValidSlug, PROFILE_FILE } from "../casefile/filename.js";
import { findRepository, listChildFolders, posix, readChild } from "../casefile/repository.js";
import { isValidChildId } from "../common/ids.js";
import { createFileExclusive, FileExistsError } from "../casefile/write.js";
import { repositoryForms } from "../core/forms.js";
import { documentTypes, type DocumentType } from "../doctypes.js";
import { ioError, UsageError } from "../errors.js";
import { describeSchemaError } from "../rules/schema-messages.js";
import {
  defaults,
  expectedForm,
  fieldAt,
  missingFields,
  prefillFromProfile,
  renderDocument,
  setDotted,
  type Data,
  type MissingField,
} from "../templates/scaffold.js";
import { versionAt } from "../templates/forms.js";
import { PROFILE_TYPE, type Template } from "../templates/template.js";
import { isIsoDate } from "../common/dates.js";
import { didYouMean, withArticle } from "../common/words.js";
import { EXIT, isInteractive, type CommandContext } from "./context.js";
import { printable, printableProse } from "../common/safe-text.js";

export interface NewOptions {
  type: string;
  child?: string;
  id?: string;
  date?: string;
  set: string[];
  slug?: string;
  /** Write a document dated after today or before the child's birth. */
  force?: boolean;
  dryRun: boolean;
  config?: string;
}

/** Keys the document's identity is made of: they come from their own flags, never from --set. */
const IDENTITY_FLAGS: Record<string, string> = { type: "the command's <type>", child: "--child", date: "--date", id: "--id" };

export async function runNew(options: NewOptions, context: CommandContext): Promise<number> {
  const repository = findRepository(context.cwd, options.config === undefined ? undefined : resolve(context.cwd, options.config));
  const forms = repositoryForms(repository);
  const form = forms.get(options.type);
  if (!form) throw new UsageError(`unknown document type "${options.type}". The types are: ${[...forms.keys()].join(", ")}.`);
  const isProfile = form.type === PROFILE_TYPE;
  const id = isProfile ? options.id : options.child;
  const idFlag = isProfile ? "--id" : "--child";
  if (isProfile && options.child !== undefined) throw new UsageError("a child's profile takes --id <id>, not --child.");
  if (!isProfile && options.id !== undefined) throw new UsageError(`${withArticle(form.type)} takes --child <id>, not --id.`);
  if (id === undefined) throw new UsageError(`${idFlag} <id> is required: the child's id, which is the name of their folder.`);
  if (!isValidChildId(id)) throw new UsageError(`${idFlag}: a child id is 1 to 64 letters, digits, - and _, starting with a letter or digit.`);
  if (isProfile && options.date !== undefined) throw new UsageError("a child's profile has no date: leave out --date.");
  const date = options.date ?? context.today;
  if (!isIsoDate(date)) throw new UsageError("--date must be a real date written YYYY-MM-DD.");
  if (date > context.today && !options.force) {
    throw new UsageError(`--date ${date} is after today (${context.today}): a document records what has happened. Give the day it happened, or add --force to write it all the same.`);
  }
  if (options.slug !== undefined && (isProfile || !isValidSlug(options.slug))) {
    throw new UsageError(isProfile ? "a child's profile is always child.md: leave out --slug." : "--slug may hold only letters, digits, - and _.");
  }
  // The form in force on the document's date (the profile, which has none: today's).
  const template = versionAt(form, date);

  const folder = join(repository.childrenDir, id);
  const target = isProfile ? join(folder, PROFILE_FILE) : join(folder, documentFileName(date, template.type, options.slug));
  const shown = printable(posix(relative(context.cwd, target)) || target);

  const profile = isProfile ? {} : readProfile(repository, id, [...forms.keys()], context);
  if (isIsoDate(profile.dob) && date < profile.dob && !options.force) {
    throw new UsageError(`--date ${date} is before the child's date of birth (\`dob\` in the profile): check the date, or add --force to write it all the same.`);
  }
  const prefilled = prefillFromProfile(template, profile, date);
  const data: Data = { ...defaults(template), ...prefilled };
  const fromProfile = new Set(Object.keys(prefilled));
  for (const assignment of options.set) {
    const equals = assignment.indexOf("=");
    if (equals === 0) throw new UsageError(`--set takes key=value (for example --set iro.name="Sam Lee"); the key before the = is missing.`);
    if (equals < 0) throw new UsageError(valueMissing(template, assignment));
    const key = assignment.slice(0, equals);
    const topKey = key.split(".")[0]!;
    if (Object.hasOwn(IDENTITY_FLAGS, topKey)) throw new UsageError(`\`${topKey}\` is set by ${IDENTITY_FLAGS[topKey]}, not by --set.`);
    const problem = setDotted(template.fields, data, key, assignment.slice(equals + 1));
    if (problem) throw new UsageError(`--set ${problem}.`);
    fromProfile.delete(topKey);
  }
  Object.assign(data, isProfile ? { type: template.type, id } : { type: template.type, child: id, date });

  const documentType = documentTypes(new Map([[form.type, form]])).get(form.type)!.at(date);
  dropInvalidPrefills(documentType, data, fromProfile, context, shown);
  let missing = missingFields(template.fields, data);
  if (missing.length > 0) {
    if (!isInteractive(context)) throw missingValues(template, missing);
    await askFor(missing, template, data, context);
    missing = missingFields(template.fields, data);
    if (missing.length > 0) throw missingValues(template, missing);
  }
  // A copy: validation is remembered per object, and this one was changed since it was last checked.
  const problems = [...new Set(documentType.validate(structuredClone(data)).map((error) => describeSchemaError(error, documentType.schema, data)))];
  if (problems.length > 0) throw new UsageError("the document would not be valid:", problems);

  const text = renderDocument(template, data, profile);
  if (options.dryRun) {
    context.stdout.write(text);
    return EXIT.ok;
  }
  const folderShown = posix(relative(context.cwd, folder)) || folder;
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw ioError(error, "create the child's folder", folderShown, "Check that you can write to the children folder; nothing was written.");
  }
  assertInside(repository.root, folder, shown);
  try {
    createFileExclusive(target, text);
  } catch (error) {
    if (!(error instanceof FileExistsError)) throw ioError(error, "write", shown, "Check that you can write to the child's folder; nothing was written.");
    throw new UsageError(
      isProfile
        ? `${shown} already exists: nothing was written. Edit the profile instead.`
        : `${shown} already exists: nothing was written. To add another ${template.type} on ${date}, give it a name with --slug (for example --slug second).`,
    );
  }
  context.stdout.write(`${shown}\n`);
  return EXIT.ok;
}

/** A child's folder that is a link must not lead the write out of the repository. */
function assertInside(root: string, folder: string, shown: string): void {
  const realRoot = realpathSync(root);
  const realFolder = realpathSync(folder);
  if (realFolder !== realRoot && !realFolder.startsWith(realRoot + sep)) {
    throw new UsageError(`${shown}: the child's folder leads outside the repository (a link): nothing was written.`);
  }
}

function readProfile(repository: ReturnType<typeof findRepository>, id: string, knownTypes: string[], context: CommandContext): Data {
  const folder = join(repository.childrenDir, id);
  const profileFile = join(folder, PROFILE_FILE);
  if (!existsSync(profileFile)) {
    const known = existsSync(folder) ? "" : didYouMean(id, childIds(repository), (name) => `--child ${name}`);
    throw new UsageError(`${posix(relative(context.cwd, profileFile))} does not exist: create the child's profile first with \`careplan new child --id ${id}\`.${known}`);
  }
  const child = readChild(repository, id, fileNameReader(knownTypes));
  const profile = child.profile;
  const problem = profile?.readProblem ?? profile?.yamlProblem?.message;
  if (!profile?.data) {
    const line = profile?.yamlProblem ? `:${profile.yamlProblem.line}` : "";
    context.stderr.write(`warning: ${printable(posix(relative(context.cwd, profileFile)))}${line}: ${printable(problem ?? "cannot be read")}; nothing is pre-filled from it.\n`);
    return {};
  }
  return profile.data;
}

function childIds(repository: ReturnType<typeof findRepository>): string[] {
  try {
    return listChildFolders(repository);
  } catch {
    return []; // no children folder yet: nothing to suggest
  }
}

/** A value copied from a broken profile must not make the new document invalid: leave it out, say so. */
function dropInvalidPrefills(documentType: DocumentType, data: Data, fromProfile: Set<string>, context: CommandContext, shown: string): void {
  const broken = new Set(documentType.validate(structuredClone(data)).map((e) => e.instancePath.split("/")[1] ?? "").filter((key) => fromProfile.has(key)));
  for (const key of broken) {
    delete data[key];
    context.stderr.write(`warning: ${shown}: \`${key}\` in the child's profile is not valid, so it was not copied; fix the profile.\n`);
  }
}

/** `--set seen_alone` with no `=`: the value is what is missing, and its form is known when the key is a field. */
function valueMissing(template: Template, key: string): string {
  const field = fieldAt(template.fields, key);
  return `--set ${key}: the value is missing: write --set ${key}=${field ? expectedForm(field) : "<value>"}.`;
}

function missingValues(template: Template, missing: MissingField[]): UsageError {
  const width = Math.max(...missing.map((m) => m.key.length));
  const lines = missing.map((m) => `${m.key.padEnd(width)}  --set ${m.key}=${expectedForm(m.field)}`);
  return new UsageError(`${withArticle(template.type)} needs values that were not given (no terminal to ask at). Supply each with --set:`, lines);
}

async function askFor(missing: MissingField[], template: Template, data: Data, context: CommandContext): Promise<void> {
  // The terminal echoes and edits the line itself; we only write the question and read the answer.
  const reader = createInterface({ input: context.stdin!, terminal: false });
  const answers = reader[Symbol.asyncIterator]();
  try {
    for (const { key, field } of missing) {
      for (;;) {
        if (field.description) context.stdout.write(`${printableProse(field.description)}\n`);
        context.stdout.write(`${printable(key)} (${printableProse(expectedForm(field))}): `);
        const next = await answers.next();
        if (next.done) throw new UsageError("the input ended before every value was given: nothing was written.");
        const problem = setDotted(template.fields, data, key, String(next.value).trim());
        if (!problem) break;
        context.stdout.write(`  ${printable(problem)}.\n`);
      }
    }
  } finally {
    reader.close();
  }
}
