// A check rule is a small pure function from a parsed case to findings. Severity is not the
// rule's business: the registry gives each a default and careplan.yaml may change it.
import type { ChildCase } from "../casefile/repository.js";
import type { DocumentType } from "../doctypes.js";
import type { IsoDate } from "../common/dates.js";
import type { TimelineItem } from "../timescales/engine.js";
import type { Exclusion } from "../timescales/facts.js";

export interface RawFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  /** Which check of the rule found it, one id per kind of message (as ESLint's messageId): stable across versions. */
  messageId: string;
  /**
   * What it is about, as the message itself names it: a field's dotted key, a section's heading as
   * the template words it, a deadline's rule and due date, an action's path; "" for a whole file.
   * Never a value. With file, rule and messageId, the finding's identity (core/baseline.ts).
   */
  subject: string;
  /** For rules that report under several ids (timescale/<rule id>); defaults to the rule's id. */
  rule?: string;
}

export interface CaseContext {
  child: ChildCase;
  types: ReadonlyMap<string, DocumentType>;
  asOf: IsoDate;
  /** This child's timeline items on the as-of date. */
  timeline: readonly TimelineItem[];
  /** What the timeline left out of this child's, and why. */
  exclusions?: readonly Exclusion[];
}

export interface CheckRule {
  id: string;
  description: string;
  defaultSeverity: "error" | "warning";
  /** Each messageId the rule reports, with what it finds (documented in docs/check.md). */
  messages: Readonly<Record<string, string>>;
  check(context: CaseContext): RawFinding[];
  /**
   * The findings that hold whatever the as-of date and the timeline (all of `check`'s when left
   * out): what a cache may keep for a document that has not changed. The rest is made every run
   * from the child's facts (core/record.ts).
   */
  intrinsic?(context: CaseContext): RawFinding[];
}

/** Where a field of a document stands, for findings made from facts (the document is read again if need be). */
export type Locate = (file: string, path: readonly (string | number)[]) => { line: number; column: number };

/** Where a finding about a whole document, or a field that is missing, stands: line 1, column 1. */
export const TOP = { line: 1, column: 1 } as const;

/**
 * The words a finding on the profile ends with when it is why the child has no timeline at all
 * (`field`: the dotted key the finding is about, if any), so that the gap is said, not hidden.
 */
export function noDeadlinesNote(context: CaseContext, file: string, field?: string): string {
  const blocking = context.exclusions?.some((e) => e.wholeChild && e.file === file && (field === undefined ? e.field === undefined : e.field === field));
  return blocking ? "; until this is put right, no deadline of this child can be computed" : "";
}

/** Each rule's documentation: one page, an anchor per rule id. */
export function docsAnchor(ruleId: string): string {
  return `docs/check.md#${ruleId.replace(/[^a-z0-9-]/g, "-")}`;
}
