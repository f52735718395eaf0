// `npm run schemas`: writes schemas/<type>.schema.json from templates/. Never edit those files by hand.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMAS_DIR, TEMPLATES_DIR } from "../assets.js";
import { renderSchemaFiles } from "../templates/schema-files.js";

const files = renderSchemaFiles(TEMPLATES_DIR);
mkdirSync(SCHEMAS_DIR, { recursive: true });
for (const name of readdirSync(SCHEMAS_DIR)) {
  if (name.endsWith(".schema.json") && !files.has(name)) rmSync(join(SCHEMAS_DIR, name));
}
for (const [name, content] of files) writeFileSync(join(SCHEMAS_DIR, name), content);
process.stdout.write(`wrote ${files.size} schemas to schemas/\n`);
