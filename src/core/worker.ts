// A worker thread of core/workers.ts: reads the children it is given, keeps their records in the
// cache, and sends back what the job makes of each, with the same code a run on one thread uses.
import { parentPort, workerData } from "node:worker_threads";
import { documentTypes } from "../doctypes.js";
import { legalStatusesOf, resolvePolicy } from "../timescales/policy.js";
import { recordKeeper, type KeptRecord } from "./cache.js";
import { freshUnits, timelineContext, unitTimeline } from "./caseload.js";
import { childFindings, recordContext } from "./check.js";
import type { JobResult, WorkerResult, WorkerSetup } from "./workers.js";

const setup = workerData as WorkerSetup;
const repository = { root: setup.root, childrenDir: setup.childrenDir, config: setup.config };
const types = documentTypes(new Map(setup.forms), setup.asOf);
const policy = resolvePolicy(setup.config, [...types.keys()], legalStatusesOf(types));
const context = recordContext(types, policy, setup.config.closures, setup.asOf, setup.job.kind === "check");
const timescales = timelineContext(types, policy, setup.config.closures, setup.asOf);
const keeper = setup.cache && recordKeeper(setup.cache.folder, setup.cache.key);
/** Where the batch's records are in the worker's pack. */
const stored = new Map<string, KeptRecord | undefined>();
const read = freshUnits(repository, context, keeper && ((id, key, record) => void stored.set(id, keeper.put(id, key, record))));
const settings = { types, policy, config: setup.config, asOf: setup.asOf };

parentPort!.on("message", ({ batch, children }: { batch: number; children: { id: string; key: string | undefined }[] }) => {
  const results = children.map(({ id, key }): WorkerResult => {
    const { unit, key: kept } = read(id, key);
    let result: JobResult;
    if (setup.job.kind === "check") {
      result = { kind: "check", findings: childFindings(unit, settings, timescales) };
    } else {
      const { all, horizon, titles } = setup.job;
      const keep = (item: { status: string; due: string }) => all || item.status === "overdue" || (item.status === "upcoming" && item.due <= horizon);
      result = { kind: "timeline", timeline: unitTimeline(unit, timescales, { keep, titles, met: all }) };
    }
    return { id, key: kept, result };
  });
  // The batch's records are written to the worker's pack before the run is told where they are.
  if (keeper?.flush()) {
    for (const result of results) {
      const at = stored.get(result.id);
      if (at) result.stored = at;
    }
  }
  stored.clear();
  parentPort!.postMessage({ batch, results });
});
