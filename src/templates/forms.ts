// Forms: each document type with its versions, from the built-in templates and from an
// authority's own templates folder. A local form replaces a built-in type of the same name,
// extends a type, or declares a new one; it may not drop what every document of a built-in type
// must have or what the timescales read, nor take a name that would re-type existing files.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { newAjv } from "../common/ajv.js";
import type { IsoDate } from "../common/dates.js";
import { extendTemplate } from "./extend.js";
import { fieldSchema } from "./schema.js";
import {
  buildTemplate,
  formatTemplateProblem,
  loadShared,
  ProblemList,
  readTemplateSource,
  templateFileType,
  type FieldDecl,
  type Template,
  type TemplateProblem,
  type TemplateSource,
} from "./template.js";
import { addToGroup } from "../common/group.js";

export interface Form {
  type: string;
  /** Shipped with careplan, or from the case-file repository's templates folder. */
  origin: "built-in" | "local";
  /** A local form of a type careplan ships: it replaces the built-in one. */
  replaces: boolean;
  /** The type a local form's templates extend, if they do. */
  extends: string | undefined;
  /** Its template files, as shown. */
  files: string[];
  /** Oldest first. The first version is in force before any other, whatever its `since`. */
  versions: Template[];
}

/** A field path the timescales read, `*` standing for any list item: ["placements", "*", "start"]. */
export type ReadPath = readonly string[];

/** The version of a form in force on a date; the latest without one. */
export function versionAt(form: Form, date: IsoDate | undefined): Template {
  if (date === undefined) return form.versions[form.versions.length - 1]!;
  let found = form.versions[0]!;
  for (const version of form.versions) if (version.since !== undefined && version.since <= date) found = version;
  return found;
}

const builtInCache = new Map<string, ReadonlyMap<string, Form>>();

/**
 * The forms careplan ships (templates/), read once a process. A problem there is a bug in the
 * package. Their declarations and bodies are held to the template language by the tests
 * (`builtInTemplateProblems`), not on every run.
 */
export function loadBuiltInForms(dir: string): ReadonlyMap<string, Form> {
  const cached = builtInCache.get(dir);
  if (cached) return cached;
  const { forms, problems } = readBuiltInForms(dir, false);
  if (problems.count > 0) throw new Error(`careplan's own templates have problems:\n${problems.problems.map(formatTemplateProblem).join("\n")}`);
  builtInCache.set(dir, forms);
  return forms;
}

/** The built-in forms as read before (from the cache's copy): the process uses them rather than reading templates/ again. */
export function rememberBuiltInForms(dir: string, forms: ReadonlyMap<string, Form>): void {
  builtInCache.set(dir, forms);
}

/** Every problem of careplan's own templates, each held to the template language as a repository's are. */
export function builtInTemplateProblems(dir: string): string[] {
  return readBuiltInForms(dir, true).problems.problems.map(formatTemplateProblem);
}

function readBuiltInForms(dir: string, checked: boolean): { forms: Map<string, Form>; problems: ProblemList } {
  const shared = loadShared(dir);
  const problems = new ProblemList();
  const sources = readSources(dir, "templates", problems, checked);
  const forms = new Map<string, Form>();
  for (const [type, versions] of groupVersions(sources, problems)) {
    const templates = versions.map((source) => buildTemplate(source, shared, problems, checked)).filter((t): t is Template => t !== undefined);
    forms.set(type, { type, origin: "built-in", replaces: false, extends: undefined, files: versions.map((v) => v.file), versions: templates.map(openFirst) });
  }
  return { forms, problems };
}

/** The latest version of each built-in form: the templates as docs/format.md and schemas/ show them. */
export function loadTemplates(dir: string): Map<string, Template> {
  return new Map([...loadBuiltInForms(dir)].map(([type, form]) => [type, versionAt(form, undefined)]));
}

/** The first version is in force before any other: it keeps no `since`. */
function openFirst(template: Template, index: number): Template {
  return index === 0 ? { ...template, since: undefined } : template;
}

