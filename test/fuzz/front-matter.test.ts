// timeline, stats and report read each document's front matter alone (a check reads it whole):
// whatever a repository holds, valid or broken, the timeline made from the front matter alone is
// the one made from whole documents, item for item and problem for problem. Every fixture
// repository (own forms, local rules and their `where`, every preset), then generated
// repositories from the fuzz suite (test/fuzz/arbitraries.ts); CAREPLAN_FUZZ_RUNS sets how many.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { selectPaths } from "../../src/casefile/repository.js";
import { caseUnits, computeTimeline, timelineContext, type Timeline } from "../../src/core/caseload.js";
import { recordContext } from "../../src/core/check.js";
import { repositoryForms } from "../../src/core/forms.js";
import { documentTypes } from "../../src/doctypes.js";
import { legalStatusesOf, resolvePolicy } from "../../src/timescales/policy.js";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { temporaryFolder } from "../cli-harness.js";
import { repository, writeRepository } from "./arbitraries.js";

const RUNS = Math.max(50, Math.round(Number(process.env.CAREPLAN_FUZZ_RUNS ?? 700) / 3));
const AS_OF = "2026-03-02";

const workspace = temporaryFolder("careplan-front-matter-");
afterAll(() => workspace.remove());

/** The repository's timeline, its documents read whole (`checks`) or their front matter alone. */
function timelineOf(root: string, checks: boolean): Timeline {
  const selection = selectPaths([root], root, undefined);
  const { config } = selection.repository;
  const types = documentTypes(repositoryForms(selection.repository), AS_OF);
  const policy = resolvePolicy(config, [...types.keys()], legalStatusesOf(types));
  const units = caseUnits(selection, recordContext(types, policy, config.closures, AS_OF, checks));
  return computeTimeline(units, timelineContext(types, policy, config.closures, AS_OF));
}

/** The fixture repositories: each folder under fixtures/ that holds a `children` folder. */
function fixtureRepositories(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (existsSync(join(dir, "children"))) found.push(dir);
    else if (depth < 3) for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name), depth + 1);
  };
  walk(join(PACKAGE_ROOT, "fixtures"), 0);
  return found.sort();
}

/** The timeline, or the configuration error that stops the commands before they read a child (careplan.yaml, forms or a policy careplan refuses). */
function outcome(root: string, checks: boolean): Timeline | { error: string } {
  try {
    return timelineOf(root, checks);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("the front matter alone makes the timeline whole documents make", () => {
  it.each(fixtureRepositories().map((root) => [root.slice(PACKAGE_ROOT.length + 1), root]))("%s", (_, root) => {
    expect(outcome(root, false)).toEqual(outcome(root, true));
  });


  it(`${RUNS} generated repositories, valid and broken`, () => {
    fc.assert(
      fc.property(repository, (generated) => {
        const root = mkdtempSync(join(workspace.path, "case-"));
        try {
          writeRepository(root, generated);
          expect(outcome(root, false)).toEqual(outcome(root, true));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
