/** A time series as read from a file: one or more channels of equal length, maybe labelled. */
export interface LabeledSeries {
  /** The row number (UCR) or the id column (long CSV). */
  id: string;
  label: string | undefined;
  /** channels[c][t]; all the same length. */
  channels: Float64Array[];
}

export class SeriesFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    rule: string,
  ) {
    super(`${file}:${line}: ${rule}`);
    this.name = "SeriesFormatError";
  }
}

/** A strictly parsed finite number (no empty fields, no "12abc"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
