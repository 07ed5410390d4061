/** The confusion matrix and the most confused pairs as plain text, for a terminal. */
import type { ConfusedPair } from "./confusion.ts";

/** Rows are actual classes, columns predicted (numbered as the rows are). */
export function formatConfusionMatrix(classes: readonly string[], counts: readonly (readonly number[])[]): string {
  const labels = classes.map((name, c) => `${c + 1} ${name}`);
  const left = Math.max("actual \\ predicted".length, ...labels.map((l) => l.length));
  const width = Math.max(...counts.flat().map((c) => String(c).length), String(classes.length).length) + 1;
  const header = `${"actual \\ predicted".padEnd(left)} ${classes.map((_, c) => String(c + 1).padStart(width)).join("")}`;
  const rows = labels.map((label, r) => `${label.padEnd(left)} ${counts[r]!.map((count) => String(count).padStart(width)).join("")}`);
  return [header, ...rows].join("\n");
}

export function formatMostConfused(pairs: readonly ConfusedPair[]): string {
  if (pairs.length === 0) return "most confused: none (every validation item is on the diagonal)";
  const width = Math.max(...pairs.map((p) => p.actual.length));
  return ["most confused (actual → predicted: count):", ...pairs.map((p) => `  ${p.actual.padEnd(width)} → ${p.predicted}: ${p.count}`)].join("\n");
}
