// `npm run docs`: rewrites the generated parts of the docs from their sources: the presets'
// tables in docs/rules.md, the document types in docs/format.md. A test fails when they are stale.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT, TEMPLATES_DIR } from "../assets.js";
import { generatedDocs } from "../templates/generated-docs.js";

for (const { file, render } of generatedDocs(TEMPLATES_DIR)) {
  const path = join(PACKAGE_ROOT, file);
  writeFileSync(path, render(readFileSync(path, "utf8")));
  process.stdout.write(`wrote the generated part of ${file}\n`);
}
