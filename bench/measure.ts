// Runs careplan as bin/careplan does, then writes its exit code and peak memory (resident set,
// KiB, worker threads included) to the file named first: bench/check.ts times the process.
// Run: node dist/bench/measure.js <result.json> <careplan arguments...>
import { writeFileSync } from "node:fs";
import { main } from "../src/cli.js";

const [result, ...argv] = process.argv.slice(2);
const code = await main({ argv, env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
writeFileSync(result!, JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }));
