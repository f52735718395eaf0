// An authority keeps what careplan stops asking of everyone: from 1 April 2027 careplan's care
// plan drops three sections only Newcastle's practice guide asks for, and
// fixtures/own-forms/newcastle keeps them in a form of its own from that day. Plans written
// before it were written under careplan's first care plan, which has them.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const NEWCASTLE = join(PACKAGE_ROOT, "fixtures/own-forms/newcastle");
const BEFORE = "children/NC-3001/2027-03-22-care-plan.md";
const AFTER = "children/NC-3001/2027-04-19-care-plan.md";

let folder: { path: string; remove: () => void };
let repo: string;

beforeEach(() => {
  folder = temporaryFolder();
  repo = join(folder.path, "newcastle");
  cpSync(NEWCASTLE, repo, { recursive: true });
});
afterEach(() => folder.remove());

async function check(): Promise<[string, string, string][]> {
  const run = await runCli(["check", repo, "--as-of", "2027-04-30", "--format", "json"], { cwd: repo });
  return (JSON.parse(run.stdout) as { findings: { file: string; rule: string; message: string }[] }).findings.map((f) => [f.file, f.rule, f.message]);
}

/** The plan without one of its sections (its heading, guidance and text). */
function withoutSection(file: string, heading: string): void {
  const path = join(repo, file);
  writeFileSync(path, readFileSync(path, "utf8").replace(new RegExp(`## ${heading}\\n(?:(?!## ).*\\n)*`), ""));
}

const missing = (file: string, heading: string): [string, string, string] => [file, "section-missing", `the section "## ${heading}" is missing: add it (careplan new shows the template)`];

describe("fixtures/own-forms/newcastle", () => {
  it("checks clean: one plan written under careplan's first care plan, one under Newcastle's own from April 2027", async () => {
    expect(await check()).toEqual([]);
  });

  it.each(["Statutory visits", "Care team meetings", "Role of parents"])("asks for %s before April 2027 (careplan's first form) and after (Newcastle's own)", async (heading) => {
    withoutSection(BEFORE, heading);
    withoutSection(AFTER, heading);
    expect(await check()).toEqual([missing(BEFORE, heading), missing(AFTER, heading)]);
  });

  it("without its own forms, only the plan written before April 2027 is asked for them", async () => {
    const config = join(repo, "careplan.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("templates: templates\n", ""));
    withoutSection(BEFORE, "Care team meetings");
    withoutSection(AFTER, "Care team meetings");
    expect(await check()).toEqual([missing(BEFORE, "Care team meetings")]);
  });

  it("asks of a plan written from April 2027 what careplan's care plan asks then: communication needs and the manager's direction", async () => {
    withoutSection(AFTER, "Communication needs");
    withoutSection(AFTER, "Manager direction");
    withoutSection(BEFORE, "Manager direction");
    expect(await check()).toEqual([missing(AFTER, "Communication needs"), missing(AFTER, "Manager direction")]);
  });

  it("careplan new writes Newcastle's sections where its form puts them", async () => {
    const run = await runCli(["new", "care-plan", "--child", "NC-3001", "--date", "2027-05-03", "--dry-run"], { cwd: repo, today: "2027-05-03" });
    expect(run.code).toBe(0);
    const headings = run.stdout.split("\n").filter((line) => line.startsWith("## ")).map((line) => line.slice(3));
    expect(headings.slice(headings.indexOf("Self-care skills"))).toEqual([
      "Self-care skills", "Communication needs", "Safety plan", "Statutory visits", "Care team meetings", "Views of the child", "Views of parents and others", "Role of parents", "Independent Reviewing Officer", "Actions", "Manager direction",
    ]);
  });
});
