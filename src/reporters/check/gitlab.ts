// GitLab Code Quality (a subset of Code Climate's issue format): one issue per finding, for the
// merge request widget. GitLab tells a new issue from an old one by its fingerprint, so the
// fingerprint is the finding's identity (the baseline's: file, rule, message id, subject; no
// line, so it survives edits above the finding), hashed.
import { createHash } from "node:crypto";
import { findingIdentity } from "../../core/baseline.js";
import type { CheckResult, Finding } from "../../core/check.js";
import { safeJson } from "../../common/safe-text.js";

/** GitLab's severities are info, minor, major, critical and blocker; careplan's two map as ESLint's GitLab formatter does. */
export const GITLAB_SEVERITY: Record<Finding["severity"], string> = { error: "major", warning: "minor" };

export function formatCheckGitlab(result: CheckResult): string {
  const occurrences = new Map<string, number>();
  const issues = result.findings.map((finding) => {
    const identity = findingIdentity(finding);
    const occurrence = occurrences.get(identity) ?? 0;
    occurrences.set(identity, occurrence + 1);
    return {
      description: finding.message,
      check_name: finding.rule,
      fingerprint: fingerprint(identity, occurrence),
      severity: GITLAB_SEVERITY[finding.severity],
      location: { path: finding.file, lines: { begin: finding.line } },
    };
  });
  return safeJson(issues, 2) + "\n";
}

/**
 * GitLab wants fingerprints unique within a report: two findings with one identity (the same
 * field wrong twice in a file) are told apart by their order, the first keeping the plain hash.
 */
function fingerprint(identity: string, occurrence: number): string {
  const text = occurrence === 0 ? identity : `${identity}#${occurrence}`;
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
