// Runs careplan as bin/careplan does, then writes its exit code and peak memory (resident set,
// KiB, worker threads included) to the file named first: bench/check.ts times the process.
// Run: node dist/bench/measure.js <result.json> <careplan arguments...>
import { readFileSync, writeFileSync } from "node:fs";
import { main } from "../src/cli.js";

/**
 * The process's own peak: on Linux, VmHWM. getrusage's maxRSS there keeps the peak of the process
 * that started it as it was when it forked (a benchmark holding 270 MiB made every run it timed
 * seem to take 270 MiB); elsewhere, maxRSS is all there is.
 */
function peakKiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const [result, ...argv] = process.argv.slice(2);
const code = await main({ argv, env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
writeFileSync(result!, JSON.stringify({ code, maxRssKiB: peakKiB() }));
