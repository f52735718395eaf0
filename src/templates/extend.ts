// A template that extends another (`extends: care-plan`): the base's fields and sections, with
// sections added, removed, renamed or made optional, and optional fields added. Its body is the
// base's, changed section by section, so `careplan new` writes the extended form.
import { sectionOf, commonFields, PROFILE_TYPE, resolveFields, type ProblemList, type Shared, type Template, type TemplateSection, type TemplateSource } from "./template.js";

/** A heading as a template writes it: one line of plain words (no Markdown marks). */
const HEADING = /^[^\s#*_`\\<>[\]][^\n*_`\\<>[\]]*$/;

export function extendTemplate(source: TemplateSource, base: Template, shared: Shared, problems: ProblemList): Template | undefined {
  const before = problems.count;
  const { declaration } = source;
  if ((source.type === PROFILE_TYPE) !== (base.type === PROFILE_TYPE)) {
    problems.add(source, ["extends"], "joins the child's profile and a dated document: the profile can only be extended as the profile itself (child.md).");
    return undefined;
  }
  if (source.body.trim() !== "") {
    problems.push(source.file, source.bodyFirstLine, "a template that extends another takes its body from it: declare new sections under `sections.add` and leave the body empty.");
  }
  const own = resolveFields(source, shared, problems);
  for (const name of Object.keys(own)) {
    if (Object.hasOwn(base.fields, name)) problems.add(source, ["fields", name], `is a field of ${base.type} already: a template that extends another adds fields; it does not change them.`);
  }
  const sections = changeSections(source, base, problems);
  if (problems.count > before || !sections) return undefined;

  const baseCommon = commonFields(base.type);
  const inherited = Object.entries(base.fields).filter(([name]) => !Object.hasOwn(baseCommon.leading, name) && !Object.hasOwn(baseCommon.trailing, name));
  const common = commonFields(source.type);
  return {
    type: source.type,
    title: declaration.title ?? base.title,
    description: declaration.description ?? base.description,
    since: source.since,
    fields: { ...common.leading, ...Object.fromEntries(inherited), ...own, ...common.trailing },
    sections,
    preamble: base.preamble,
    body: base.preamble + sections.map((s) => s.block).join(""),
    file: source.file,
  };
}

function changeSections(source: TemplateSource, base: Template, problems: ProblemList): TemplateSection[] | undefined {
  const changes = source.declaration.sections ?? {};
  const sections = [...base.sections];
  const indexOf = (heading: string) => sections.findIndex((s) => s.heading.toLowerCase() === heading.toLowerCase());
  const theSections = () => `The sections of ${base.type} are: ${sections.map((s) => `"${s.heading}"`).join(", ")}.`;
  const before = problems.count;

  (changes.remove ?? []).forEach((heading, i) => {
    const at = indexOf(heading);
    if (at === -1) problems.add(source, ["sections", "remove", i], `names "${heading}", which is not a section of ${base.type}. ${theSections()}`);
    else sections.splice(at, 1);
  });
  for (const [from, to] of Object.entries(changes.rename ?? {})) {
    const at = indexOf(from);
    if (at === -1) problems.add(source, ["sections", "rename", from], `is not a section of ${base.type}. ${theSections()}`);
    else if (!HEADING.test(to)) problems.add(source, ["sections", "rename", from], "renames a section to a heading that is not one line of plain words.");
    else if (indexOf(to) !== -1 && indexOf(to) !== at) problems.add(source, ["sections", "rename", from], `renames a section to "${to}", which is a section already.`);
    else {
      const section = sections[at]!;
      sections[at] = sectionOf(to, section.required, `## ${to}\n${section.block.slice(section.block.indexOf("\n") + 1)}`);
    }
  }
  (changes.add ?? []).forEach((added, i) => {
    const where = ["sections", "add", i];
    if (!HEADING.test(added.heading)) return problems.add(source, [...where, "heading"], "must be one line of plain words: the heading without `## ` and without Markdown marks.");
    if (indexOf(added.heading) !== -1) return problems.add(source, [...where, "heading"], `is a section of ${base.type} already.`);
    const guidance = added.guidance?.trim() ?? "";
    if (/-->|\{\{/.test(guidance)) return problems.add(source, [...where, "guidance"], "is plain text: it may not hold `-->` or `{{`.");
    const after = added.after === undefined ? sections.length - 1 : indexOf(added.after);
    if (after === -1) return problems.add(source, [...where, "after"], `names "${added.after}", which is not a section here. ${theSections()}`);
    if (after >= 0) sections[after] = withBlankLineAfter(sections[after]!);
    const block = `## ${added.heading}\n${guidance ? `<!-- ${oneLine(guidance)} -->\n` : ""}\n`;
    sections.splice(after + 1, 0, sectionOf(added.heading, added.optional !== true, block));
  });
  (changes.optional ?? []).forEach((heading, i) => {
    const at = indexOf(heading);
    if (at === -1) problems.add(source, ["sections", "optional", i], `names "${heading}", which is not a section here. ${theSections()}`);
    else sections[at] = { ...sections[at]!, required: false };
  });
  return problems.count > before ? undefined : sections;
}

/** A section followed by another keeps a blank line between them. */
function withBlankLineAfter(section: TemplateSection): TemplateSection {
  if (section.block.endsWith("\n\n")) return section;
  return { ...section, block: section.block.endsWith("\n") ? `${section.block}\n` : `${section.block}\n\n` };
}

/** Lines joined by single spaces, blank ones dropped (as a pattern, spaces around line ends backtrack on a long run of spaces). */
function oneLine(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}
