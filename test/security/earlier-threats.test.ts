// Threats the tool handled before issue 14, each held by a test here (docs/security.md lists
// them with the rest): front matter in another language (gray-matter would run `---js` as code),
// YAML tags that other loaders turn into functions or objects, NUL characters, and two `new`
// commands writing the same document at once.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const AS_OF = "2026-03-02";
const PROFILE = "---\ntype: child\nid: AB-1\nname: Sam\ndob: 2014-02-01\nlooked_after_since: 2026-01-05\nlegal_status: care-order\niro: { name: Pat }\nsocial_worker: { name: Jo }\nplacements:\n  - { start: 2026-01-05, type: foster-care }\n---\n";

const folder = temporaryFolder();
afterAll(() => folder.remove());
let count = 0;

/** A repository with one child and one document; returns its root and a marker file that code run from the document would write. */
function withDocument(name: string, text: string): { root: string; marker: string } {
  const root = join(folder.path, `r${count++}`);
  const marker = join(root, "..", `marker-${count}`);
  mkdirSync(join(root, "children/AB-1"), { recursive: true });
  writeFileSync(join(root, "children/AB-1/child.md"), PROFILE);
  writeFileSync(join(root, "children/AB-1", name), text.replaceAll("MARKER", JSON.stringify(marker).slice(1, -1)));
  return { root, marker };
}

async function findingsOf(root: string, file: string): Promise<{ rule: string; line: number; message: string }[]> {
  const run = await runCli(["check", ".", "--as-of", AS_OF, "--format", "json"], { cwd: root });
  expect(run.stderr).not.toMatch(/internal error/);
  return JSON.parse(run.stdout).findings.filter((f: { file: string }) => f.file === `children/AB-1/${file}`);
}

describe("front matter is YAML and only YAML: nothing in a document runs", () => {
  it.each([
    ["---js", `---js\n({ type: "visit", child: require("fs").writeFileSync("MARKER", "ran") })\n---\n`],
    ["---javascript", `---javascript\nrequire("fs").writeFileSync("MARKER", "ran")\n---\n`],
    ["---coffee", `---coffee\nrequire("fs").writeFileSync "MARKER", "ran"\n---\n`],
    ["---json", `---json\n{ "type": "visit" }\n---\n`],
  ])("%s front matter is no front matter (a `yaml` finding), and is never run", async (_language, text) => {
    const { root, marker } = withDocument("2026-01-10-visit.md", text);
    expect(await findingsOf(root, "2026-01-10-visit.md")).toContainEqual(expect.objectContaining({ rule: "yaml", line: 1 }));
    for (const command of [["timeline", "--as-of", AS_OF], ["stats", "--from", "2026-01-01", "--to", AS_OF], ["new", "visit", "--child", "AB-1", "--dry-run", "--set", "seen_alone=true"]]) {
      await runCli(command, { cwd: root, today: AS_OF });
    }
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ["!!js/function", `seen_alone: !!js/function "function () { require('fs').writeFileSync('MARKER', 'ran') }"`],
    ["!!js/regexp", "seen_alone: !!js/regexp /x/"],
    ["!!js/undefined", "seen_alone: !!js/undefined ''"],
    ["!!python/object", "seen_alone: !!python/object/apply:os.system ['touch MARKER']"],
    ["a local tag", "seen_alone: !visit true"],
    ["!!binary", "seen_alone: !!binary dHJ1ZQ=="],
  ])("a %s tag is not a value careplan takes: a `schema` finding at the field, nothing run", async (_tag, line) => {
    const { root, marker } = withDocument("2026-01-11-visit.md", `---\ntype: visit\nchild: AB-1\ndate: 2026-01-11\n${line}\n---\n`);
    const findings = await findingsOf(root, "2026-01-11-visit.md");
    expect(findings.filter((f) => f.rule === "schema" || f.rule === "yaml")).toEqual([expect.objectContaining({ line: 5 })]);
    await runCli(["timeline", "--as-of", AS_OF], { cwd: root });
    expect(existsSync(marker)).toBe(false);
  });
});

