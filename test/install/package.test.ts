// The README's install commands from a clone and from the package file, run exactly as written on a
// fresh clone of this repository, each into a temporary global prefix; then `careplan --version`.
// Slow (npm builds careplan each time) and not about dates: `npm test` runs it once, not per TZ.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/assets.js";
import { readmeSnippet } from "../readme/snippets.js";
import { freshClone, installedVersion, runSnippet, TIMEOUT } from "./install-harness.js";

const { folder, clone } = freshClone();

describe("installing careplan as the README says", () => {
  it(
    "from a fresh clone: works where a bare `npm install --global .` stops at `tsc: not found`",
    () => {
      expect(existsSync(join(clone(), "node_modules"))).toBe(false);
      // The problem the README's command avoids (and names).
      let bare = "";
      try {
        runSnippet("npm install --global .", clone(), join(folder(), "bare"));
      } catch (error) {
        bare = String((error as { stderr?: unknown }).stderr);
      }
      expect(bare).toMatch(/tsc: not found/);

      const prefix = join(folder(), "from-clone");
      runSnippet(readmeSnippet("install-from-clone").text, clone(), prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
    },
    TIMEOUT,
  );

  it(
    "from the package file npm pack makes, with the LICENSE and the built code in it",
    () => {
      const prefix = join(folder(), "from-tarball");
      runSnippet(readmeSnippet("install-from-tarball").text, clone(), prefix);
      expect(installedVersion(prefix)).toBe(VERSION);
      const files = execFileSync("tar", ["-tzf", join(clone(), `careplan-${VERSION}.tgz`)], { encoding: "utf8" }).split("\n");
      expect(files).toEqual(expect.arrayContaining(["package/LICENSE", "package/bin/careplan", "package/dist/src/cli.js", "package/templates/visit.md", "package/schemas/visit.schema.json"]));
      expect(files.filter((file) => /^package\/(src|test|fixtures|bench|dist\/bench)\//.test(file))).toEqual([]);
    },
    TIMEOUT,
  );
});
