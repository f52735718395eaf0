// Every check rule, in the order findings are reported. Retired ids are never reused.
import { consistencyRule } from "./consistency.js";
import { readRule, schemaRule, sectionEmptyRule, sectionMissingRule, yamlRule } from "./file-rules.js";
import type { CheckRule } from "./rule.js";
import { timescaleRule } from "./timescale.js";

export const CHECK_RULES: readonly CheckRule[] = [readRule, yamlRule, schemaRule, sectionMissingRule, sectionEmptyRule, consistencyRule, timescaleRule];