describe("NUL", () => {
  it("in the text of a document: text like any other, the lines counted as written, and never printed raw", async () => {
    const { root } = withDocument("2026-01-12-visit.md", "---\ntype: visit\nchild: AB-1\ndate: 2026-01-12\nseen_alone: maybe\n---\n## Purpose of\u0000 the visit\ntext\u0000\n");
    const findings = await findingsOf(root, "2026-01-12-visit.md");
    expect(findings).toContainEqual(expect.objectContaining({ rule: "schema", line: 5 }));
    const run = await runCli(["check", ".", "--as-of", AS_OF], { cwd: root });
    expect(run.stdout).not.toContain("\u0000");
  });

  it("in front matter: not YAML, a `yaml` finding at its line", async () => {
    const { root } = withDocument("2026-01-13-visit.md", "---\ntype: visit\nchild: AB-1\ndate: 2026-01-13\nseen_alone: tr\u0000ue\n---\n");
    const findings = await findingsOf(root, "2026-01-13-visit.md");
    expect(findings.filter((f) => f.rule === "yaml" || f.rule === "schema")).toEqual([expect.objectContaining({ line: 5 })]);
  });
});

describe("two `new` commands at once", () => {
  // Six processes write the same document at the same moment: one writes it whole, every other
  // is told it exists. A write that replaced (rename) or truncated (open without O_EXCL) the file
  // would let several succeed, the last one's text winning.
  it("exactly one writes the document; the others write nothing and say it exists", async () => {
    const root = join(folder.path, "concurrent");
    mkdirSync(join(root, "children/AB-1"), { recursive: true });
    writeFileSync(join(root, "children/AB-1/child.md"), PROFILE);
    const plans = ["adoption", "return-home", "long-term-fostering", "special-guardianship", "independence", "long-term-placement"];
    const runs = await Promise.all(
      plans.map(
        (plan) =>
          new Promise<{ code: number | null; stderr: string; plan: string }>((resolve) => {
            const child = spawn(process.execPath, [join(PACKAGE_ROOT, "bin/careplan"), "new", "care-plan", "--child", "AB-1", "--date", "2026-02-01", "--set", `permanence_plan=${plan}`], { cwd: root, env: { PATH: process.env.PATH } });
            let stderr = "";
            child.stderr.on("data", (chunk) => (stderr += chunk));
            child.on("close", (code) => resolve({ code, stderr, plan }));
          }),
      ),
    );
    const written = runs.filter((r) => r.code === 0);
    expect(written).toHaveLength(1);
    for (const refused of runs.filter((r) => r.code !== 0)) expect(refused).toMatchObject({ code: 2, stderr: expect.stringMatching(/already exists: nothing was written/) });
    const text = readFileSync(join(root, "children/AB-1/2026-02-01-care-plan.md"), "utf8");
    expect(text).toContain(`permanence_plan: ${written[0]!.plan}\n`);
    expect(text.match(/^permanence_plan:/gm)).toHaveLength(1);
  }, 60_000);
});

describe("paths and ids that would lead out of the repository", () => {
  it.each([
    ["--child ../x", ["new", "visit", "--child", "../outside", "--set", "seen_alone=true"]],
    ["--child an absolute path", ["new", "visit", "--child", "/tmp/outside", "--set", "seen_alone=true"]],
    ["--id ../x", ["new", "child", "--id", "../outside"]],
    ["--slug ../x", ["new", "visit", "--child", "AB-1", "--slug", "../../outside", "--set", "seen_alone=true"]],
    ["--slug an absolute path", ["new", "visit", "--child", "AB-1", "--slug", "/tmp/outside", "--set", "seen_alone=true"]],
  ])("%s: a usage error, nothing written anywhere", async (_what, args) => {
    const { root } = withDocument("2026-01-14-visit.md", "---\ntype: visit\n---\n");
    const before = readdirSync(join(root, "..")).sort();
    const run = await runCli(args, { cwd: root, today: AS_OF });
    expect(run.code).toBe(2);
    expect(readdirSync(join(root, "..")).sort()).toEqual(before);
    expect(readdirSync(join(root, "children/AB-1")).sort()).toEqual(["2026-01-14-visit.md", "child.md"]);
  });

  it.each([
    ["children: ../elsewhere", "policy: england\nchildren: ../elsewhere\n"],
    ["templates: /etc", "policy: england\ntemplates: /etc\n"],
    ["templates: ../..", "policy: england\ntemplates: ../..\n"],
    ["ignore: [../x]", "policy: england\nignore: [../x]\n"],
  ])("careplan.yaml with %s: a configuration error", async (_what, config) => {
    const { root } = withDocument("2026-01-14-visit.md", "---\ntype: visit\n---\n");
    writeFileSync(join(root, "careplan.yaml"), config);
    const run = await runCli(["check", "--as-of", AS_OF], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^careplan: .*careplan\.yaml:\d+: `(children|templates|ignore)` must be/);
  });
});
