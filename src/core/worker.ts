// A worker thread of core/workers.ts: reads the children it is given, keeps their records in the
// cache, and sends back what the job makes of each, with the same code a run on one thread uses.
import { parentPort, workerData } from "node:worker_threads";
import { documentTypes } from "../doctypes.js";
import { legalStatusesOf, resolvePolicy } from "../timescales/policy.js";
import { recordKeeper } from "./cache.js";
import { freshUnits, timelineContext, unitTimeline } from "./caseload.js";
import { childFindings, recordContext } from "./check.js";
import type { JobResult, WorkerSetup } from "./workers.js";

const setup = workerData as WorkerSetup;
const repository = { root: setup.root, childrenDir: setup.childrenDir, config: setup.config };
const types = documentTypes(new Map(setup.forms), setup.asOf);
const policy = resolvePolicy(setup.config, [...types.keys()], legalStatusesOf(types));
const context = recordContext(types, policy, setup.config.closures, setup.asOf, setup.job.kind === "check");
const timescales = timelineContext(types, policy, setup.config.closures, setup.asOf);
const read = freshUnits(repository, context, setup.cache && recordKeeper(setup.cache.folder, setup.cache.key));
const settings = { types, policy, config: setup.config, asOf: setup.asOf };

parentPort!.on("message", ({ batch, children }: { batch: number; children: { id: string; key: string | undefined }[] }) => {
  const results = children.map(({ id, key }) => {
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
  parentPort!.postMessage({ batch, results });
});
