// The baseline: findings an authority took on with its caseload, recorded by `careplan baseline`
// in careplan-baseline.json so that `check` fails only on new ones (as ESLint's bulk
// suppressions and RuboCop's todo file). An entry names a finding by its identity (file, rule,
// messageId, subject), never by a value, a hash of one, or a line number (lines move).
import { randomUUID } from "node:crypto";
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, ioCause } from "../errors.js";
import { safeJson } from "../common/safe-text.js";

export const BASELINE_FILE = "careplan-baseline.json";
const FORMAT_VERSION = 1;
/** A baseline larger than this is not one careplan wrote. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface BaselineEntry {
  file: string;
  rule: string;
  messageId: string;
  subject: string;
}

/**
 * A finding's identity: the same finding from one run to the next, whatever its line or wording.
 * Two identical findings share it (the baseline then holds it twice). The GitLab Code Quality
 * fingerprint is meant to be derived from it.
 */
export function findingIdentity(finding: BaselineEntry): string {
  return JSON.stringify([finding.file, finding.rule, finding.messageId, finding.subject]);
}

export function entryOf(finding: BaselineEntry): BaselineEntry {
  return { file: finding.file, rule: finding.rule, messageId: finding.messageId, subject: finding.subject };
}

export function baselinePath(root: string): string {
  return join(root, BASELINE_FILE);
}

/** The repository's baseline, or undefined when it has none. */
export function readBaseline(root: string): BaselineEntry[] | undefined {
  const path = baselinePath(root);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) throw new ConfigError(`${path}: not a regular file. The baseline must be the file \`careplan baseline\` writes.`);
  if (stat.size > MAX_BASELINE_BYTES) throw new ConfigError(`${path}: larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB, so not a baseline careplan wrote. Write it again with \`careplan baseline\`.`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(`${path}: cannot be read. Check the file's permissions.`);
  }
  return parseBaseline(text, path);
}

export function parseBaseline(text: string, path: string): BaselineEntry[] {
  const fail = (what: string): never => {
    throw new ConfigError(`${path}: ${what}. Write it again with \`careplan baseline\` (a merge conflict in it is best solved that way too).`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail("not valid JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail("must be a JSON object with `version` and `findings`");
  const { version, findings } = raw as Record<string, unknown>;
  if (version !== FORMAT_VERSION) return fail(`has \`version\` other than ${FORMAT_VERSION}, the only one this careplan reads`);
  if (!Array.isArray(findings)) return fail("must hold a list `findings`");
  return findings.map((entry, index) => {
    const fields = entry as Record<string, unknown>;
    const valid = typeof entry === "object" && entry !== null && ["file", "rule", "messageId", "subject"].every((key) => typeof fields[key] === "string");
    return valid ? entryOf(fields as unknown as BaselineEntry) : fail(`\`findings.${index}\` must have the texts file, rule, messageId and subject`);
  });
}

/** Sorted and one entry a line, so the file is the same for the same findings and its diffs stay small. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = entries.map(entryOf).sort((a, b) => compare(findingIdentity(a), findingIdentity(b)));
  const lines = sorted.map((entry) => `    ${safeJson(entry)}`);
  return `{\n  "version": ${FORMAT_VERSION},\n  "findings": [${lines.length ? `\n${lines.join(",\n")}\n  ` : ""}]\n}\n`;
}

/** Writes the baseline whole or not at all (a temporary file beside it, renamed over it). */
export function writeBaseline(root: string, entries: readonly BaselineEntry[]): void {
  const path = baselinePath(root);
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    writeFileSync(temporary, formatBaseline(entries), { flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new ConfigError(`${path}: cannot be written (${ioCause(error)}). Check the folder's permissions.`);
  }
}

/** Counts entries by identity: the baseline is a multiset, as ESLint's suppression counts. */
export class BaselineCounts {
  private readonly counts = new Map<string, number>();

  constructor(entries: Iterable<BaselineEntry> = []) {
    for (const entry of entries) this.add(entry);
  }

  add(entry: BaselineEntry): void {
    const key = findingIdentity(entry);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Uses up one entry for this finding, if one is left. */
  take(finding: BaselineEntry): boolean {
    const key = findingIdentity(finding);
    const left = this.counts.get(key) ?? 0;
    if (left === 0) return false;
    this.counts.set(key, left - 1);
    return true;
  }

  /** How many entries no finding used. */
  get left(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