function readSources(dir: string, shownDir: string, problems: ProblemList, checked = true): TemplateSource[] {
  const sources: TemplateSource[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".md") || /^readme\.md$/i.test(name)) continue;
    const path = join(dir, name);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    const file = `${shownDir}/${name}`;
    const named = templateFileType(name);
    if (!named) {
      problems.push(file, 1, "is not named as a template: `<type>.md`, or `<type>.<version>.md` for another version, the type in lower-case letters, digits and - (for example return-interview.md).");
      continue;
    }
    const source = readTemplateSource(path, file, named.type, problems, checked);
    if (source) sources.push(source);
  }
  return sources;
}

/** Each type's template files, oldest version first. Only the first may leave out `since`. */
function groupVersions(sources: TemplateSource[], problems: ProblemList): Map<string, TemplateSource[]> {
  const byType = new Map<string, TemplateSource[]>();
  for (const source of sources) addToGroup(byType, source.type, source);
  for (const [type, versions] of byType) {
    // Dates compare as text (localeCompare would load the collator: a fifth of a second).
    versions.sort((a, b) => compareText(a.since ?? "", b.since ?? ""));
    const kept: TemplateSource[] = [];
    for (const [index, source] of versions.entries()) {
      if (index > 0 && source.since === undefined) {
        problems.add(source, [], `is a second version of ${type} without \`since\`: give each version but the first the day it comes into force (since: YYYY-MM-DD).`);
      } else if (index > 0 && source.since === versions[index - 1]!.since) {
        problems.add(source, ["since"], `is the same day as ${versions[index - 1]!.file}: two versions of ${type} cannot come into force on one day.`);
      } else kept.push(source);
    }
    byType.set(type, kept);
  }
  return byType;
}

export interface LocalForms {
  /** The merged set: built-in forms, replaced or joined by the local ones. */
  forms: Map<string, Form>;
  problems: TemplateProblem[];
  /** Things worth knowing that are not problems (a first version's `since` that is open). */
  notes: string[];
}

export interface LocalFormsInput {
  builtIn: ReadonlyMap<string, Form>;
  /** The built-in templates' folder, for shared.yaml. */
  builtInDir: string;
  /** The local templates folder, and how it is shown (relative to the repository). */
  dir: string;
  shownDir: string;
  /** What the timescales read of each type (every preset and the local rules). */
  reads: ReadonlyMap<string, readonly ReadPath[]>;
}

/** The type names a local folder's template files declare (for the rules' known types). */
export function localTypeNames(dir: string): string[] {
  return [...new Set(readdirSync(dir).map((name) => templateFileType(name)?.type).filter((t): t is string => t !== undefined))];
}

