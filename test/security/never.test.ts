// What careplan never does (docs/security.md): open a network connection, or write anywhere but
// the repository and the files it is told to write (-o, $GITHUB_STEP_SUMMARY). Every command runs
// in process over a repository with a folder beside it; sockets are watched, and the folders
// listed before and after.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { Socket } from "node:net";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { CHECK_FORMATS } from "../../src/commands/check.js";
import { TIMELINE_FORMATS } from "../../src/commands/timeline.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const AS_OF = "2026-03-02";
const folder = temporaryFolder();
afterAll(() => folder.remove());

function filesUnder(root: string, path = root): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(root, join(path, entry.name)) : [relative(root, join(path, entry.name))]));
}

describe("every command, with sockets watched and the folders around the repository listed", () => {
  it("opens no connection and writes only in the repository and the files named", async () => {
    const repo = join(folder.path, "repo");
    const named = join(folder.path, "named");
    cpSync(join(PACKAGE_ROOT, "fixtures/security/sentinels"), repo, { recursive: true });
    mkdirSync(named);
    const outside = () => filesUnder(folder.path).filter((file) => !file.startsWith(`repo/`));
    const before = outside();
    const connect = vi.spyOn(Socket.prototype, "connect");
    const fetch = vi.spyOn(globalThis, "fetch");
    // The watch sees a connection (so that it can fail): one opened here, then forgotten.
    const probe = new Socket().on("error", () => {});
    probe.connect(9, "127.0.0.1");
    probe.destroy();
    expect(connect).toHaveBeenCalledTimes(1);
    connect.mockClear();
    const o = (name: string) => ["-o", join(named, name)];
    const commands = [
      ...CHECK_FORMATS.map((format) => ["check", "--as-of", AS_OF, "--format", format]),
      ["check", "--as-of", AS_OF, "--format", "github", ...o("check.txt")],
      ["check", "--as-of", AS_OF, "--fix"],
      ...TIMELINE_FORMATS.map((format) => ["timeline", "--as-of", AS_OF, "--format", format, ...o(`timeline.${format}`)]),
      ["stats", "--from", "2025-09-01", "--to", AS_OF, "--format", "csv", ...o("stats.csv")],
      ["report", "--as-of", AS_OF, ...o("report.html")],
      ["baseline", "--as-of", AS_OF],
      ["templates", "list"],
      ["templates", "show", "contact-note"],
      ["templates", "check"],
      ["new", "visit", "--child", "SV-1", "--date", "2026-03-01", "--set", "seen_alone=true"],
      ["new", "child", "--id", "SV-3", "--set", "name=N", "--set", "dob=2015-01-01", "--set", "looked_after_since=2026-01-01", "--set", "legal_status=care-order", "--set", "iro.name=I", "--set", "social_worker.name=W", "--set", "placements.0.start=2026-01-01", "--set", "placements.0.type=foster-care"],
      ["init", "another"],
      ["completion", "bash"],
      ["help"],
    ];
    try {
      for (const args of commands) {
        const run = await runCli(args, { cwd: repo, today: AS_OF, env: { GITHUB_STEP_SUMMARY: join(named, "summary.md") } });
        expect(run.stderr, args.join(" ")).not.toMatch(/internal error/);
        expect([0, 1], `${args.join(" ")}: ${run.stderr}`).toContain(run.code);
      }
      expect(connect).not.toHaveBeenCalled();
      expect(fetch).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
      fetch.mockRestore();
    }
    const made = outside().filter((file) => !before.includes(file));
    expect(made.sort()).toEqual(["named/check.txt", "named/report.html", "named/stats.csv", "named/summary.md", ...TIMELINE_FORMATS.map((format) => `named/timeline.${format}`)].sort());
    // and inside the repository, what the commands were for
    expect(filesUnder(repo)).toEqual(expect.arrayContaining(["careplan-baseline.json", "children/SV-1/2026-03-01-visit.md", "children/SV-3/child.md", "another/careplan.yaml"]));
  });
});
