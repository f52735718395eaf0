// Children read on worker threads: a cold run over a large caseload spreads the reading, parsing
// and checking of its children over the machine's cores, and gets back exactly what one thread
// would make (each child is worked on whole, by the same code, and taken back in order). Small
// runs stay on one thread: starting workers and passing results back costs more than it saves
// below a few hundred children.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Config } from "../config/config.js";
import type { IsoDate } from "../common/dates.js";
import type { Form } from "../templates/forms.js";
import type { KeptRecord } from "./cache.js";
import type { ChildFindings } from "./check.js";
import type { RecordStore, Timeline } from "./caseload.js";
import type { Repository } from "../casefile/repository.js";

/**
 * Children to read before workers are worth starting: on 2 cores they lost 0.3 s at 244 children
 * and won 3 s at 2,439 (bench/check.ts, docs/performance.md), even at about 500.
 */
export const WORKER_THRESHOLD = 500;
/** Children a worker is given at a time. */
const BATCH = 8;
/** Batches given out ahead of the one the run waits for: bounds what waits in memory (16 keep 2-4 workers busy). */
const AHEAD = 16;
/**
 * A worker's young generation (MiB): V8's default (48 here) made each worker's heap reach 115 MiB
 * in a cold run over 100,000 documents, where a worker holds a few children at a time; with 12 it
 * stays near 65 MiB, and the run takes as long (docs/performance.md). The old generation is left
 * unbounded: a limit there would end a run over a child larger than it.
 */
const YOUNG_GENERATION_MB = 12;

/** What a worker makes of a child: a check's findings, or its timeline (the items `timeline` shows, actions' titles read). */
export type Job = { kind: "check" } | { kind: "timeline"; all: boolean; horizon: IsoDate; titles: boolean };

export type JobResult = { kind: "check"; findings: ChildFindings } | { kind: "timeline"; timeline: Timeline };

/** What every worker is set up with: the repository, its forms, the day, where to keep records. */
export interface WorkerSetup {
  job: Job;
  root: string;
  childrenDir: string;
  config: Config;
  forms: [string, Form][];
  asOf: IsoDate;
  cache: { folder: string; key: string } | undefined;
}

export interface PoolOptions {
  /** Children to read from which workers are used (CAREPLAN_WORKER_THRESHOLD; the tests lower it). */
  threshold: number;
  /** How many workers (CAREPLAN_WORKERS), at most the machine's cores. */
  size: number;
}

export function poolOptions(env: Readonly<Record<string, string | undefined>>): PoolOptions {
  const number = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
  return { threshold: number(env.CAREPLAN_WORKER_THRESHOLD) ?? WORKER_THRESHOLD, size: Math.max(1, number(env.CAREPLAN_WORKERS) ?? Math.min(availableParallelism(), 4)) };
}

/** The worker's script, when careplan runs from its built files (under the tests' TypeScript, there is none). */
const SCRIPT = fileURLToPath(new URL("./worker.js", import.meta.url));

/** The pool a run of `job` offers its workers: the repository, its settings and forms, the day, and the run's cache. */
export function workerPool(env: Readonly<Record<string, string | undefined>>, job: Job, run: { repository: Pick<Repository, "root" | "childrenDir">; config: Config; forms: ReadonlyMap<string, Form>; asOf: IsoDate }, store: RecordStore | undefined): Pool {
  return {
    options: poolOptions(env),
    setup: () => ({ job, root: run.repository.root, childrenDir: run.repository.childrenDir, config: run.config, forms: [...run.forms], asOf: run.asOf, cache: store && { folder: store.cache.folder, key: store.cache.key } }),
  };
}

/** Whether workers would be used for this many children to read. */
export function usesWorkers(children: number, options: PoolOptions | undefined): boolean {
  return options !== undefined && options.size > 1 && children >= options.threshold && existsSync(SCRIPT) && import.meta.url.endsWith(".js");
}

/**
 * The results for `children` (each with the key its record is kept under), in their order, made
 * by `size` workers. The run waits only for the next child's result; a worker's failure (a bug)
 * ends the run with its stack.
 */
export async function* inWorkers(children: readonly { id: string; key: string | undefined }[], setup: WorkerSetup, size: number): AsyncGenerator<WorkerResult> {
  const batches: { id: string; key: string | undefined }[][] = [];
  for (let i = 0; i < children.length; i += BATCH) batches.push(children.slice(i, i + BATCH));
  const workers = Array.from({ length: Math.min(size, batches.length) }, () => new Worker(SCRIPT, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }));
  const done = new Map<number, WorkerResult[]>();
  const waiting = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  let failure: unknown;
  let next = 0;
  let reading = 0;
  const idle: Worker[] = [];
  const give = (worker: Worker, upTo: number) => {
    if (next < batches.length && next <= upTo) worker.postMessage({ batch: next, children: batches[next++] });
    else idle.push(worker);
  };
  for (const worker of workers) {
    worker.on("message", ({ batch, results }: { batch: number; results: WorkerResult[] }) => {
      done.set(batch, results);
      waiting.get(batch)?.resolve();
      give(worker, reading + AHEAD);
    });
    worker.on("error", (error) => {
      failure = error;
      for (const wait of waiting.values()) wait.reject(error);
    });
  }
  try {
    for (const worker of workers) give(worker, AHEAD);
    for (reading = 0; reading < batches.length; reading++) {
      while (idle.length > 0 && next < batches.length && next <= reading + AHEAD) give(idle.pop()!, reading + AHEAD);
      if (failure) throw failure;
      if (!done.has(reading)) await new Promise<void>((resolve, reject) => waiting.set(reading, { resolve, reject }));
      waiting.delete(reading);
      const results = done.get(reading)!;
      done.delete(reading);
      yield* results;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

export interface Pool {
  options: PoolOptions;
  setup: () => WorkerSetup;
}

export interface WorkerResult {
  id: string;
  key: string | undefined;
  result: JobResult;
  /** Where the worker kept the child's record (the run lists it in the cache's index). */
  stored?: KeptRecord;
}

/**
 * The children a run must read from their files (`toRead`, in order), spread over workers when
 * there are enough of them: `take(id)` gives a worker's result for the child when it is the next
 * of those, else undefined (the run makes it itself). `close` ends the workers, however the run ends.
 */
export function spread(toRead: readonly { id: string; key: string | undefined }[], pool: Pool | undefined): { take(id: string): Promise<WorkerResult | undefined>; close(): Promise<void> } {
  const results = pool && usesWorkers(toRead.length, pool.options) ? inWorkers(toRead, pool.setup(), pool.options.size) : undefined;
  let next = 0;
  return {
    async take(id) {
      if (!results || toRead[next]?.id !== id) return undefined;
      next++;
      const made = await results.next();
      if (made.done || made.value.id !== id) throw new Error(`a worker's results are out of step at ${id}`);
      return made.value;
    },
    async close() {
      await results?.return(undefined);
    },
  };
}
