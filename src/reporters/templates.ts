// `careplan templates list` and `show`: the forms as a person reads them. Pure formatting. An
// authority's own templates are text from the repository: each title, heading and description
// keeps to its place in one line.
import { printable, printableProse } from "../common/safe-text.js";
import type { Form } from "../templates/forms.js";
import { fieldForm, fieldMeaning, flattenFields } from "../templates/format-doc.js";
import type { Template } from "../templates/template.js";

/** Where a form comes from, in words. */
export function formOrigin(form: Form): string {
  if (form.origin === "built-in") return "built-in";
  if (form.extends !== undefined) return form.extends === form.type ? `local, extends the built-in ${form.type}` : `local, extends ${form.extends}`;
  return form.replaces ? `local, replaces the built-in ${form.type}` : "local, a new type";
}

/** A form's versions in words: "one", or "first, since 2026-04-01". */
export function formVersions(form: Form): string {
  return form.versions.length === 1 ? "one" : form.versions.map((v) => (v.since === undefined ? "first" : `since ${v.since}`)).join(", ");
}

export function formatFormList(forms: ReadonlyMap<string, Form>): string {
  const rows = [...forms.values()].sort((a, b) => a.type.localeCompare(b.type)).map((form) => ({ form, title: printableProse(form.versions[form.versions.length - 1]!.title) }));
  const typeWidth = Math.max(4, ...rows.map((r) => r.form.type.length));
  const titleWidth = Math.max(5, ...rows.map((r) => r.title.length));
  const originWidth = Math.max(4, ...rows.map((r) => formOrigin(r.form).length));
  const line = (type: string, title: string, origin: string, versions: string) => `${type.padEnd(typeWidth)}  ${title.padEnd(titleWidth)}  ${origin.padEnd(originWidth)}  ${versions}`.trimEnd();
  const out = [line("TYPE", "TITLE", "FROM", "VERSIONS")];
  for (const { form, title } of rows) {
    out.push(line(printable(form.type), title, formOrigin(form), formVersions(form)));
    if (form.origin === "local") out.push(`${"".padEnd(typeWidth)}  ${form.files.map(printable).join(", ")}`);
  }
  return out.join("\n") + "\n";
}

export function formatFormShow(form: Form, version: Template, date: string): string {
  const out = [`${printable(version.type)}: ${printableProse(version.title)}`, `From: ${formOrigin(form)}${form.origin === "local" ? ` (${printable(version.file)})` : ""}`];
  out.push(
    form.versions.length === 1
      ? "Versions: one"
      : `Version in force on ${date}: ${version.since === undefined ? "the first" : `since ${version.since}`} (versions: ${formVersions(form)})`,
  );
  if (version.description.trim()) out.push("", printableProse(version.description.trim()));
  const fields = flattenFields(version.fields).map(([key, field]): [string, typeof field] => [printable(key), field]);
  const keyWidth = Math.max(...fields.map(([key]) => key.length));
  const formWidth = Math.max(...fields.map(([, field]) => printableProse(fieldForm(field)).length));
  out.push("", "Fields (front matter):");
  for (const [key, field] of fields) {
    out.push(`  ${key.padEnd(keyWidth)}  ${printableProse(fieldForm(field)).padEnd(formWidth)}  ${(field.required ? "required" : "optional").padEnd(8)}  ${printableProse(fieldMeaning(field))}`.trimEnd());
  }
  out.push("", "Sections (## headings, in this order):");
  if (version.sections.length === 0) out.push("  none");
  for (const section of version.sections) {
    out.push(`  ${printableProse(section.heading)}${section.required ? "" : " (optional)"}`);
    const guidance = printableProse(section.guidance.replace(/<!--|-->/g, "").replace(/\s+/g, " ").trim());
    if (guidance) out.push(`      ${guidance}`);
  }
  return out.join("\n") + "\n";
}
