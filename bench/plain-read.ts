// The floor every run is compared with: read every file of every child's folder, and nothing else.
// Run: node dist/bench/plain-read.js <repository>
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const children = join(process.argv[2]!, "children");
let bytes = 0;
for (const id of readdirSync(children)) {
  for (const name of readdirSync(join(children, id))) bytes += readFileSync(join(children, id, name)).length;
}
process.stdout.write(`${bytes}\n`);
