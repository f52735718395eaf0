// A template's body is Handlebars, and templates are data: a body may only show values
// (`{{child.name}}`, `{{date}}`, `{{type}}`, `{{title}}`), never call helpers, open blocks or
// partials, or walk to a prototype. The body is checked as a tree (parsing compiles nothing);
// `careplan new` compiles it only then, in an environment of its own with no helpers at all.
import { createRequire } from "node:module";

/** Handlebars, loaded when a body is first checked or rendered. */
const require = createRequire(import.meta.url);
const handlebars = () => require("handlebars") as typeof import("handlebars");

/** What a body may show: the child's profile fields under `child.`, and the document's own facts. */
const VALUES = new Set(["date", "type", "title"]);

export interface BodyProblem {
  /** 1-based line within the body. */
  line: number;
  message: string;
}

const ALLOWED =
  "a template's body may only show values: {{child.<field>}} (from the child's profile), {{date}}, {{type}} and {{title}}";

/** Every construct of the body that careplan does not allow, with its line in the body. */
export function bodyProblems(body: string): BodyProblem[] {
  let program: hbs.AST.Program;
  try {
    program = handlebars().parse(body);
  } catch (error) {
    const line = /line (\d+)/i.exec((error as Error).message)?.[1];
    return [{ line: line ? Number(line) : 1, message: "the body's {{ }} are not closed or not well formed: write {{child.name}}, and \\{{ for a literal {{" }];
  }
  const problems: BodyProblem[] = [];
  for (const statement of program.body) {
    if (statement.type === "ContentStatement" || statement.type === "CommentStatement") continue;
    const line = statement.loc?.start.line ?? 1;
    if (statement.type !== "MustacheStatement") {
      problems.push({ line, message: `${ALLOWED}: blocks ({{#...}}), partials ({{> ...}}) and decorators are not allowed` });
      continue;
    }
    const mustache = statement as hbs.AST.MustacheStatement;
    if (mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0 || mustache.path.type !== "PathExpression" || !isAllowedPath(mustache.path as hbs.AST.PathExpression)) {
      problems.push({ line, message: `${ALLOWED}; helpers and other names are not allowed` });
    }
  }
  return problems;
}

function isAllowedPath(path: hbs.AST.PathExpression): boolean {
  if (path.data || path.depth > 0 || path.parts.some((part) => part in Object.prototype || part === "__proto__" || part === "prototype")) return false;
  const [root, field, ...deeper] = path.parts;
  if (deeper.length > 0 || root === undefined) return false;
  return field === undefined ? VALUES.has(root) : root === "child" && /^[a-z][a-z0-9_]*$/.test(field);
}

/** The values a body is rendered with: plain strings, each on one line. */
export interface BodyValues {
  child: Record<string, string>;
  date: string | undefined;
  type: string;
  title: string;
}

/**
 * Renders a body that `bodyProblems` found clean. The environment is created for the call and
 * holds no helpers; `knownHelpersOnly` makes any helper a compile error; prototype access stays
 * forbidden (Handlebars 4.7's default).
 */
export function renderBody(body: string, values: BodyValues): string {
  const problem = bodyProblems(body)[0];
  if (problem) throw new Error(problem.message);
  const environment = handlebars().create();
  for (const name of Object.keys(environment.helpers)) environment.unregisterHelper(name);
  const knownHelpers = Object.fromEntries(["helperMissing", "blockHelperMissing", "each", "if", "unless", "with", "log", "lookup"].map((name) => [name, false]));
  const render = environment.compile(body, { noEscape: true, strict: false, knownHelpersOnly: true, knownHelpers });
  return render(values);
}
