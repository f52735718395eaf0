// Issue 14, the fuzz and property suite: generated repositories, valid and broken
// (test/fuzz/arbitraries.ts), through every command and format, in process. Whatever the input:
// never an uncaught error or a stack trace, exit 0, 1 or 2 only (1 for check alone), the same
// bytes when run again, and no control character from the input in the output.
// CAREPLAN_FUZZ_RUNS sets the number of repositories (default 700: some 4,500 files and 1,700
// command lines, under a minute on 2 cores);
// CAREPLAN_FUZZ_SEED replays a failure fast-check reported. npm test runs this suite once,
// not under every time zone.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder, type Run } from "../cli-harness.js";
import { outputProblems } from "../security/hostile-text.js";
import { invocation, repository, writeRepository, type GeneratedRepository, type Invocation } from "./arbitraries.js";

const RUNS = Number(process.env.CAREPLAN_FUZZ_RUNS ?? 700);
const SEED = process.env.CAREPLAN_FUZZ_SEED === undefined ? {} : { seed: Number(process.env.CAREPLAN_FUZZ_SEED) };
const TODAY = "2026-03-02";

const workspace = temporaryFolder("careplan-fuzz-");
afterAll(() => workspace.remove());

interface Case {
  generated: GeneratedRepository;
  invocations: Invocation[];
}

/** A repository and a few command lines for it. */
const cases: fc.Arbitrary<Case> = repository.chain((generated) => fc.array(invocation(generated.children), { minLength: 1, maxLength: 4 }).map((invocations) => ({ generated, invocations })));

/** The run's command line with -o pointing outside the repository. */
function argsFor(call: Invocation, outside: string): string[] {
  return call.args.map((arg) => (arg === "REPORT" ? join(outside, call.output!) : arg));
}

function describeRun(call: Invocation, run: Run): string {
  return `careplan ${call.args.join(" ")} exited ${run.code}\n--- stderr\n${run.stderr.slice(0, 2000)}\n--- stdout\n${run.stdout.slice(0, 2000)}`;
}

/** What holds for any run over any input. */
function expectSound(call: Invocation, run: Run, written: string | undefined): void {
  const context = describeRun(call, run);
  expect([0, 1, 2], context).toContain(run.code);
  if (call.args[0] !== "check") expect(run.code, context).not.toBe(1);
  expect(run.stderr, context).not.toMatch(/internal error|^\s+at \S+ \(|^\s+at <careplan>/m);
  // A document printed by `new --dry-run` shows the case file's own lines; everything else keeps
  // every text from the input to its place in one line.
  const wrapped = call.args[0] === "new";
  expect(outputProblems(run.stdout, { crlf: call.crlf, wrapped }), context).toEqual([]);
  expect(outputProblems(run.stderr), context).toEqual([]);
  if (written !== undefined) expect(outputProblems(written), context).toEqual([]);
}

async function runCase({ generated, invocations }: Case): Promise<void> {
  const root = mkdtempSync(join(workspace.path, "case-"));
  const outside = join(root, "outside");
  const repo = join(root, "repo");
  try {
    mkdirSync(outside);
    writeRepository(repo, generated);
    for (const call of invocations) {
      const args = argsFor(call, outside);
      const output = call.output === undefined ? undefined : join(outside, call.output);
      const first = await runCli(args, { cwd: repo, today: TODAY });
      const written = output !== undefined && existsSync(output) ? readFileSync(output, "utf8") : undefined;
      expectSound(call, first, written);
      // The same input gives the same bytes: nothing depends on the order of a folder listing,
      // a clock, a cache warmed by the first run or the run before.
      const again = await runCli(args, { cwd: repo, today: TODAY });
      expect(again, describeRun(call, again)).toEqual(first);
      if (output !== undefined) expect(existsSync(output) ? readFileSync(output, "utf8") : undefined).toBe(written);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("generated repositories through every command and format", () => {
  it(`${RUNS} repositories, up to 4 commands each`, async () => {
    await fc.assert(
      fc.asyncProperty(cases, runCase),
      { numRuns: RUNS, ...SEED },
    );
  }, 600_000);
});

describe("the real binary", () => {
  // A handful through bin/careplan (after npm run build): the same bytes as in process, the
  // process's own exit code, and nothing printed that main did not print.
  it("answers as main does in process", async () => {
    const samples = fc.sample(cases, { numRuns: 4, ...(SEED.seed === undefined ? {} : { seed: SEED.seed }) });
    for (const sample of samples) {
      const root = mkdtempSync(join(workspace.path, "binary-"));
      try {
        const repo = join(root, "repo");
        mkdirSync(join(root, "outside"));
        writeRepository(repo, sample.generated);
        for (const call of sample.invocations.filter((c) => c.args[0] !== "new")) {
          const args = argsFor(call, join(root, "outside"));
          const inProcess = await runCli(args, { cwd: repo, today: TODAY });
          const binary = runBinary(args, repo);
          expect(binary, describeRun(call, binary)).toEqual(inProcess);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  }, 120_000);
});

function runBinary(args: string[], cwd: string): Run {
  const env = { CI: "true", PATH: process.env.PATH, TZ: process.env.TZ };
  const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin/careplan"), ...args], { cwd, env, encoding: "utf8" });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
