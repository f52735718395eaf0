// SARIF 2.1.0, for code-scanning dashboards: every rule's metadata, then one result per finding.
import type { CheckResult } from "../../core/check.js";
import { safeJson } from "../../common/safe-text.js";
import { markdownMessage } from "../markdown.js";

export interface SarifRule {
  id: string;
  description: string;
  defaultSeverity: "error" | "warning" | "off";
  /** Absolute documentation URL, when the package declares a homepage; SARIF rejects relative ones. */
  helpUri?: string;
  /** Where the rule is documented in the package (docs/check.md#<id>). */
  docs: string;
}

/** Where result paths start: `base` describes the folder (the git repository's top, or the case-file repository). */
export const SARIF_BASE_ID = "%SRCROOT%";

export function formatCheckSarif(result: CheckResult, rules: readonly SarifRule[], tool: { version: string; base: string }): string {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "careplan",
            version: tool.version,
            rules: rules.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.description },
              help: { text: `${rule.description} See ${rule.docs}.`, markdown: `${markdownMessage(rule.description)} See [${rule.docs}](${rule.docs}).` },
              ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
              defaultConfiguration: { level: rule.defaultSeverity === "off" ? "none" : rule.defaultSeverity },
            })),
          },
        },
        columnKind: "unicodeCodePoints",
        originalUriBaseIds: { [SARIF_BASE_ID]: { description: { text: tool.base } } },
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: f.severity,
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(f.file), uriBaseId: SARIF_BASE_ID }, region: { startLine: f.line, startColumn: f.column } } }],
        })),
      },
    ],
  };
  return safeJson(sarif, 2) + "\n";
}
