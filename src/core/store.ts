// A run's records besides the files: the cache, and the keys of the children's files it is looked
// up with (git's hashes where git knows the files, else sizes and times).
import { fileNameReader } from "../casefile/filename.js";
import type { Repository } from "../casefile/repository.js";
import { openCache, type CacheSettings } from "./cache.js";
import type { RecordStore } from "./caseload.js";
import { childKeys, unchangedInGit } from "./fingerprint.js";
import { gitTopLevel, openGit, type Environment } from "./git.js";

export interface StoreOptions {
  /** --no-cache: none. */
  enabled: boolean;
  /** --cache-location: the folder to keep it in (absolute). */
  location: string | undefined;
  cwd: string;
  env: Environment;
  /** One line on stderr. */
  warn(line: string): void;
}

/** What git knows of the children's files, asked at once so that git works while careplan reads its settings. */
export type GitKnowledge = Promise<ReadonlyMap<string, string> | undefined>;

/**
 * The blob ids of the unchanged files under the children folder, when the repository is in git
 * and git will answer (installed, and trusting the repository); otherwise none, and files are
 * keyed by their sizes and times. Never rejects.
 */
export function askGit(repository: Repository, options: StoreOptions): GitKnowledge {
  if (!options.enabled || gitTopLevel(repository.root) === undefined) return Promise.resolve(undefined);
  try {
    const git = openGit({ dir: repository.root, cwd: options.cwd, env: options.env, purpose: "the cache" });
    return unchangedInGit(repository, git).catch(() => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}

/** The run's cache and the children's keys, or undefined without a cache (--no-cache, or none can be kept). */
export async function openRecordStore(repository: Repository, settings: CacheSettings, git: GitKnowledge, options: StoreOptions): Promise<RecordStore | undefined> {
  if (!options.enabled) return undefined;
  const cache = openCache(repository, options.location, settings, options.warn);
  const blobs = await git;
  if (!cache) return undefined;
  return { cache, keys: childKeys(repository, fileNameReader([...settings.types.keys()]), cache.clock, blobs) };
}
