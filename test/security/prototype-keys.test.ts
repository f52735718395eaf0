// JavaScript's own property names (__proto__, constructor, toString, ...) as keys and values in
// front matter and careplan.yaml: each is a field like any other, a value like any other, never
// a way into an object's prototype nor a crash ("internal error"). The fuzz suite found
// `type: constructor` looked up in a plain object's prototype (test/fuzz/commands.test.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, temporaryFolder } from "../cli-harness.js";

const AS_OF = "2026-03-02";
const NAMES = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
const PROFILE = "type: child\nid: PK-1\nname: Sam\ndob: 2014-02-01\nlooked_after_since: 2026-01-05\nlegal_status: care-order\niro: { name: Pat }\nsocial_worker: { name: Jo, team: North }\nplacements:\n  - start: 2026-01-05\n    type: foster-care\n";

const folder = temporaryFolder();
afterAll(() => folder.remove());
let count = 0;

function repository(files: Record<string, string>, config = "policy: england\n"): string {
  const root = join(folder.path, `r${count++}`);
  for (const [path, text] of Object.entries({ "careplan.yaml": config, "children/PK-1/child.md": `---\n${PROFILE}---\n`, ...files })) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const COMMANDS = [
  ["check", "--as-of", AS_OF, "--format", "json"],
  ["timeline", "--as-of", AS_OF, "--all", "--format", "json"],
  ["stats", "--from", "2026-01-01", "--to", AS_OF, "--by", "worker"],
  ["baseline", "--as-of", AS_OF],
];

async function expectHandled(root: string, codes: number[]): Promise<void> {
  for (const args of COMMANDS) {
    const run = await runCli(args, { cwd: root });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(codes, `${args[0]}: ${run.stderr}`).toContain(run.code);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
}

describe("in a document's front matter", () => {
  it.each(NAMES.flatMap((name) => [
    [`type: ${name}`, `---\ntype: ${name}\nchild: PK-1\ndate: 2026-01-10\n---\n`],
    [`child: ${name}`, `---\ntype: visit\nchild: ${name}\ndate: 2026-01-10\nseen_alone: true\n---\n`],
    [`${name} as a key`, `---\ntype: visit\nchild: PK-1\ndate: 2026-01-10\nseen_alone: true\n${name}: { polluted: true }\n---\n`],
    [`an action's fields ${name}`, `---\ntype: care-plan\nchild: PK-1\ndate: 2026-01-10\npermanence_plan: ${name}\nactions:\n  - { action: ${name}, who: ${name}, when: 2026-01-20, ${name}: 1 }\n---\n`],
    [`an assessment's kind ${name}`, `---\ntype: assessment\nchild: PK-1\ndate: 2026-01-10\nkind: ${name}\n---\n`],
    [`a waiver of ${name}`, `---\ntype: review\nchild: PK-1\ndate: 2026-01-10\nwaivers:\n  - { rule: ${name}, reason: x }\n---\n`],
  ]))("%s", async (_what, document) => {
    await expectHandled(repository({ "children/PK-1/2026-01-10-visit.md": document }), [0, 1]);
  });

  it.each(NAMES)("a profile whose values are %s", async (name) => {
    const profile = `---\ntype: child\nid: PK-1\nname: ${name}\ndob: 2014-02-01\nlooked_after_since: 2026-01-05\nlegal_status: ${name}\niro: { name: ${name} }\nsocial_worker: { name: ${name}, team: ${name} }\nplacements:\n  - { start: 2026-01-05, type: ${name}, ${name}: true }\n---\n`;
    await expectHandled(repository({ "children/PK-1/child.md": profile }), [0, 1]);
  });
});

describe("in careplan.yaml", () => {
  it.each(NAMES.flatMap((name) => [
    [`policy: ${name}`, `policy: ${name}\n`],
    [`a rule ${name}`, `policy: england\nrules:\n  ${name}: off\n`],
    [`a rule ${name} as a local rule`, `policy: england\nrules:\n  ${name}: { kind: recurrence, title: T, type: visit, interval: 1, unit: weeks }\n`],
    [`a severity for ${name}`, `policy: england\nseverity:\n  ${name}: off\n`],
    [`a limit ${name}`, `policy: england\nlimits:\n  ${name}: 1\n`],
    [`${name} as a setting`, `policy: england\n${name}: { polluted: true }\n`],
  ]))("%s", async (_what, config) => {
    await expectHandled(repository({}, config), [0, 1, 2]);
  });
});
