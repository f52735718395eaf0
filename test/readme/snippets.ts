// The README's code blocks, as a user would copy them: each marked by `<!-- snippet: name -->`
// on the line before its fence, so tests run what the README says rather than a copy of it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/assets.js";

export function readmeSnippet(name: string): { language: string; text: string } {
  const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
  const marker = `<!-- snippet: ${name} -->\n`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no snippet named ${name}`);
  const match = /^```(\w*)\n([\s\S]*?)\n```\n/.exec(readme.slice(at + marker.length));
  if (!match) throw new Error(`the snippet ${name} in README.md is not followed by a fenced code block`);
  return { language: match[1]!, text: match[2]! + "\n" };
}
