// Progress for long runs goes to a terminal's stderr only, and never into the report.
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/commands/context.js";
import { withProgress } from "../../src/commands/progress.js";

function run(count: number, stderr: { isTTY: boolean }, env: Record<string, string> = {}) {
  let written = "";
  const context: CommandContext = {
    cwd: "/",
    env,
    stdin: undefined,
    stdout: { write: () => true },
    stderr: { isTTY: stderr.isTTY, write: (chunk: string) => ((written += chunk), true) },
    today: "2026-03-02",
  };
  const items = [...withProgress(Array.from({ length: count }, (_, i) => i), count, context)];
  return { items, written };
}

describe("progress", () => {
  it("passes every child through and updates one line on a terminal for a long run", () => {
    const { items, written } = run(250, { isTTY: true });
    expect(items).toHaveLength(250);
    expect(written).toContain("\rcareplan: checked 250 of 250 children");
    expect(written.endsWith("\r\u001b[K")).toBe(true);
  });

  it.each([
    ["not a terminal", 250, false, {}],
    ["a short run", 20, true, {}],
    ["in CI", 250, true, { CI: "true" }],
  ])("says nothing when %s", (_, count, isTTY, env) => {
    expect(run(count, { isTTY }, env).written).toBe("");
  });
});
