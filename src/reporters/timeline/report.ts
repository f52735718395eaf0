import type { IsoDate } from "../../common/dates.js";
import type { TimelineItem } from "../../timescales/engine.js";

/** What every timeline format is a pure function of. */
export interface TimelineReport {
  asOf: IsoDate;
  policy: string;
  /** Already filtered and sorted (due, child, rule, file, title). */
  items: readonly TimelineItem[];
  /** Days ahead shown, or "all". */
  horizon: number | "all";
}
