// Where the package's own files are (templates/, schemas/), whether running from dist/ or from src/ under vitest.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "careplan") return dir;
    if (dirname(dir) === dir) throw new Error("careplan's package.json was not found above " + from);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
const MANIFEST = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string; homepage?: string };
export const VERSION = MANIFEST.version;
/** The project's public home, for absolute documentation links (SARIF needs them); none until it is published. */
export const PACKAGE_HOMEPAGE: string | undefined = MANIFEST.homepage?.split("#")[0]!.replace(/\/$/, "");
export const TEMPLATES_DIR = join(PACKAGE_ROOT, "templates");
export const SCHEMAS_DIR = join(PACKAGE_ROOT, "schemas");
