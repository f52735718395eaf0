// Facts that disagree: within a document, between a document and its file name or folder, and
// between documents and the child's profile. Each check is a small function; the rule runs them all.
import type { CaseDocument } from "../casefile/document.js";
import { isIsoDate } from "../common/dates.js";
import { documentsOf } from "./file-rules.js";
import { noDeadlinesNote, TOP, type CaseContext, type CheckRule, type Locate, type RawFinding } from "./rule.js";
import { isValidChildId } from "../common/ids.js";
import { withArticle } from "../common/words.js";
import { distance } from "fastest-levenshtein";
import { documentFileName, isValidSlug, PROFILE_FILE } from "../casefile/filename.js";
import { PROFILE_TYPE } from "../templates/template.js";

type Check = (context: CaseContext) => RawFinding[];

interface Placement {
  start?: unknown;
  end?: unknown;
}

/** One id per kind of disagreement: what a baseline, a severity or a test can name. */
const MESSAGES = {
  "folder-not-an-id": "a child's folder whose name is not a child id",
  "no-profile": "a child's folder without child.md",
  "profile-type": "a child.md whose `type` is not child",
  "id-not-folder": "a profile whose `id` is not its folder's name",
  "child-not-folder": "a document whose `child` is not its folder's name",
  "unknown-type": "a document whose `type` is not a known type",
  "type-not-file-name": "a document whose `type` is not the type in its file name",
  "date-not-file-name": "a document whose `date` is not the date in its file name",
  "misnamed-date": "a `.md` file named like a document, with a date that is not real",
  "misnamed-type": "a `.md` file named like a document, with no known type",
  "misnamed-slug": "a `.md` file named like a document, with something other than a slug after the type",
  "misnamed-document": "a `.md` file whose front matter names a known type, with a name that is not a document's",
  "stray-unknown-type": "a Markdown file named as no document, whose front matter's `type` is a slip away from a known type",
  "after-as-of": "a document dated after the as-of date",
  "born-after-care": "`dob` after `looked_after_since`",
  "left-before-care": "`left_care` before `looked_after_since`",
  "placement-end-before-start": "a placement that ends before it starts",
  "placement-open-before-care": "a placement begun before this period of care, with no `end`",
  "placement-out-of-order": "a placement that starts before the one listed above it",
  "placement-overlap": "a placement that starts before the one above it ends",
  "placement-plan-unmatched": "a placement plan for a placement the profile lacks",
  "before-date": "a date that follows a document's `date` (record circulated, next review, minutes distributed) before it",
  "before-birth": "a document dated before the child's date of birth",
  "copy-differs": "a document's copy of the child's `name` or `dob` that differs from the profile",
} as const;
type MessageId = keyof typeof MESSAGES;

/** A finding at a field: its subject is the field's dotted key. */
const at = (document: CaseDocument, path: (string | number)[], messageId: MessageId, message: string): RawFinding => ({
  file: document.file,
  ...document.locate(path),
  message,
  messageId,
  subject: path.join("."),
});

/** A finding about a whole file or folder, at its top. */
const whole = (file: string, messageId: MessageId, message: string): RawFinding => ({ file, ...TOP, message, messageId, subject: "" });

/** A date field's value when it is a real date; schema reports the others. */
function dateOf(document: CaseDocument | undefined, key: string): string | undefined {
  const value = document?.data?.[key];
  return isIsoDate(value) ? value : undefined;
}

function placementsOf(profile: CaseDocument | undefined): Placement[] {
  const placements = profile?.data?.placements;
  return Array.isArray(placements) ? placements.filter((p): p is Placement => typeof p === "object" && p !== null) : [];
}

const folderHasProfile: Check = (context) => {
  const { child } = context;
  if (child.profile) return [];
  const file = `${child.folder}/child.md`;
  return [whole(file, "no-profile", `the child's folder has no child.md: create the profile with \`careplan new child --id <id>\`${noDeadlinesNote(context, file)}`)];
};

