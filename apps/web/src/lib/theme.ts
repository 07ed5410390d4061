/**
 * The dashboard's design tokens: one Mantine theme for light and dark. Colour, type scale,
 * spacing and radius come from here; globals.css maps the few hand-drawn pieces (charts,
 * confusion matrix, log) onto the same CSS variables.
 */
import { createTheme, type MantineColorsTuple } from "@mantine/core";

// The brand colour, light to dark (shade 6 is the filled colour in light, 8 in dark).
const runboard: MantineColorsTuple = ["#eef3ff", "#dce4f5", "#b5c6ea", "#8ba6df", "#6a8bd5", "#5479cf", "#4970cd", "#3a5fb5", "#3155a3", "#234891"];

export const theme = createTheme({
  colors: { runboard },
  primaryColor: "runboard",
  primaryShade: { light: 6, dark: 5 },
  // Keyboard focus gets a visible ring; mouse clicks do not.
  focusRing: "auto",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  fontSizes: { xs: "0.75rem", sm: "0.8125rem", md: "0.875rem", lg: "1rem", xl: "1.125rem" },
  headings: {
    fontWeight: "650",
    sizes: {
      h1: { fontSize: "1.5rem", lineHeight: "1.3" },
      h2: { fontSize: "1.125rem", lineHeight: "1.35" },
      h3: { fontSize: "1rem", lineHeight: "1.4" },
    },
  },
  spacing: { xs: "0.5rem", sm: "0.75rem", md: "1rem", lg: "1.5rem", xl: "2rem" },
  defaultRadius: "md",
  cursorType: "pointer",
});

/** Run statuses as badge colours: the same everywhere a status is shown. */
export const STATUS_COLORS: Record<string, string> = {
  QUEUED: "gray",
  RUNNING: "blue",
  SUCCEEDED: "teal",
  FAILED: "red",
  CANCELED: "orange",
};
