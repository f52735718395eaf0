// Differential test: `careplan timeline --all --format json`, run in process over generated case
// files, against an independent reading of DOMAIN.md (oracle.ts), item by item.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli, temporaryFolder } from "../cli-harness.js";
import { generatedCase, writeCase, type GeneratedCase } from "./oracle-children.js";
import { oracleTimeline, type OracleItem } from "./oracle.js";

const RUNS = Number(process.env.CAREPLAN_ORACLE_RUNS ?? 300);

const key = (i: OracleItem) => `${i.due} ${i.rule} ${i.file} ${i.status} ${i.met ?? "-"}`;

async function differences(c: GeneratedCase): Promise<{ engineOnly: string[]; oracleOnly: string[]; stderr: string }> {
  const repo = temporaryFolder("careplan-oracle-");
  try {
    const documents = writeCase(repo.path, c);
    const run = await runCli(["timeline", repo.path, "--all", "--as-of", c.asOf, "--format", "json"], { cwd: repo.path });
    if (run.code !== 0) throw new Error(`timeline exited ${run.code}: ${run.stderr}`);
    const engine = (JSON.parse(run.stdout) as { items: OracleItem[] }).items.map(key).sort();
    const oracle = oracleTimeline(c.child, `children/${c.child.id}/child.md`, documents, c).map(key).sort();
    const remaining = [...oracle];
    const engineOnly = engine.filter((e) => {
      const at = remaining.indexOf(e);
      if (at < 0) return true;
      remaining.splice(at, 1);
      return false;
    });
    return { engineOnly, oracleOnly: remaining, stderr: run.stderr };
  } finally {
    repo.remove();
  }
}

describe("timeline against an independent reading of DOMAIN.md", () => {
  it(`agrees on ${RUNS} generated children`, async () => {
    await fc.assert(
      fc.asyncProperty(generatedCase, async (c) => {
        const diff = await differences(c);
        expect(diff).toEqual({ engineOnly: [], oracleOnly: [], stderr: "" });
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
