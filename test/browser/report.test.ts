// The report in a real browser: Debian's chromium, driven by playwright-core, opening the file by
// its file:// URL as a manager would. What it renders, that nothing leaves the page, that it
// prints to PDF; and (CAREPLAN_SCREENSHOT=1, `npm run screenshot`) the README's docs/report.png.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/assets.js";
import { runCli, temporaryFolder } from "../cli-harness.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const EXAMPLE = join(PACKAGE_ROOT, "fixtures/example");
const AS_OF = "2026-03-02";
const available = existsSync(CHROMIUM);
if (!available) console.warn(`Browser tests of careplan report skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install chromium).`);

describe.skipIf(!available)("careplan report in chromium", () => {
  let browser: Browser;
  const temp = temporaryFolder("careplan-browser-");
  /** Every URL the page asked for, and every error it logged (a Content-Security-Policy violation is one). */
  const requested: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    temp.remove();
  });

  async function open(args: string[], name: string): Promise<{ page: Page; url: string }> {
    const file = join(temp.path, name);
    const run = await runCli(["report", ...args, "-o", file], { cwd: PACKAGE_ROOT });
    expect(run.code, run.stderr).toBe(0);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("request", (request) => requested.push(request.url()));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(error.message));
    // Anything but the file itself is refused, should the page ever ask.
    await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: "load" });
    return { page, url };
  }

  it("renders the headings, landmarks, tables and timelines, and asks for nothing but itself", async () => {
    requested.length = 0;
    const { page, url } = await open([EXAMPLE, "--as-of", AS_OF], "example.html");
    expect(await page.title()).toBe("Case files as of Mon 2 Mar 2026: careplan report");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Case files as of Mon 2 Mar 2026");
    expect(await page.getByRole("heading", { level: 2 }).allTextContents()).toEqual([
      "At a glance",
      "Overdue and due in the next 4 weeks, by team and social worker",
      "Each child's deadlines",
      "On time in the period",
    ]);
    for (const role of ["banner", "main", "navigation", "contentinfo"] as const) expect(await page.getByRole(role).count()).toBe(1);

    // Tom Reed's children: JK-7788's review record, overdue, first; then what falls due by 30 March.
    const tom = page.getByRole("table", { name: /^Tom Reed: 1 deadline overdue, 8 due in the next 4 weeks/ });
    const rows = await tom.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? "").trim())));
    expect(rows[0]).toEqual(["JK-7788", "Review record circulated", "Tue 24 Feb 2026", "Overdue by 6 days", "review.record"]);
    expect(rows.map((row) => row[0])).toEqual(["JK-7788", "CD-2210", "JK-7788", "CD-2210", "CD-2210", "CD-2210", "CD-2210", "JK-7788", "JK-7788"]);
    expect(await tom.locator("th[scope=col]").allTextContents()).toEqual(["Child", "Deadline", "Due", "Status", "Rule"]);

    // Each child's timeline is an image named by its title, described, and drawn on screen.
    const timeline = page.getByRole("img", { name: "Deadlines of GH-5120 from 2 Sep 2025 to 2 Jun 2026", exact: true });
    expect(await timeline.count()).toBe(1);
    // Its description, counted from the table: 8 met on time (3 Sep ... 27 Feb), the PEP overdue, 4 to come (3 Mar ... 20 May).
    expect(await timeline.evaluate((svg) => document.getElementById(svg.getAttribute("aria-describedby")!)?.textContent)).toBe("8 deadlines met on time, 0 met late, 1 overdue and 4 to come. The table below lists them.");
    const box = (await timeline.boundingBox())!;
    expect(box.width).toBeGreaterThan(900);
    expect(await page.getByRole("img", { name: /^Share on time by month, 3 Mar 2025 to 2 Mar 2026$/ }).count()).toBe(1);

    // No request but the page's own file, and nothing refused or failed on the way.
    expect(requested).toEqual([url]);
    expect(errors).toEqual([]);
  });

  it("prints to PDF", async () => {
    const { page } = await open([EXAMPLE, "--as-of", AS_OF], "print.html");
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("navigation").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
  });

  it("shows text from case files as text: no script runs, no element is made from it", async () => {
    const root = join(temp.path, "hostile");
    const { cpSync, writeFileSync } = await import("node:fs");
    cpSync(EXAMPLE, root, { recursive: true });
    const action = `Apply <script>window.injected = 1</script> & "ask" <img src=x onerror="window.injected = 2">`;
    const plan = join(root, "children/AB-1042/2026-01-12-care-plan.md");
    writeFileSync(plan, readFileSync(plan, "utf8").replace("action: Apply for home to school transport", `action: '${action}'`));
    const profile = join(root, "children/AB-1042/child.md");
    writeFileSync(profile, readFileSync(profile, "utf8").replace("name: Jo Khan", `name: 'Jo "<b>K</b>" & Co'`));
    requested.length = 0;
    const { page, url } = await open([root, "--as-of", AS_OF], "hostile.html");
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => dialogs.push(dialog.message()));
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
    expect(await page.locator("main script, main img, main b").count()).toBe(0);
    const table = page.getByRole("table", { name: /^Jo "<b>K<\/b>" & Co: 0 deadlines overdue/ });
    expect(await table.getByRole("rowheader", { name: action }).count()).toBe(1);
    expect(dialogs).toEqual([]);
    expect(requested).toEqual([url]);
    expect(errors).toEqual([]);
  });

  it.runIf(process.env.CAREPLAN_SCREENSHOT)("saves docs/report.png for the README", async () => {
    const { page } = await open([EXAMPLE, "--as-of", AS_OF], "screenshot.html");
    await page.setViewportSize({ width: 1100, height: 900 });
    // The top of the page and the first child's timeline: what a manager sees first.
    const bottom = await page.locator("#child-AB-1042 figure").evaluate((figure) => figure.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({ path: join(PACKAGE_ROOT, "docs/report.png"), clip: { x: 0, y: 0, width: 1100, height: Math.ceil(bottom) + 16 }, fullPage: true });
    expect(readFileSync(join(PACKAGE_ROOT, "docs/report.png")).subarray(1, 4).toString()).toBe("PNG");
  });
});
