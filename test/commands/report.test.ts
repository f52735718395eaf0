// `careplan report` end to end, without a browser: what the page holds (the timeline's items, the
// stats figures), what it never holds (names, document text, anything loaded from outside), that
// text from case files is escaped, and the exit codes. The browser tests (test/browser/) render it.
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
const AS_OF = "2026-03-02";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

function folder(): string {
  const temp = temporaryFolder("careplan-report-");
  cleanups.push(temp.remove);
  return temp.path;
}

async function report(args: string[], cwd = PACKAGE_ROOT): Promise<string> {
  const out = join(folder(), "report.html");
  const run = await runCli(["report", ...args, "-o", out], { cwd });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return readFileSync(out, "utf8");
}

/** The text of every element of a class, tags dropped and entities read back. */
function texts(page: string, pattern: RegExp): string[] {
  return [...page.matchAll(pattern)].map((m) => unescape(m[1]!.replace(/<[^>]*>/g, "")).trim());
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

describe("careplan report over the example repository", () => {
  it("lists exactly the timeline's overdue and due-soon items, each under its child's social worker", async () => {
    const page = await report([EXAMPLE, "--as-of", AS_OF]);
    const timeline = JSON.parse((await runCli(["timeline", EXAMPLE, "--as-of", AS_OF, "--format", "json"], { cwd: PACKAGE_ROOT })).stdout) as { items: { child: string; title: string; due: string }[] };
    const due = page.slice(page.indexOf('<section id="due"'), page.indexOf('<section id="children"'));
    const rows = [...due.matchAll(/<tr class="r-[a-z-]+"><td><a href="#child-([^"]+)">[^<]*<\/a><\/td><th scope="row">([^<]*)<\/th><td><time datetime="([^"]+)">/g)].map((m) => [m[1], unescape(m[2]!), m[3]]);
    expect(rows.map((r) => r.join(" ")).sort()).toEqual(timeline.items.map((i) => `${i.child} ${i.title} ${i.due}`).sort());
    // Teams and workers as the profiles give them; AB-1042 is Jo Khan's in Children in Care East.
    expect(texts(due, /<h3 id="team-\d+">(.*?)<\/h3>/g)).toEqual(["Children in Care East", "Children in Care West"]);
    const joKhan = due.slice(due.indexOf("<caption>Jo Khan:"));
    expect(joKhan.slice(0, joKhan.indexOf("</table>"))).toContain('href="#child-AB-1042"');
  });

  it("gives the stats figures of the 12 months to the as-of date, by rule and by month", async () => {
    const page = await report([EXAMPLE, "--as-of", AS_OF]);
    const stats = JSON.parse((await runCli(["stats", EXAMPLE, "--from", "2025-03-03", "--to", AS_OF, "--format", "json"], { cwd: PACKAGE_ROOT })).stdout) as { groups: { key: string; due: number; on_time: number; late: number; overdue: number; open: number }[]; total: { due: number; on_time: number } };
    expect(page).toContain("the 12 months to the as-of date (the default;");
    const byRule = page.slice(page.indexOf("<caption>By rule"), page.indexOf("</tbody>", page.indexOf("<caption>By rule")));
    const shown = [...byRule.matchAll(/<code>([^<]+)<\/code><\/th><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => m.slice(1).join(" "));
    expect(shown).toEqual(stats.groups.map((g) => [g.key, g.due, g.on_time, g.late, g.overdue, g.open].join(" ")));
    expect(stats.groups.length).toBeGreaterThan(10);
    // Thirteen months, the first and last in part; March 2025 has nothing due after the 3rd.
    expect(texts(page, /<tr><th scope="row">([A-Z][a-z]{2} \d{4})<\/th>/g)).toEqual(["Mar 2025", "Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025", "Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026"]);
    expect(page).toContain("Mar 2025 and Mar 2026 are only partly in the period.");
  });

  it("counts another period as of its last day, and says it was asked for", async () => {
    const page = await report([EXAMPLE, "--as-of", AS_OF, "--from", "2025-04-01", "--to", "2025-06-30"]);
    const stats = JSON.parse((await runCli(["stats", EXAMPLE, "--from", "2025-04-01", "--to", "2025-06-30", "--format", "json"], { cwd: PACKAGE_ROOT })).stdout) as { total: { due: number; on_time: number; late: number; overdue: number } };
    expect(page).toContain("the period asked for with <code>--from</code> and <code>--to</code>");
    const total = /<tfoot><tr><th scope="row">Total<\/th><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td>/.exec(page)!;
    expect(total.slice(1).map(Number)).toEqual([stats.total.due, stats.total.on_time, stats.total.late, stats.total.overdue]);
    expect(texts(page, /<tr><th scope="row">([A-Z][a-z]{2} \d{4})<\/th>/g)).toEqual(["Apr 2025", "May 2025", "Jun 2025"]);
  });

  it("draws each child's timeline as an image with a name, a description and a table beside it", async () => {
    const page = await report([EXAMPLE, "--as-of", AS_OF]);
    const children = readdirSync(join(EXAMPLE, "children")).sort();
    for (const id of children) {
      expect(page).toContain(`<svg class="timeline" viewBox="0 0 960 `);
      expect(page).toContain(`role="img" aria-labelledby="timeline-${id}-title" aria-describedby="timeline-${id}-desc"`);
      expect(page).toContain(`<title id="timeline-${id}-title">Deadlines of ${id} from `);
    }
    // GH-5120's PEP, overdue since 1 Feb: a diamond, the word, and the line up to the as-of date.
    const gh = page.slice(page.indexOf('<article class="child" id="child-GH-5120"'));
    expect(gh).toMatch(/<title>Personal education plan reviewed: due Sun 1 Feb 2026\. Overdue by 29 days\.<\/title><line class="span-overdue"[^>]*\/><path class="m-overdue"/);
    expect(gh).toContain('<span class="status s-overdue"><svg class="icon"');
  });

  it("shows nothing the timeline does not: no child's name, no document's text", async () => {
    const page = await report([EXAMPLE, "--as-of", AS_OF]);
    for (const id of readdirSync(join(EXAMPLE, "children"))) {
      const profile = readFileSync(join(EXAMPLE, "children", id, "child.md"), "utf8");
      const name = /^name: (.+)$/m.exec(profile)![1]!;
      expect(page).not.toContain(name);
      expect(page).not.toContain(name.split(" ")[0]!);
      // The first line of every section's text.
      for (const body of profile.matchAll(/^## .+\n(?:<!--.*-->\n)?(.+)$/gm)) expect(page).not.toContain(unescape(body[1]!).slice(0, 30));
    }
  });

  it("loads nothing from outside: a Content-Security-Policy, no script, no URL", async () => {
    const page = await report([EXAMPLE, "--as-of", AS_OF]);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // The only URL is SVG's namespace, which is a name, never fetched.
    expect(new Set([...page.matchAll(/https?:\/\/[^\s"')<]+/g)].map((m) => m[0]))).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    expect([...page.matchAll(/href="([^"]*)"/g)].every((m) => m[1]!.startsWith("#"))).toBe(true);
  });

  it("is the same page, byte for byte, for the same as-of date", async () => {
    const first = await report([EXAMPLE, "--as-of", AS_OF]);
    expect(await report([EXAMPLE, "--as-of", AS_OF])).toBe(first);
  });
});

describe("text from case files is only ever text", () => {
  const ACTION = `Apply <script>alert("x")</script> & "ask" for transport`;
  const WORKER = `Jo "<b>" & Khan <img src=x onerror=alert(1)>`;
  const TEAM = `East & <i>West</i>`;

  /** The example's AB-1042 with an action text, a worker's name and a team that hold markup. */
  function hostileRepository(): string {
    const root = folder();
    cpSync(EXAMPLE, root, { recursive: true });
    const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
    const profile = join(root, "children/AB-1042/child.md");
    writeFileSync(profile, readFileSync(profile, "utf8").replace("name: Jo Khan", `name: ${quote(WORKER)}`).replace("team: Children in Care East", `team: ${quote(TEAM)}`));
    const plan = join(root, "children/AB-1042/2026-01-12-care-plan.md");
    writeFileSync(plan, readFileSync(plan, "utf8").replace("action: Apply for home to school transport", `action: ${quote(ACTION)}`));
    return root;
  }

  it("escapes <script>, quotes and ampersands in an action's text, a worker's name and a team", async () => {
    const root = hostileRepository();
    const page = await report([root, "--as-of", AS_OF]);
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>");
    expect(page).toContain("Apply &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;ask&quot; for transport");
    expect(page).toContain("Jo &quot;&lt;b&gt;&quot; &amp; Khan &lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain("East &amp; &lt;i&gt;West&lt;/i&gt;");
    // Read back, the texts are whole: in the due list, the child's table and the SVG's tooltips.
    expect(texts(page, /<th scope="row">([^<]*Apply[^<]*)<\/th>/g)).toEqual([ACTION, ACTION]);
    expect(texts(page, /<title>([^<]*Apply[^<]*?): due/g)).toEqual([ACTION]);
  });
});

describe("usage errors exit 2 and say what to do", () => {
  it.each([
    [["--from", "2026-03-01", "--to", "2026-02-01"], "--from 2026-03-01 is after --to 2026-02-01"],
    [["--to", "2026-03-03"], "--to 2026-03-03 is after the as-of date 2026-03-02"],
    [["--from", "2026-02-30"], "--from must be a real date written YYYY-MM-DD"],
    [["--as-of", "2 March"], "--as-of must be a real date"],
  ])("%j", async (args, message) => {
    const asOf = args.includes("--as-of") ? [] : ["--as-of", AS_OF];
    const run = await runCli(["report", EXAMPLE, ...asOf, ...args, "-o", join(folder(), "r.html")], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("says why a file named with -o cannot be written, without a stack trace", async () => {
    const run = await runCli(["report", EXAMPLE, "--as-of", AS_OF, "-o", join(folder(), "no-such-folder", "r.html")], { cwd: PACKAGE_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^careplan: -o .*r\.html: cannot write the file: its folder does not exist\. Name a file in a folder that exists and you may write to\.\n$/);
  });

  it("asks for -o rather than print a page on a terminal; a pipe gets the page", async () => {
    const terminal = await runCli(["report", EXAMPLE, "--as-of", AS_OF], { cwd: PACKAGE_ROOT, tty: true });
    expect(terminal.code).toBe(2);
    expect(terminal.stderr).toContain("name the file with -o, for example careplan report -o report.html");
    const pipe = await runCli(["report", EXAMPLE, "--as-of", AS_OF], { cwd: PACKAGE_ROOT });
    expect(pipe.code).toBe(0);
    expect(pipe.stdout.startsWith("<!DOCTYPE html>")).toBe(true);
  });
});