const folderIsAnId: Check = ({ child }) =>
  isValidChildId(child.id) ? [] : [whole(child.folder, "folder-not-an-id", "the folder's name is not a child id: use 1 to 64 letters, digits, - and _, starting with a letter or digit")];

const profileIdIsFolder: Check = ({ child }) => {
  const id = child.profile?.data?.id;
  return typeof id === "string" && id !== child.id ? [at(child.profile!, ["id"], "id-not-folder", "`id` is not the name of the child's folder: the two must be the same")] : [];
};

const childIsFolder: Check = ({ child }) =>
  child.documents
    .filter((d) => typeof d.data?.child === "string" && d.data.child !== child.id)
    .map((d) => at(d, ["child"], "child-not-folder", "`child` is not the name of the folder the document is in: move the document or correct `child`"));

const typeIsKnown: Check = ({ child, types }) =>
  documentsOf(child)
    .filter((d) => typeof d.data?.type === "string" && !types.has(d.data.type as string))
    .map((d) => at(d, ["type"], "unknown-type", `\`type\` is not a known document type; the types are: ${[...types.keys()].join(", ")}`));

const typeMatchesFileName: Check = ({ child, types }) =>
  child.documents
    .filter((d) => d.name.kind === "document" && typeof d.data?.type === "string" && types.has(d.data.type as string) && d.data.type !== d.name.type)
    .map((d) => at(d, ["type"], "type-not-file-name", "`type` is not the type in the file name: rename the file or correct `type`"));

const profileIsProfile: Check = ({ child }) => {
  const type = child.profile?.data?.type;
  return typeof type === "string" && type !== "child" ? [at(child.profile!, ["type"], "profile-type", "child.md is the child's profile: its `type` must be child")] : [];
};

const dateMatchesFileName: Check = ({ child }) =>
  child.documents
    .filter((d) => d.name.kind === "document" && isIsoDate(d.data?.date) && d.data.date !== d.name.date)
    .map((d) => at(d, ["date"], "date-not-file-name", "`date` is not the date in the file name: rename the file or correct `date`"));

const notAfterAsOf: Check = ({ child, asOf }) =>
  afterAsOf(
    child.documents.flatMap((d) => (dateOf(d, "date") === undefined ? [] : [{ file: d.file, date: dateOf(d, "date")! }])),
    asOf,
    (file, path) => child.documents.find((d) => d.file === file)!.locate(path),
  );

/** Documents dated after the as-of date (from their files' dates, or a cache's). */
export function afterAsOf(dated: readonly { file: string; date: string }[], asOf: string, locate: Locate): RawFinding[] {
  return dated
    .filter((d) => d.date > asOf)
    .map((d) => ({ file: d.file, ...locate(d.file, ["date"]), message: `\`date\` is after the as-of date ${asOf}: a document records what has happened`, messageId: "after-as-of", subject: "date" }));
}

const misnamedFiles: Check = ({ child, types }) =>
  child.misnamed.map(({ file, name }) =>
    name.problem === "date"
      ? whole(file, "misnamed-date", "the file is named like a document but its date is not a real date: name it <YYYY-MM-DD>-<type>[-<slug>].md")
      : name.problem === "slug"
        ? whole(
            file,
            "misnamed-slug",
            "the file is named like a document but what follows the type is not a slug: name it <YYYY-MM-DD>-<type>[-<slug>].md, the slug of letters, digits, - and _ only (no spaces)",
          )
        : whole(file, "misnamed-type", `the file is named like a document but the name holds no known type: ${typeHint(name.date, name.rest, [...types.keys()])}`),
  );

/** "rename it to 2026-02-13-visit-b.md" when the type is there with a capital or a slip of a letter or two; else the form and the types. */
function typeHint(date: string, rest: string, types: string[]): string {
  const near = nearestType(rest, types);
  if (near) return `rename it to ${documentFileName(date, near.type, near.slug)}`;
  return `name it <YYYY-MM-DD>-<type>[-<slug>].md with a type of ${types.join(", ")}`;
}

