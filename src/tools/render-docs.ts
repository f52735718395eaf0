// `npm run docs`: rewrites the generated part of docs/rules.md (the presets as tables) from the preset data.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../assets.js";
import { replaceGenerated } from "../timescales/preset-tables.js";

const file = join(PACKAGE_ROOT, "docs", "rules.md");
writeFileSync(file, replaceGenerated(readFileSync(file, "utf8")));
process.stdout.write("wrote the preset tables in docs/rules.md\n");
