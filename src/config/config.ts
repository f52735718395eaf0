// careplan.yaml: found upward from the path, validated, then frozen. Every key has a default.
import { existsSync, lstatSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isMap, isScalar } from "yaml";
import { ConfigError, ioError } from "../errors.js";
import { isIsoDate, type IsoDate } from "../common/dates.js";
import { parseYamlBounded } from "../common/bounded-yaml.js";
import { readRegularFile, sizeInWords } from "../common/read-file.js";
import { CONFIG_FILE_LIMITS, DEFAULT_LIMITS, parseLimits, type Limits } from "./limits.js";
import { didYouMean } from "../common/words.js";
import { isPlainName } from "../common/safe-text.js";

export const CONFIG_FILE = "careplan.yaml";
export const SEVERITIES = ["error", "warning", "off"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Config {
  /** Absolute path of the file read, or undefined when every key has its default. */
  file: string | undefined;
  /** Preset names in the configured order; later ones override earlier ones. */
  policy: readonly string[];
  /** Per-rule overrides and local rules; checked by the timescale engine, which knows the rule language. */
  rules: Readonly<Record<string, unknown>>;
  closures: readonly IsoDate[];
  children: string;
  severity: Readonly<Record<string, Severity>>;
  limits: Limits;
  /** The folder of the authority's own templates, relative to the repository; none by default. */
  templates: string | undefined;
  /** Globs (relative to the repository's root) of folders under the children folder and files that are not case files. */
  ignore: readonly string[];
  /** The line each setting is written on (`policy`, `rules.<id>`, `severity.<rule>`), for messages about it found later. */
  lines: Readonly<Record<string, number>>;
}

/** "careplan.yaml:7", or the file's name alone when the setting's line is not known. */
export function settingAt(config: Config, setting: string): string {
  const file = config.file ?? "careplan.yaml";
  const line = config.lines[setting];
  return line === undefined ? file : `${file}:${line}`;
}

export const DEFAULT_CONFIG: Config = Object.freeze({
  file: undefined,
  policy: Object.freeze(["england"]),
  rules: Object.freeze({}),
  closures: Object.freeze([]),
  children: "children",
  severity: Object.freeze({}),
  limits: DEFAULT_LIMITS,
  templates: undefined,
  ignore: Object.freeze([]),
  lines: Object.freeze({}),
});

const KEYS = ["policy", "rules", "closures", "children", "severity", "ignore", "templates", "limits"];

/** Names people give the configuration that careplan does not read: found where careplan.yaml is looked for, they are refused, not skipped. */
const LOOKALIKES = ["careplan.yml", ".careplan.yaml", ".careplan.yml", "careplan.json"];

/**
 * Nearest careplan.yaml at or above `dir`, if any. A look-alike (careplan.yml...) in a folder on
 * the way, or beside the careplan.yaml found, is a configuration error: silently skipped, it would
 * leave its settings out of every run.
 */
export function findConfigFile(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const lookalike = LOOKALIKES.find((name) => existsSync(join(current, name)));
    const candidate = join(current, CONFIG_FILE);
    // lstat: a careplan.yaml that is a broken link is found, and then refused, rather than skipped.
    let found: boolean;
    try {
      found = lstatSync(candidate, { throwIfNoEntry: false }) !== undefined;
    } catch (error) {
      throw ioError(error, "look for", candidate, "Check the permissions of the folders above the path, or pass --config.");
    }
    if (lookalike !== undefined) {
      throw new ConfigError(
        found
          ? `${join(current, lookalike)}: careplan reads only ${CONFIG_FILE}, which is beside it. Move its settings into ${CONFIG_FILE} and remove it.`
          : `${join(current, lookalike)}: careplan reads its settings only from a file named ${CONFIG_FILE}. Rename it to ${CONFIG_FILE} (or pass it with --config).`,
      );
    }
    if (found) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

export function loadConfig(file: string): Config {
  const read = readRegularFile(file, CONFIG_FILE_LIMITS.size);
  if (!read.ok) {
    const problem = read.problem;
    switch (problem.kind) {
      case "missing":
        throw new ConfigError(`${file}: no such file (or a link to nothing). Check the path given to --config, or the link.`);
      case "not-a-file":
        throw new ConfigError(`${file}: not a regular file (a folder, device or pipe). careplan.yaml must be a plain text file.`);
      case "too-large":
        throw new ConfigError(`${file}: larger than ${sizeInWords(problem.limit)}, which no careplan.yaml needs. Check that it is the right file.`);
      case "denied":
        throw new ConfigError(`${file}: permission denied. Check the file's permissions.`);
      case "failed":
        throw new ConfigError(`${file}: cannot be read (${problem.code}). Check the file and the path given to --config.`);
    }
  }
  if (!isUtf8(read.bytes)) throw new ConfigError(`${file}: not UTF-8 text. Save it as UTF-8.`);
  return parseConfig(read.bytes.toString("utf8"), file);
}

export function parseConfig(text: string, file: string): Config {
  const parsed = parseYamlBounded(text, CONFIG_FILE_LIMITS.nesting, { uniqueKeys: true });
  const counter = parsed.counter;
  const where = (offset: number | undefined): string => (offset === undefined ? file : `${file}:${counter.linePos(offset).line}`);
  if (!parsed.ok) throw new ConfigError(`${where(parsed.tooDeepAt)}: lists and mappings are nested more than ${CONFIG_FILE_LIMITS.nesting} levels deep; no setting needs that.`);
  const doc = parsed.doc;
  const error = doc.errors[0];
  if (error) {
    const duplicate = error.code === "DUPLICATE_KEY" ? duplicateKeyAt(text, error.pos[0]) : undefined;
    if (duplicate) throw new ConfigError(`${where(error.pos[0])}: \`${duplicate}\` is written twice: keep one.`);
    throw new ConfigError(`${where(error.pos[0])}: not valid YAML (check indentation, colons and quotes).`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: CONFIG_FILE_LIMITS.aliases }) ?? {};
  } catch {
    throw new ConfigError(`${file}: uses too many YAML aliases (\`*name\`). Write the settings out.`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: must be a mapping of keys (${KEYS.join(", ")}).`);
  const lines: Record<string, number> = {};
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== "string" || !pair.key.range) continue;
      const key = pair.key.value;
      lines[key] = counter.linePos(pair.key.range[0]).line;
      if ((key === "rules" || key === "severity") && isMap(pair.value)) {
        for (const inner of pair.value.items) {
          if (isScalar(inner.key) && inner.key.range) lines[`${key}.${String(inner.key.value)}`] = counter.linePos(inner.key.range[0]).line;
        }
      }
    }
  }
  const config: Config = { ...DEFAULT_CONFIG, file, lines };
  const fail = (key: string, expected: string): never => {
    throw new ConfigError(`${settingAt(config, key)}: ${isPlainName(key) ? `\`${key}\`` : "this key"} ${expected}`);
  };
  const values = raw as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!KEYS.includes(key)) fail(key, `is not a setting of careplan.yaml.${didYouMean(key, KEYS)} The settings are: ${KEYS.join(", ")}.`);
  }

  if (values.policy !== undefined) {
    const policy = typeof values.policy === "string" ? [values.policy] : values.policy;
    if (!Array.isArray(policy) || policy.length === 0 || !policy.every((p) => typeof p === "string")) {
      fail("policy", "must be a preset name or a list of them, for example `policy: [england, care-planning-meetings]`.");
    }
    config.policy = policy as string[];
  }
  if (values.rules !== undefined && values.rules !== null) {
    if (typeof values.rules !== "object" || Array.isArray(values.rules)) fail("rules", "must be a mapping from rule id to its settings (see docs/rules.md).");
    config.rules = values.rules as Record<string, unknown>;
  }
  if (values.closures !== undefined && values.closures !== null) {
    if (!Array.isArray(values.closures) || !values.closures.every(isIsoDate)) {
      fail("closures", "must be a list of dates written YYYY-MM-DD, for example `closures: [2026-12-29, 2026-12-30]`.");
    }
    config.closures = values.closures as IsoDate[];
  }
  if (values.children !== undefined) {
    if (typeof values.children !== "string" || values.children.trim() === "" || values.children.split(/[\\/]/).includes("..")) {
      fail("children", "must be the name of a folder inside the repository, for example `children: children`.");
    }
    config.children = values.children as string;
  }
  if (values.templates !== undefined && values.templates !== null) {
    if (!isFolderInside(values.templates)) fail("templates", "must be the name of a folder inside the repository that holds your own templates, for example `templates: templates`.");
    config.templates = values.templates as string;
  }
  if (values.severity !== undefined && values.severity !== null) {
    const severity = values.severity;
    if (typeof severity !== "object" || Array.isArray(severity)) fail("severity", "must map check rules to error, warning or off, for example `severity: { section-empty: warning }`.");
    for (const [rule, level] of Object.entries(severity as object)) {
      if (!SEVERITIES.includes(level as Severity)) fail("severity", `sets ${isPlainName(rule) ? `\`${rule}\`` : "a rule"} to something other than error, warning or off.`);
    }
    config.severity = severity as Record<string, Severity>;
  }
  if (values.limits !== undefined) config.limits = parseLimits(values.limits, settingAt(config, "limits"));
  if (values.ignore !== undefined && values.ignore !== null) {
    const ignore = typeof values.ignore === "string" ? [values.ignore] : values.ignore;
    if (!Array.isArray(ignore) || !ignore.every((glob) => typeof glob === "string" && glob.trim() !== "" && !glob.startsWith("/") && !glob.split("/").includes(".."))) {
      fail("ignore", "must be a list of globs relative to the repository's root, for example `ignore: [children/_archive/**]`.");
    }
    config.ignore = ignore as string[];
  }
  return Object.freeze(config);
}

/** A relative folder name that cannot climb out of the repository. */
function isFolderInside(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && !isAbsolute(value) && !/^[A-Za-z]:/.test(value) && !value.split(/[\\/]/).includes("..");
}

/** The key a duplicate-key error points at, when it is a plain name (a setting is never confidential, but a tangle of YAML is not repeated back). */
function duplicateKeyAt(text: string, offset: number): string | undefined {
  return /^[A-Za-z0-9_][A-Za-z0-9_./*-]*(?=\s*:)/.exec(text.slice(offset))?.[0];
}