export function loadLocalForms(input: LocalFormsInput): LocalForms {
  const { builtIn, reads } = input;
  const shared = loadShared(input.builtInDir);
  const problems = new ProblemList();
  const notes: string[] = [];
  const local = groupVersions(readSources(input.dir, input.shownDir, problems), problems);
  checkNames(local, builtIn, problems);

  const resolved = new Map<string, Form | undefined>();
  const resolving = new Set<string>();
  const builders = new Map<Template, TemplateSource>();

  /** The merged form of a type: local when the folder declares it, else built-in. */
  const resolve = (type: string): Form | undefined => {
    if (!local.has(type)) return builtIn.get(type);
    if (resolved.has(type)) return resolved.get(type);
    if (resolving.has(type)) return undefined;
    resolving.add(type);
    const form = resolveLocal(type, local.get(type)!);
    resolving.delete(type);
    resolved.set(type, form);
    return form;
  };

  const baseOf = (source: TemplateSource): Form | undefined => {
    const name = source.declaration.extends!;
    if (name === source.type && !builtIn.has(name)) {
      problems.add(source, ["extends"], `names the template's own type, which careplan does not ship: a template extends a built-in type of its own name, or another type.`);
      return undefined;
    }
    if (resolving.has(name) && name !== source.type) {
      problems.add(source, ["extends"], `makes a circle: ${name} extends ${source.type}, directly or through other templates.`);
      return undefined;
    }
    const base = name === source.type ? builtIn.get(name) : resolve(name);
    // A local base that could not be read has its own problems reported.
    if (!base && !local.has(name)) problems.add(source, ["extends"], `names "${name}", which is not a document type. The types are: ${[...new Set([...builtIn.keys(), ...local.keys()])].sort().join(", ")}.`);
    return base;
  };

  const resolveLocal = (type: string, sources: TemplateSource[]): Form | undefined => {
    // A version extending a type changes whenever that type does: its base's versions inside
    // the version's own span are versions of this form too.
    const points: { date: IsoDate | undefined; source: TemplateSource; base: Form | undefined }[] = [];
    let whole = true; // every version is read, so that each one's problems are reported
    for (const [index, source] of sources.entries()) {
      const start = index === 0 ? undefined : source.since;
      const end = sources[index + 1]?.since;
      const base = source.declaration.extends === undefined ? undefined : baseOf(source);
      if (source.declaration.extends !== undefined && !base) {
        whole = false;
        continue;
      }
      points.push({ date: start, source, base });
      for (const version of base?.versions.slice(1) ?? []) {
        if ((start === undefined || version.since! > start) && (end === undefined || version.since! < end)) points.push({ date: version.since, source, base });
      }
    }
    points.sort((a, b) => compareText(a.date ?? "", b.date ?? ""));
    const versions: Template[] = [];
    for (const { date, source, base } of points) {
      const template = base ? extendTemplate(source, date === undefined ? base.versions[0]! : versionAt(base, date), shared, problems) : buildTemplate(source, shared, problems);
      if (!template) {
        whole = false;
        continue;
      }
      const version = { ...template, since: date };
      builders.set(version, source);
      versions.push(version);
    }
    if (!whole) return undefined;
    const first = sources[0]!;
    if (first.since !== undefined) {
      notes.push(`${first.file}: the first version of ${type} is in force before its \`since\` (${first.since}) too: documents dated earlier are checked against it. To keep another form for them, add it as the first version.`);
    }
    const extended = sources.find((s) => s.declaration.extends !== undefined)?.declaration.extends;
    return { type, origin: "local", replaces: builtIn.has(type), extends: extended, files: sources.map((s) => s.file), versions };
  };

  const forms = new Map(builtIn);
  for (const type of local.keys()) {
    const form = resolve(type);
    if (!form) continue;
    forms.set(type, form);
    const builtInForm = builtIn.get(type);
    for (const version of form.versions) {
      const source = builders.get(version)!;
      const check: Report = (path, message) => problems.add(source, ["fields", ...path], message);
      if (builtInForm) compareFields(versionAt(builtInForm, version.since), version, reads.get(type) ?? [], check);
      else checkReads(version, reads.get(type) ?? [], check);
      checkDefaults(version.fields, [], check);
    }
  }
  return { forms, problems: dedupe(problems.problems), notes: [...new Set(notes)] };
}

/**
 * A new type's name must not re-type files: with `visit` known, `…-visit-log.md` is a visit
 * with the slug `log`, so a `visit-log` type would take those files; and a new `care` type
 * could never have a slug beginning `plan`.
 */
function checkNames(local: Map<string, TemplateSource[]>, builtIn: ReadonlyMap<string, Form>, problems: ProblemList): void {
  const names = [...new Set([...builtIn.keys(), ...local.keys()])];
  const isNew = (type: string) => local.has(type) && !builtIn.has(type);
  for (const shorter of names) {
    for (const longer of names) {
      if (!longer.startsWith(`${shorter}-`) || (!isNew(shorter) && !isNew(longer))) continue;
      const slug = longer.slice(shorter.length + 1);
      if (isNew(longer)) {
        const source = local.get(longer)![0]!;
        problems.add(source, [], `a type named "${longer}" would re-type existing files: "…-${longer}.md" is now a ${shorter} with the slug "${slug}". Choose a name that does not begin with "${shorter}-".`);
      } else {
        const source = local.get(shorter)![0]!;
        problems.add(source, [], `a type named "${shorter}" collides with ${longer}: "…-${longer}.md" stays a ${longer}, so a ${shorter} could never have a slug beginning "${slug}". Choose a name that is not the start of "${longer}".`);
      }
    }
  }
}

type Report = (path: readonly (string | number)[], message: string) => void;

/**
 * A local form of a built-in type keeps what CONTRACT.md promises: every field the built-in
 * requires and every field the timescales read stays, declared as the built-in declares it
 * (form, values, required or not); a field it adds is optional.
 */
