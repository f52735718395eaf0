// docs/own-forms.md shows the files of fixtures/own-forms/authority (and newcastle) and what careplan prints for
// them: each shown file is the fixture's, each shown output is today's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli } from "../cli-harness.js";

const page = readFileSync(join(PACKAGE_ROOT, "docs/own-forms.md"), "utf8");
const blocks = (marker: string) => [...page.matchAll(new RegExp(`<!-- ${marker}: (.+?) -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`, "g"))].map((m) => [m[1]!, m[2]!] as const);

describe("docs/own-forms.md", () => {
  it("shows the worked example's files", () => {
    const files = blocks("file");
    expect(files.map(([file]) => file)).toEqual([
      "fixtures/own-forms/authority/careplan.yaml",
      "fixtures/own-forms/authority/templates/care-plan.2026-04-01.md",
      "fixtures/own-forms/authority/templates/care-plan.md",
      "fixtures/own-forms/authority/templates/missing-episode.md",
      "fixtures/own-forms/authority/templates/return-interview.md",
      "fixtures/own-forms/newcastle/templates/care-plan.2027-04-01.md",
      "fixtures/own-forms/newcastle/templates/care-plan.md",
    ]);
    for (const [file, shown] of files) expect(shown, `${file} differs from the page`).toBe(readFileSync(join(PACKAGE_ROOT, file), "utf8"));
  });

  it.each(blocks("output"))("shows what `%s` prints today", async (command, shown) => {
    const run = await runCli(command.split(" ").slice(1), { cwd: PACKAGE_ROOT });
    expect(run.stdout).toBe(shown);
  });
});
