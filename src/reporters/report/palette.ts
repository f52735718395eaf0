// The report's colours, and every pair of them the page draws one on the other: a unit test holds
// each pair to WCAG 2.2 AA (4.5:1 for text, 3:1 for the shapes of the charts).

export const COLOURS = {
  text: "#1a1a1a",
  muted: "#555555",
  page: "#ffffff",
  surface: "#f3f4f6",
  rule: "#767676",
  link: "#1f5aa6",
  overdue: "#b3261e",
  overdueTint: "#fbe9e7",
  late: "#8a4b00",
  lateTint: "#fff1d6",
  onTime: "#1e6b34",
  onTimeTint: "#e6f4ea",
  upcoming: "#1f5aa6",
  upcomingTint: "#e8f0fb",
} as const;

export type Colour = keyof typeof COLOURS;

export interface ColourPair {
  foreground: Colour;
  background: Colour;
  /** What is drawn: text needs 4.5:1, a chart's shapes and lines (WCAG 1.4.11) 3:1. */
  use: "text" | "graphic";
}

const text = (foreground: Colour, ...backgrounds: Colour[]): ColourPair[] => backgrounds.map((background) => ({ foreground, background, use: "text" }));
const graphic = (foreground: Colour, ...backgrounds: Colour[]): ColourPair[] => backgrounds.map((background) => ({ foreground, background, use: "graphic" }));

export const COLOUR_PAIRS: readonly ColourPair[] = [
  ...text("text", "page", "surface", "overdueTint", "lateTint", "onTimeTint", "upcomingTint"),
  ...text("muted", "page", "surface"),
  ...text("link", "page", "surface"),
  // Status words in the tables, on the page and on their badges; the same colours draw the markers.
  ...text("overdue", "page", "overdueTint"),
  ...text("late", "page", "lateTint"),
  ...text("onTime", "page", "onTimeTint"),
  ...text("upcoming", "page", "upcomingTint"),
  ...graphic("overdue", "page", "surface"),
  ...graphic("late", "page", "surface"),
  ...graphic("onTime", "page", "surface"),
  ...graphic("upcoming", "page", "surface"),
  // The axes, the "as of" line, and the bars of the trend against their empty part.
  ...graphic("rule", "page", "surface"),
  ...graphic("onTime", "onTimeTint"),
];