/** The known type the start of `rest` was meant to be (same number of words, ignoring case, at most 2 letters off), and what follows it. */
function nearestType(rest: string, types: string[]): { type: string; slug: string | undefined } | undefined {
  if (rest.length > 200) return undefined; // a name no one typed
  const words = rest.toLowerCase().split(/[-_ ]/);
  let best: { type: string; slug: string | undefined; far: number } | undefined;
  for (const type of types) {
    const length = type.split("-").length;
    const written = words.slice(0, length).join("-");
    const far = distance(written, type);
    const slug = rest.split(/[-_ ]/).slice(length).join("-") || undefined;
    if (far <= Math.min(2, Math.floor(type.length / 3)) && (slug === undefined || isValidSlug(slug)) && (!best || far < best.far)) best = { type, slug, far };
  }
  return best;
}

/**
 * A `.md` file whose front matter names a known type but whose name is not a document's
 * (`2026-11-5-visit.md`, `2026-11-05 visit.md`, `…-visit.MD`) is read as nothing: say the name it
 * needs, built from its own `type` and `date` (a path the user must create, not the file's text).
 */
const straysNamedRight: Check = ({ child, types }) =>
  child.strays.flatMap((stray) => {
    const type = stray.data?.type;
    if (typeof type !== "string") return [];
    // A type a slip away from a known one (`vist`) was meant as a document: never silent. Any other
    // type is the authority's own kind of note, left alone.
    if (!types.has(type)) {
      const near = nearestType(type, [...types.keys()]);
      if (!near || near.slug !== undefined) return [];
      const date = dateOf(stray, "date") ?? "<YYYY-MM-DD>";
      return [whole(stray.file, "stray-unknown-type", `the front matter's \`type\` is no known type (did you mean ${near.type}?) and the file name is not a document's, so it is not read as one: correct the type and name the file ${documentFileName(date, near.type)}`)];
    }
    const date = dateOf(stray, "date") ?? "<YYYY-MM-DD>";
    const expected = type === PROFILE_TYPE ? PROFILE_FILE : documentFileName(date, type);
    const rename =
      type === PROFILE_TYPE
        ? child.profile
          ? `${PROFILE_FILE} exists already: move what this file holds into it`
          : `rename it to ${PROFILE_FILE}`
        : child.documents.some((d) => d.file === `${child.folder}/${expected}`)
          ? `${expected} is taken: rename it to ${documentFileName(date, type, "<slug>")}`
          : `rename it to ${expected}`;
    return [whole(stray.file, "misnamed-document", `the front matter says this is ${withArticle(type)}, but the file name does not follow <YYYY-MM-DD>-<type>[-<slug>].md, so it is not read as one: ${rename}`)];
  });

const bornBeforeCare: Check = ({ child }) => {
  const dob = dateOf(child.profile, "dob");
  const since = dateOf(child.profile, "looked_after_since");
  return dob && since && dob > since ? [at(child.profile!, ["dob"], "born-after-care", "`dob` is after `looked_after_since`: a child cannot come into care before they are born")] : [];
};

const leftAfterCareBegan: Check = ({ child }) => {
  const since = dateOf(child.profile, "looked_after_since");
  const left = dateOf(child.profile, "left_care");
  return since && left && left < since ? [at(child.profile!, ["left_care"], "left-before-care", "`left_care` is before `looked_after_since`: correct one of them")] : [];
};

const placementsInOrder: Check = ({ child }) => {
  const profile = child.profile;
  const findings: RawFinding[] = [];
  const since = dateOf(profile, "looked_after_since");
  const placements = placementsOf(profile);
  placements.forEach((placement, index) => {
    const start = isIsoDate(placement.start) ? placement.start : undefined;
    const end = isIsoDate(placement.end) ? placement.end : undefined;
    if (start && end && end < start) findings.push(at(profile!, ["placements", index, "end"], "placement-end-before-start", `\`placements.${index}.end\` is before its start: \`end\` is the last day there`));
    if (start && since && start < since && !end) {
      findings.push(at(profile!, ["placements", index], "placement-open-before-care", `\`placements.${index}\` began before this period of care but has no \`end\`: add the last day there`));
    }
    const previous = placements[index - 1];
    const previousStart = isIsoDate(previous?.start) ? previous.start : undefined;
    if (!start || !previousStart) return;
    if (start < previousStart) {
      findings.push(at(profile!, ["placements", index, "start"], "placement-out-of-order", `\`placements.${index}\` starts before the placement above it: list placements oldest first`));
      return;
    }
    const previousEnd = isIsoDate(previous?.end) ? previous.end : undefined;
    if (!previousEnd || start < previousEnd) {
      findings.push(
        at(profile!, ["placements", index, "start"], "placement-overlap", `\`placements.${index}\` starts before the placement above it ends: give \`placements.${index - 1}\` an \`end\` on or before this start`),
      );
    }
  });
  return findings;
};

