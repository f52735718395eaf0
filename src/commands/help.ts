// `careplan help <topic>`: short texts that teach what the commands' own help cannot, each
// pointing to the page of docs/ that says it all. What changes with the data (the presets, the
// check rules) is read from the data, never written here by hand.
import { CHECK_RULES } from "../rules/registry.js";
import { PRESETS, REGIMES } from "../timescales/policy.js";
import { describeRule } from "../timescales/preset-tables.js";
import type { Rule } from "../timescales/rule.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../common/words.js";

import { HELP_TOPICS, type HelpTopic } from "./choices.js";
export { HELP_TOPICS, type HelpTopic } from "./choices.js";

export function isHelpTopic(name: string): name is HelpTopic {
  return (HELP_TOPICS as readonly string[]).includes(name);
}

/** A topic's text; `name` picks one preset of the presets topic. */
export function helpTopic(topic: HelpTopic, name?: string): string {
  if (name !== undefined && topic !== "presets") throw new UsageError(`careplan help ${topic} takes nothing more: run careplan help ${topic}.`);
  switch (topic) {
    case "rules":
      return rulesTopic();
    case "waivers":
      return WAIVERS;
    case "presets":
      return name === undefined ? presetsTopic() : presetTopic(name);
  }
}

function rulesTopic(): string {
  const width = Math.max(...CHECK_RULES.map((rule) => rule.id.length)) + "/<rule id>".length;
  const checks = CHECK_RULES.map((rule) => `  ${(rule.id === "timescale" ? "timescale/<rule id>" : rule.id).padEnd(width)}  ${rule.defaultSeverity.padEnd(7)}  ${rule.description}`);
  return `Rules: two kinds

Timescale rules say when something is due: "a placement plan within 5 working days of each
placement's start". They come in presets (careplan help presets), chosen and adjusted in
careplan.yaml; careplan timeline lists the deadlines they make, and each item names its rule.

  policy: [england, care-planning-meetings]   # presets in force, later ones overriding
  rules:
    visit: { interval: 4, unit: weeks }        # change a rule's interval or unit
    pep: off                                   # switch one off

Check rules are what careplan check looks for. Each finding names its rule; an overdue
deadline is the finding timescale/<rule id>:

${checks.join("\n")}

  severity:                                    # in careplan.yaml: error, warning or off
    section-empty: off
    timescale/visit: warning

To accept one finding on purpose, waive it in its document: careplan help waivers.

Learn more: docs/rules.md (timescale rules, how dates are counted, local rules) and
docs/check.md (each check rule and how to put it right).
`;
}

const WAIVERS = `Waivers: accepting a finding on purpose

A finding of careplan check that is right but agreed (a visit late because the child was in
hospital) is waived in the front matter of the document it stands in, with the reason and,
if it should end, the last day it holds:

  waivers:
    - rule: timescale/visit
      reason: Child in hospital; visits agreed with the IRO by phone
      until: 2026-04-30

- rule: the rule id the finding names (careplan check prints it at the end of each line);
  timescale/* waives every timescale finding of that document.
- reason: required. A waiver without one waives nothing, and check says so.
- until: optional. From the day after it, the finding is reported again.

Waived findings are not listed, but counted: "3 waived" in check's summary, summary.waived
in --format json. To turn a rule down for every document, set its severity in careplan.yaml
instead (careplan help rules).

Learn more: docs/check.md#waivers
`;

function presetsTopic(): string {
  const width = Math.max(...[...PRESETS.keys()].map((name) => name.length));
  const presets = [...PRESETS.values()].map((preset) => `  ${preset.name.padEnd(width)}  ${preset.title} (${preset.rules.length} rules)\n  ${"".padEnd(width)}  ${preset.source}`);
  const regimes = [...REGIMES.values()].map((regime) => `  ${regime.name}: ${regime.title}\n  ${"".padEnd(regime.name.length)}  in place of ${regime.replaces.join(", ")}`);
  return `Presets: the timescales in force

A preset is a set of timescale rules from one source. careplan.yaml names one or more; only
those named are in force, and a later one replaces an earlier one's rules of the same id:

  policy: england                              # the default
  policy: [england, care-planning-meetings]    # the statutory rows, and meetings every 6 weeks
  policy: [england, newcastle]                 # the statutory rows, with Newcastle's where they differ

The presets:

${presets.join("\n")}

For some children, other rules replace a policy's own:

${regimes.join("\n")}

Run careplan help presets <name> to list a preset's rules: when each falls due and what meets it.

Learn more: docs/rules.md
`;
}

function presetTopic(name: string): string {
  const preset = PRESETS.get(name);
  if (!preset) throw new UsageError(`${name} is not a preset.${didYouMean(name, PRESETS.keys())} The presets are: ${[...PRESETS.keys()].join(", ")}.`);
  return `${preset.name}: ${preset.title}
Source: ${preset.source}

${preset.rules.map(ruleText).join("\n")}
Learn more: docs/rules.md, "The presets"
`;
}

function ruleText(rule: Rule): string {
  const { due, metBy } = describeRule(rule);
  return `  ${rule.id}: ${rule.title}\n      due: ${due}\n      met by: ${metBy}\n`;
}
