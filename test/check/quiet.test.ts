// --quiet: errors only, as ESLint 9's --quiet: warnings are neither shown nor counted, so
// --max-warnings has nothing to count and a baseline's warning entries are not called unused.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli } from "../cli-harness.js";
import { PROFILE, repositoryWith, visit, VISIT } from "./repository.js";

const scenario = (name: string) => join(PACKAGE_ROOT, "fixtures/check", name);
const SMALL = ["check", scenario("small"), "--as-of", "2026-01-20"];

let repository: ReturnType<typeof repositoryWith> | undefined;
afterEach(() => repository?.remove());

describe("check --quiet", () => {
  it("hides warnings from every line of the report, the summary included", async () => {
    const loud = await runCli(SMALL, { cwd: scenario("small") });
    expect(loud.stdout).toContain("warning");
    const quiet = await runCli([...SMALL, "--quiet"], { cwd: scenario("small") });
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toContain("section-empty");
    expect(quiet.stdout).toContain("✖ 4 problems (4 errors, 0 warnings) in 2 files checked as of 2026-01-20.");
  });

  it.each(["json", "github"])("--format %s: no warning", async (format) => {
    const run = await runCli([...SMALL, "--quiet", "--format", format], { cwd: scenario("small") });
    expect(run.stdout).not.toMatch(/section-empty|"warning"|::warning/);
  });

  it("--format sarif: no warning among the results (the rules' metadata still lists every rule)", async () => {
    const run = await runCli([...SMALL, "--quiet", "--format", "sarif"], { cwd: scenario("small") });
    const results = JSON.parse(run.stdout).runs[0].results as { level: string }[];
    expect(results.map((r) => r.level)).toEqual(["error", "error", "error", "error"]);
  });

  it("counts no warnings: the JSON summary says 0 and --max-warnings 0 passes", async () => {
    const args = ["check", scenario("warnings-only"), "--as-of", "2026-02-24", "--max-warnings", "0"];
    expect((await runCli(args, { cwd: PACKAGE_ROOT })).code).toBe(1);
    const run = await runCli([...args, "--quiet", "--format", "json"], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("does not call a baseline's warning entries unused", async () => {
    repository = repositoryWith({ "children/AB-1/child.md": PROFILE, [VISIT]: visit("seen_alone: true", ["Next steps"]) });
    expect((await runCli(["baseline", "--as-of", "2026-03-02"], { cwd: repository.path })).code).toBe(0);
    const run = await runCli(["check", "--as-of", "2026-03-02", "--quiet", "--format", "json"], { cwd: repository.path });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ warnings: 0, baselined: 5, baselineUnused: 0 });
    expect(run.stderr).toBe("");
  });
});