function compareFields(builtIn: Template, local: Template, reads: readonly ReadPath[], report: Report): void {
  const type = builtIn.type;
  const walk = (theirs: Record<string, FieldDecl>, ours: Record<string, FieldDecl>, dataPath: string[], declPath: (string | number)[]) => {
    for (const [name, field] of Object.entries(theirs)) {
      const path = [...dataPath, name];
      const shown = path.join(".");
      const mine = Object.hasOwn(ours, name) ? ours[name] : undefined;
      if (!mine) {
        const read = reads.some((r) => startsWith(r, path));
        if (field.required || read) {
          report(declPath, `drops \`${shown}\`, which ${field.required ? `every ${type} must have` : "the timescales read"}: keep it as the built-in ${type} declares it (docs/format.md).`);
        }
        continue;
      }
      const at = [...declPath, name];
      if (mine.type !== field.type) report(at, `is ${field.type} in the built-in ${type}: a form may add fields, not change one's form.`);
      else if (Boolean(mine.required) !== Boolean(field.required)) {
        report(at, field.required ? `is required in the built-in ${type}: keep \`required: true\`.` : `is optional in the built-in ${type}: a form may not require more than CONTRACT.md does (leave out \`required\`).`);
      } else if (field.type === "enum" && !sameValues(field.values, mine.values)) {
        report(at, `has other values than the built-in ${type}'s: keep its values (${Object.keys(field.values ?? {}).join(", ")}).`);
      } else if (field.type === "object") walk(field.fields ?? {}, mine.fields ?? {}, path, [...at, "fields"]);
      else if (field.type === "list" && field.items && mine.items) {
        if (mine.items.type !== field.items.type) report([...at, "items"], `holds ${field.items.type} items in the built-in ${type}: keep them so.`);
        else if (field.items.type === "object") walk(field.items.fields ?? {}, mine.items.fields ?? {}, [...path, "*"], [...at, "items", "fields"]);
      }
    }
    for (const [name, field] of Object.entries(ours)) {
      if (!Object.hasOwn(theirs, name) && field.required) {
        report([...declPath, name], `is a new field of ${type}, so it must be optional: a form of a built-in type may add fields only as optional ones (leave out \`required\`).`);
      }
    }
  };
  walk(builtIn.fields, local.fields, [], []);
}

/** A new type declares every field a local rule reads of it. */
function checkReads(template: Template, reads: readonly ReadPath[], report: Report): void {
  for (const read of reads) {
    if (!declares(template.fields, read)) report([], `does not declare \`${read.join(".")}\`, which a rule in careplan.yaml reads of ${template.type}: declare it here.`);
  }
}

function declares(fields: Record<string, FieldDecl>, path: ReadPath): boolean {
  let current: FieldDecl | undefined = { type: "object", fields };
  for (const step of path) {
    if (step === "*") current = current?.type === "list" ? current.items : undefined;
    else current = current?.type === "object" && current.fields && Object.hasOwn(current.fields, step) ? current.fields[step] : undefined;
    if (!current) return false;
  }
  return true;
}

let ajv: Ajv2020 | undefined;

/** A default is a value of its field: `careplan new` and `check --fix` write it into documents. */
function checkDefaults(fields: Record<string, FieldDecl>, declPath: (string | number)[], report: Report): void {
  for (const [name, field] of Object.entries(fields)) {
    const at = [...declPath, name];
    ajv ??= newAjv({ allErrors: false, strict: false }, ["date", "email"]);
    if (field.default !== undefined && !ajv.validate(fieldSchema({ ...field, default: undefined }), field.default)) {
      report([...at, "default"], "is not a value of the field's form: give a value the field accepts, or leave the default out.");
    }
    if (field.fields) checkDefaults(field.fields, [...at, "fields"], report);
  }
}

function startsWith(read: ReadPath, path: readonly string[]): boolean {
  return path.every((step, i) => read[i] === step);
}

function sameValues(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const left = Object.keys(a ?? {}).sort();
  const right = Object.keys(b ?? {}).sort();
  return left.length === right.length && left.every((value, i) => value === right[i]);
}

function dedupe(problems: TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatTemplateProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
