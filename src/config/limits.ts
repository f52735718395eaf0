// How much work one file may cause: `limits:` in careplan.yaml, every key with a default. A
// document beyond a limit is a finding for that file and the run goes on; careplan.yaml itself is
// read under fixed limits (it cannot set its own), and a rule beyond `interval` is refused.
import { ConfigError } from "../errors.js";

export interface Limits {
  /** Bytes: a larger document is a `read` finding. */
  documentSize: number;
  /** Levels of lists and mappings in a front matter (the top-level mapping is level 1): beyond, a `yaml` finding. */
  nesting: number;
  /** YAML aliases (`*name`) in a front matter: beyond, a `yaml` finding. */
  aliases: number;
  /** Items in one list of a front matter: beyond, a `yaml` finding. */
  listItems: number;
  /** The largest number a rule in careplan.yaml may count (an interval, in any unit). */
  interval: number;
}

interface LimitSpec {
  key: string;
  field: keyof Limits;
  default: number;
  /** The most it may be set to: beyond this, the work itself is unsafe (stack depth, time). */
  max: number;
  what: string;
}

const MIB = 1024 * 1024;
/** Deeper than this, YAML's recursive parts come near the end of the stack. */
export const NESTING_CEILING = 100;

export const LIMIT_SPECS: readonly LimitSpec[] = [
  { key: "document_size", field: "documentSize", default: MIB, max: 16 * MIB, what: "bytes a document may have" },
  { key: "nesting", field: "nesting", default: 20, max: NESTING_CEILING, what: "levels of lists and mappings in a front matter" },
  { key: "aliases", field: "aliases", default: 100, max: 10_000, what: "YAML aliases (*name) in a front matter" },
  { key: "list_items", field: "listItems", default: 1000, max: 1_000_000, what: "items in one list of a front matter" },
  { key: "interval", field: "interval", default: 1000, max: 10_000, what: "the largest interval (of any unit) a rule in careplan.yaml may set" },
];

export const DEFAULT_LIMITS: Limits = Object.freeze(Object.fromEntries(LIMIT_SPECS.map((spec) => [spec.field, spec.default])) as unknown as Limits);

/** careplan.yaml is read before its limits are known: these hold for it, whatever it says. */
export const CONFIG_FILE_LIMITS = Object.freeze({ size: MIB, nesting: 20, aliases: 100 });

/** `limits:` from careplan.yaml; `where` names the file and line for messages. */
export function parseLimits(value: unknown, where: string): Limits {
  if (value === undefined || value === null) return DEFAULT_LIMITS;
  const keys = LIMIT_SPECS.map((spec) => spec.key).join(", ");
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${where}: \`limits\` must be a mapping of ${keys}, for example \`limits: { list_items: 5000 }\`.`);
  }
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, setting] of Object.entries(value)) {
    const spec = LIMIT_SPECS.find((s) => s.key === key);
    if (!spec) throw new ConfigError(`${where}: \`limits.${key}\` is not a limit. The limits are: ${keys}.`);
    if (typeof setting !== "number" || !Number.isInteger(setting) || setting < 1 || setting > spec.max) {
      throw new ConfigError(`${where}: \`limits.${key}\` (${spec.what}) must be a whole number from 1 to ${spec.max}; the default is ${spec.default}.`);
    }
    limits[spec.field] = setting;
  }
  return Object.freeze(limits);
}
