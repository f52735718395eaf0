// ajv, loaded when a schema is first compiled: a run that validates nothing (a re-check from the
// cache, --version, help) does not pay for loading it.
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Class, Options } from "ajv/dist/2020.js";

const require = createRequire(import.meta.url);

/** A new ajv for JSON Schema 2020-12, with the `date` and `email` formats when asked for. */
export function newAjv(options: Options, formats: ("date" | "email")[] = []): Ajv2020Class {
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const ajv = new Ajv2020(options);
  if (formats.length > 0) (require("ajv-formats") as typeof import("ajv-formats")).default(ajv, formats);
  return ajv;
}