const placementPlanHasPlacement: Check = ({ child }) => {
  const written = placementsOf(child.profile).map((p) => p.start);
  // With a start the schema finds wrong, which placement a plan is for cannot be told.
  if (!child.profile?.data || !written.every(isIsoDate)) return [];
  const starts = new Set(written);
  return child.documents
    .filter((d) => d.data?.type === "placement-plan" && isIsoDate(d.data.placement_start) && !starts.has(d.data.placement_start))
    .map((d) => at(d, ["placement_start"], "placement-plan-unmatched", "`placement_start` matches the `start` of no placement in the child's profile"));
};

/** Dates that follow the document's own date: a record circulated, minutes distributed, the next review. */
const FOLLOWING_DATES = new Map<string, string[]>([
  ["review", ["record_circulated", "next_review"]],
  ["care-planning-meeting", ["distributed"]],
]);

const followingDatesFollow: Check = ({ child }) =>
  child.documents.flatMap((d) => {
    const date = dateOf(d, "date");
    const type = d.data?.type;
    if (!date || typeof type !== "string") return [];
    return (FOLLOWING_DATES.get(type) ?? [])
      .filter((key) => (dateOf(d, key) ?? "9999") < date)
      .map((key) => at(d, [key], "before-date", `\`${key}\` is before the document's \`date\`: it cannot happen before the ${type.replace(/-/g, " ")}`));
  });

const notBeforeBirth: Check = ({ child }) => {
  const dob = dateOf(child.profile, "dob");
  if (!dob) return [];
  return child.documents.filter((d) => (dateOf(d, "date") ?? "9999") < dob).map((d) => at(d, ["date"], "before-birth", "`date` is before the child's date of birth"));
};

/** Copies of the profile's facts in a document (written by `careplan new`) must still agree with it. */
const copiesAgree: Check = ({ child }) => {
  const profile = child.profile?.data;
  if (!profile) return [];
  // A copy is compared only when both sides are well formed: schema reports the other, once.
  const wellFormed = (key: "dob" | "name", value: unknown) => (key === "dob" ? isIsoDate(value) : typeof value === "string");
  return child.documents.flatMap((d) =>
    (["dob", "name"] as const)
      .filter((key) => wellFormed(key, d.data?.[key]) && wellFormed(key, profile[key]) && d.data![key] !== profile[key])
      .map((key) => at(d, [key], "copy-differs", `\`${key}\` differs from \`${key}\` in the child's profile: correct whichever is wrong`)),
  );
};

const CHECKS: Check[] = [
  folderIsAnId,
  folderHasProfile,
  profileIsProfile,
  profileIdIsFolder,
  childIsFolder,
  typeIsKnown,
  typeMatchesFileName,
  dateMatchesFileName,
  misnamedFiles,
  straysNamedRight,
  notAfterAsOf,
  bornBeforeCare,
  leftAfterCareBegan,
  placementsInOrder,
  placementPlanHasPlacement,
  followingDatesFollow,
  notBeforeBirth,
  copiesAgree,
];

export const consistencyRule: CheckRule = {
  id: "consistency",
  description: "Facts agree: with the folder and file name, with the child's profile, and in time.",
  defaultSeverity: "error",
  messages: MESSAGES,
  check: (context) => CHECKS.flatMap((check) => check(context)),
  intrinsic: (context) => CHECKS.filter((check) => check !== notAfterAsOf).flatMap((check) => check(context)),
};
