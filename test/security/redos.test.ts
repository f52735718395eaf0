// No regular expression careplan runs on input may backtrack super-linearly: every regex literal
// in src/ (found with TypeScript's own parser, so none is missed or misread), every pattern built
// at run time, and every `pattern` and format the document schemas apply to field values, each
// put through recheck, a ReDoS checker that proves or refutes linear matching.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { check } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { PACKAGE_ROOT, SCHEMAS_DIR } from "../../src/assets.js";
import { ID_PATTERN } from "../../src/common/ids.js";
import { RULE_SCHEMA } from "../../src/timescales/rule-schema.js";

interface Pattern {
  where: string;
  source: string;
  flags: string;
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name))
    .sort();
}

/** Every regular expression literal in the TypeScript sources, with its file and line. */
function regexLiterals(): Pattern[] {
  const found: Pattern[] = [];
  for (const file of filesUnder(join(PACKAGE_ROOT, "src"), ".ts")) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const end = text.lastIndexOf("/");
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({ where: `${relative(PACKAGE_ROOT, file)}:${line}`, source: text.slice(1, end), flags: text.slice(end + 1) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** `pattern` keywords in a JSON Schema (ajv compiles them with the u flag). */
function schemaPatterns(schema: unknown, where: string, found: Pattern[] = []): Pattern[] {
  if (Array.isArray(schema)) schema.forEach((item) => schemaPatterns(item, where, found));
  else if (typeof schema === "object" && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "pattern" && typeof value === "string") found.push({ where, source: value, flags: "u" });
      else schemaPatterns(value, where, found);
    }
  }
  return found;
}

const literals = regexLiterals();
const patterns: Pattern[] = [
  ...literals,
  { where: "src/common/ids.ts ID_PATTERN", source: ID_PATTERN, flags: "" },
  ...schemaPatterns(RULE_SCHEMA, "src/timescales/rule-schema.ts"),
  ...filesUnder(SCHEMAS_DIR, ".schema.json").flatMap((file) => schemaPatterns(JSON.parse(readFileSync(file, "utf8")), relative(PACKAGE_ROOT, file))),
  // The formats the document schemas use (doctypes.ts adds date and email), as ajv-formats runs them.
  { where: "ajv-formats email", source: fullFormats.email.source, flags: fullFormats.email.flags },
];
// The same pattern in several places is checked once.
const unique = [...new Map(patterns.map((p) => [`${p.flags}/${p.source}`, p])).values()];

describe("regular expressions", () => {
  it("finds the regex literals in src/ (the collector works)", () => {
    expect(literals.length).toBeGreaterThan(30);
    expect(literals.map((p) => p.source)).toContain("^---[ \\t]*$");
  });

  it.each(unique.map((p) => [p.where, p] as const))("%s is linear", async (_, pattern) => {
    const result = await check(pattern.source, pattern.flags, { timeout: 20_000, randomSeed: 1 });
    const attack = result.status === "vulnerable" ? ` (${result.complexity.summary}; attack: ${result.attack.pattern})` : "";
    expect(`${result.status}${attack}`, `/${pattern.source}/${pattern.flags}`).toBe("safe");
  }, 30_000);

  it("the checker finds a known quadratic pattern (it can fail)", async () => {
    const result = await check("(?:^|[ \\t]+)#+[ \\t]*$", "", { timeout: 20_000, randomSeed: 1 });
    expect(result.status).toBe("vulnerable");
  }, 30_000);
});
