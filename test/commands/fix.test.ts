// `careplan check --fix` and `--fix-dry-run`, on a copy of fixtures/own-forms/fix: sections
// inserted at the template's place with its guidance, fields with defaults added, and nothing
// else of the file touched (line ends, byte order mark, final newline, comments, the text).
import { cpSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { parseDocumentText } from "../../src/casefile/document.js";
import { FileChangedError, replaceFile } from "../../src/casefile/write.js";
import { planFixes } from "../../src/core/fix.js";
import { loadDocumentTypes } from "../../src/doctypes.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const FIXTURE = join(PACKAGE_ROOT, "fixtures/own-forms/fix");
const CHILD = "children/FX-0001";
const PLAN = `${CHILD}/2026-02-10-care-plan.md`;
const VISIT = `${CHILD}/2026-02-12-visit.md`;
const REVIEW = `${CHILD}/2026-02-20-review.md`;
const AS_OF = ["--as-of", "2026-03-01"];

let folder: { path: string; remove: () => void };
let repo: string;
const read = (file: string) => readFileSync(join(repo, file), "utf8");
const bytes = (file: string) => readFileSync(join(repo, file));

beforeEach(() => {
  folder = temporaryFolder();
  repo = join(folder.path, "repo");
  cpSync(FIXTURE, repo, { recursive: true });
});
afterEach(() => folder.remove());

/** The document's own lines, each of which must still be there, in order, after the fix. */
function ownLines(text: string): string[] {
  return text.split(/\r?\n/);
}

function isSubsequence(inner: string[], outer: string[]): boolean {
  let at = 0;
  for (const line of outer) if (at < inner.length && line === inner[at]) at++;
  return at === inner.length;
}

describe("careplan check --fix", () => {
  it("lists each change by file, line and heading or key, then the check report of what remains", async () => {
    const run = await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    expect(run.code).toBe(1);
    const [fixes, report] = run.stdout.split("Made 6 changes in 2 files.\n");
    expect(fixes).toBe(
      [
        `${PLAN}:9: added the section "## Reason the child became looked after"`,
        `${PLAN}:12: added the section "## Legal status"`,
        `${PLAN}:50: added the section "## Family time plan"`,
        `${PLAN}:80: added the section "## Actions"`,
        `${VISIT}:8: added the field \`unannounced\` with its default`,
        `${VISIT}:27: added the section "## Next steps"`,
        `${REVIEW}: not fixed: its front matter cannot be read, so what it lacks cannot be told: correct what the \`read\` or \`yaml\` finding says, then run the fix again.`,
        "",
      ].join("\n"),
    );
    // What remains: the new sections are empty, and the review's front matter does not parse.
    expect(report).toContain(`${PLAN}\n  9:1   warning  the section "## Reason the child became looked after" is empty`);
    expect(report).toContain(`${REVIEW}\n`);
    expect(report).toContain("yaml");
    expect(report).not.toContain(`${PLAN}\n  1:1   error    the section`);
  });

  it("inserts into a CRLF file with a BOM at the template's places, whatever the text mentions", async () => {
    const before = read(PLAN);
    await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    const after = read(PLAN);
    expect(after.startsWith("\uFEFF---\r\n")).toBe(true);
    expect(after.replace(/\r\n/g, "")).not.toContain("\n");
    expect(after.endsWith("\r\n")).toBe(true);
    expect(isSubsequence(ownLines(before), ownLines(after))).toBe(true);
    const lines = ownLines(after);
    // The body's first template sections were missing: they go before the first one present,
    // not into the fenced code block that shows "## Legal status" and "## Actions".
    expect(lines.slice(7, 15)).toEqual([
      "",
      "## Reason the child became looked after",
      "<!-- A short summary of why the child came into care. Not a full history of involvement. -->",
      "",
      "## Legal status",
      "<!-- The current legal status and the date of every change since the child came into care (for example from section 20 to an interim care order). -->",
      "",
      "## Permanence plan",
    ]);
    expect(lines.slice(15, 21)).toEqual(["The Legal status and the Reason the child became looked after are in the court papers.", "", "```text", "## Actions", "## Legal status", "```"]);
    // The local form's added section, after the one the template puts before it.
    expect(lines.slice(46, 53)).toEqual([
      "## Family and social relationships",
      "Written for family and social relationships; see also Actions.",
      "",
      "## Family time plan",
      "<!-- Who the child sees in their family, how often and where. -->",
      "",
      "## Social presentation",
    ]);
    // "Actions" follows the IRO's section, before a heading of the document's own that begins with its words.
    expect(lines.slice(76, 84)).toEqual([
      "## Independent Reviewing Officer",
      "Pat Lee, who asked for the Actions to be written up.",
      "",
      "## Actions",
      "<!-- The actions themselves go in the `actions` list in the front matter (action, who, when, and the outcome each will achieve; done once done). Add any context here, including the IRO's recommendations. -->",
      "",
      "## Actions from the last plan, for the record",
      "All done.",
    ]);
  });

  it("adds a field with its default as one more line, keeping comments and spacing, and a file without a final newline without one", async () => {
    const before = read(VISIT);
    await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    const after = read(VISIT);
    expect(after.split("---\n")[1]).toBe(
      ["type: visit", "child: FX-0001", "date: 2026-02-12", "# Seen alone in the garden: see below.", "seen_alone:   true    # as written by the worker", 'visitor: "Jo Khan"', "unannounced: false", ""].join("\n"),
    );
    expect(before.endsWith("Settled.")).toBe(true);
    expect(after.endsWith("Settled.\n\n## Next steps\n<!-- What will happen as a result of the visit, and when the next visit is. -->")).toBe(true);
    expect(isSubsequence(ownLines(before), ownLines(after))).toBe(true);
  });

  it("never touches a file whose front matter does not parse, and says it was not fixed", async () => {
    const before = bytes(REVIEW);
    const run = await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    expect(bytes(REVIEW).equals(before)).toBe(true);
    expect(run.stdout).toContain(`${REVIEW}: not fixed: its front matter cannot be read, so what it lacks cannot be told`);
  });

  it("leaves nothing more to fix but what needs a person, and no temporary files", async () => {
    await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    const fixed = [bytes(PLAN), bytes(VISIT)];
    const again = await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    expect(again.stdout.split("\n").slice(0, 2)).toEqual([
      `${REVIEW}: not fixed: its front matter cannot be read, so what it lacks cannot be told: correct what the \`read\` or \`yaml\` finding says, then run the fix again.`,
      "Nothing was fixed: the file above needs a person.",
    ]);
    unlinkSync(join(repo, REVIEW));
    expect((await runCli(["check", "--fix", ...AS_OF], { cwd: repo })).stdout.startsWith("Nothing to fix.\n")).toBe(true);
    expect([bytes(PLAN), bytes(VISIT)]).toEqual(fixed);
    expect(readdirSync(join(repo, CHILD)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("fixes only the documents given by path", async () => {
    const visit = bytes(VISIT);
    const run = await runCli(["check", "--fix", PLAN, ...AS_OF], { cwd: repo });
    expect(run.stdout).toContain("Made 4 changes in 1 file.\n");
    expect(bytes(VISIT).equals(visit)).toBe(true);
  });

  it("puts the list on stderr when the report is for a machine", async () => {
    const run = await runCli(["check", "--fix", "--format", "json", ...AS_OF], { cwd: repo });
    expect(JSON.parse(run.stdout)).toHaveProperty("findings");
    expect(run.stderr).toContain(`${VISIT}:8: added the field \`unannounced\` with its default\n`);
  });

  it("does not follow a link, and says so", async () => {
    const target = join(repo, "visit-kept-elsewhere.md");
    writeFileSync(target, read(VISIT));
    unlinkSync(join(repo, VISIT));
    symlinkSync(target, join(repo, VISIT));
    const before = readFileSync(target);
    const run = await runCli(["check", "--fix", ...AS_OF], { cwd: repo });
    expect(run.stdout).toContain(`${VISIT}: not fixed: it is a link; fix the file it leads to.\n`);
    expect(readFileSync(target).equals(before)).toBe(true);
  });

  it("leaves a section written in another form or under a misspelt heading to a person", async () => {
    writeFileSync(join(repo, VISIT), read(VISIT).replace("## Seen alone", "## Seen alon").replace("## Home and bedroom", "### Home and bedroom"));
    const run = await runCli(["check", "--fix", VISIT, ...AS_OF], { cwd: repo });
    // The line of the file as fixed (a field was added above it), as the report below says.
    expect(run.stdout).toContain(`${VISIT}: not fixed: the section "## Seen alone" (the heading on line 15 may be it, misspelt: correct that heading).\n`);
    expect(run.stdout).toContain("did you mean the heading on line 15?");
    expect(run.stdout).not.toContain('added the section "## Home and bedroom"');
    expect(run.stdout).toContain("Made 2 changes in 1 file.\n");
    expect(read(VISIT)).toContain("## Seen alon\nYes.");
    expect(read(VISIT)).not.toMatch(/^## (Seen alone|Home and bedroom)$/m);
  });

  it("--fix and --fix-dry-run together are a usage error", async () => {
    const run = await runCli(["check", "--fix", "--fix-dry-run"], { cwd: repo });
    expect(run.code).toBe(2);
  });
});

describe("careplan check --fix-dry-run", () => {
  it("prints the same list, writes nothing, and reports as if fixed", async () => {
    const before = [bytes(PLAN), bytes(VISIT)];
    const run = await runCli(["check", "--fix-dry-run", ...AS_OF], { cwd: repo });
    expect([bytes(PLAN), bytes(VISIT)]).toEqual(before);
    expect(run.stdout).toContain(`${PLAN}:50: would add the section "## Family time plan"\n`);
    expect(run.stdout).toContain("Would make 6 changes in 2 files (--fix-dry-run: nothing was written).\n");
    expect(run.stdout).toContain(`${PLAN}\n  9:1   warning  the section "## Reason the child became looked after" is empty`);
  });
});

describe("confidentiality", () => {
  it("the list never shows a line of the documents", async () => {
    const documents = [read(PLAN), read(VISIT)].flatMap(ownLines).filter((line) => line.trim() !== "" && !/^(---|## |<!--|type:|child:|date:)/.test(line.replace(/^\uFEFF/, "")));
    expect(documents.length).toBeGreaterThan(20);
    const run = await runCli(["check", "--fix", "--format", "json", ...AS_OF], { cwd: repo });
    for (const line of documents) expect(run.stderr, line).not.toContain(line);
    expect(run.stderr).not.toMatch(/Jo Khan|Pat Lee|Written for|garden/);
  });
});

describe("writing", () => {
  it("refuses to replace a file that changed since it was read, writing nothing", () => {
    const path = join(repo, VISIT);
    const original = readFileSync(path);
    writeFileSync(path, "someone saved this meanwhile\n");
    expect(() => replaceFile(path, "fixed\n", original)).toThrow(FileChangedError);
    expect(readFileSync(path, "utf8")).toBe("someone saved this meanwhile\n");
    expect(readdirSync(join(repo, CHILD)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it.each([
    ["a lone CR line end", "---\rtype: visit\r---\r# Visit\r"],
    ["front matter that is a flow mapping, for a field", "---\n{type: visit, child: FX-0001, date: 2026-02-12, seen_alone: true}\n---\n## Purpose of the visit\n\n## Seen alone\n\n## Wishes and feelings\n\n## Home and bedroom\n\n## Carer's views\n\n## Next steps\n"],
  ])("plans nothing it cannot do safely: %s", (_, text) => {
    const name = { kind: "document", date: "2026-02-12", type: "visit", slug: undefined } as const;
    const document = parseDocumentText(VISIT, "FX-0001", name, text);
    expect(planFixes(document, text, loadDocumentTypes().get("visit")!)).toBeUndefined();
  });
});
