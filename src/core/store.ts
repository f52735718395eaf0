// A run's records besides the files: the cache, and the keys of the children's files it is looked
// up with (git's view where git knows the files, else sizes and times).
import { TEMPLATES_DIR } from "../assets.js";
import { fileNameReader } from "../casefile/filename.js";
import type { Repository } from "../casefile/repository.js";
import { loadBuiltInForms, rememberBuiltInForms } from "../templates/forms.js";
import { maxPacks, openCache, type CacheSettings } from "./cache.js";
import type { RecordStore } from "./caseload.js";
import { askGitView, childKeys, type GitView } from "./fingerprint.js";
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

/** A run's store on its way: git asked, the cache folder open; ready once the run's settings are known. */
export interface PendingStore {
  open(settings: CacheSettings): Promise<RecordStore | undefined>;
}

/**
 * Starts a run's store as early as can be: git is asked what it knows of the children's files
 * (and works while careplan reads its settings), the cache folder is opened, and careplan's own
 * forms are taken from it when it holds them.
 */
export function beginStore(repository: Repository, options: StoreOptions): PendingStore {
  if (!options.enabled) return { open: () => Promise.resolve(undefined) };
  const git = askGit(repository, options);
  const folder = openCache(repository, options.location, options.warn, undefined, maxPacks(options.env));
  const kept = folder?.builtInForms();
  if (kept) rememberBuiltInForms(TEMPLATES_DIR, kept);
  return {
    async open(settings) {
      if (folder && !kept) folder.keepBuiltInForms(loadBuiltInForms(TEMPLATES_DIR));
      const view = await git;
      if (!folder) return undefined;
      const cache = folder.forRun(settings);
      return { cache, keys: childKeys(repository, fileNameReader([...settings.types.keys()]), cache.clock, view) };
    },
  };
}

/**
 * git's view of the children's files, when the repository is in git and git will answer
 * (installed, and trusting the repository); otherwise none, and files are keyed by their sizes and
 * times. Never rejects.
 */
function askGit(repository: Repository, options: StoreOptions): Promise<GitView | undefined> {
  if (gitTopLevel(repository.root) === undefined) return Promise.resolve(undefined);
  try {
    const git = openGit({ dir: repository.root, cwd: options.cwd, env: options.env, purpose: "the cache" });
    return askGitView(repository, git).catch(() => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}
