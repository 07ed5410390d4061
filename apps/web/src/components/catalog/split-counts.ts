/** Dataset splitCounts ({split: {class: count}}) as a class × split table, validated. */
export interface ClassCounts {
  splits: string[];
  rows: Array<{ className: string; counts: number[] }>;
  totals: number[];
}

export function classCounts(splitCounts: unknown, classNames: readonly string[]): ClassCounts {
  const bySplit = typeof splitCounts === "object" && splitCounts !== null && !Array.isArray(splitCounts) ? (splitCounts as Record<string, unknown>) : {};
  const splits = Object.keys(bySplit).sort((a, b) => (a === "train" ? -1 : b === "train" ? 1 : a.localeCompare(b)));
  const countOf = (split: string, className: string) => {
    const classes = bySplit[split];
    const value = typeof classes === "object" && classes !== null ? (classes as Record<string, unknown>)[className] : undefined;
    return typeof value === "number" ? value : 0;
  };
  const names = [...new Set([...classNames, ...splits.flatMap((split) => Object.keys((bySplit[split] as object | null) ?? {}))])];
  const rows = names.map((className) => ({ className, counts: splits.map((split) => countOf(split, className)) }));
  const totals = splits.map((_, i) => rows.reduce((sum, row) => sum + (row.counts[i] ?? 0), 0));
  return { splits, rows, totals };
}
