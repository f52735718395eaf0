// docs/security.md names, for each threat, the test that fails without its protection: every
// file it cites exists, and every test name quoted after a file is in that file, so that the page
// cannot go on citing a test that was renamed or removed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";

const PAGE = readFileSync(join(PACKAGE_ROOT, "docs/security.md"), "utf8");

/** Each cited test file with the names quoted after it, up to the next file or the end of the line or cell. */
function citations(): { file: string; names: string[] }[] {
  const found: { file: string; names: string[] }[] = [];
  for (const line of PAGE.split("\n")) {
    for (const cell of line.split(/(?<!\\)\|/)) {
      const parts = cell.split(/`((?:test|bench|fixtures)\/[^`]+)`/);
      for (let i = 1; i < parts.length; i += 2) {
        const names = [...parts[i + 1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
        found.push({ file: parts[i]!, names });
      }
    }
  }
  return found;
}

describe("docs/security.md", () => {
  const cited = citations();

  it("cites tests for its threats", () => {
    expect(cited.length).toBeGreaterThan(40);
    expect(cited.flatMap((c) => c.names).length).toBeGreaterThan(60);
  });

  it.each(cited.map((c) => [c.file, c.names] as const))("%s exists and holds %j", (file, names) => {
    expect(existsSync(join(PACKAGE_ROOT, file))).toBe(true);
    if (names.length === 0) return;
    const text = readFileSync(join(PACKAGE_ROOT, file), "utf8").replace(/\\(.)/g, "$1");
    for (const name of names) expect(text, `${file} has no test named "${name}"`).toContain(name.replace(/\\(.)/g, "$1"));
  });

  it("is linked from the README's section on confidentiality", () => {
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Confidential by design"), readme.indexOf("\n## ", readme.indexOf("## Confidential by design") + 1));
    expect(section).toContain("(docs/security.md)");
  });
});
