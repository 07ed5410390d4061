/**
 * The UCR archive's text format: one series per line, the class label first, then the values,
 * separated by tabs (UCR 2018 .tsv) or commas (older .csv). Variable-length sets pad with NaN
 * at the end; those trailing NaNs are dropped. Every line must hold as many fields as the
 * first, and every value must be a number.
 */
import { type LabeledSeries, SeriesFormatError, parseNumber } from "./series.ts";

function splitFields(line: string): string[] {
  return line.includes("\t") ? line.split("\t") : line.split(",");
}

function parseValues(fields: string[], file: string, lineNumber: number): Float64Array {
  let end = fields.length;
  while (end > 1 && fields[end - 1]!.trim().toLowerCase() === "nan") end--;
  const values = new Float64Array(end - 1);
  for (let i = 1; i < end; i++) {
    const value = parseNumber(fields[i]!);
    if (value === undefined) {
      throw new SeriesFormatError(file, lineNumber, `value ${i} is ${JSON.stringify(fields[i])}, not a finite number`);
    }
    values[i - 1] = value;
  }
  return values;
}

export function parseUcr(text: string, file: string): LabeledSeries[] {
  const series: LabeledSeries[] = [];
  let expectedFields: number | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const lineNumber = index + 1;
    const fields = splitFields(line);
    expectedFields ??= fields.length;
    if (fields.length !== expectedFields) {
      throw new SeriesFormatError(
        file,
        lineNumber,
        `ragged series: ${fields.length - 1} values where line ${lines.findIndex((l) => l.trim() !== "") + 1} has ${expectedFields - 1}`,
      );
    }
    const label = fields[0]!.trim();
    if (label === "") throw new SeriesFormatError(file, lineNumber, "the label (first field) is empty");
    const values = parseValues(fields, file, lineNumber);
    if (values.length < 2) throw new SeriesFormatError(file, lineNumber, "a series needs at least 2 values");
    series.push({ id: String(series.length), label, channels: [values] });
  });
  if (series.length === 0) throw new SeriesFormatError(file, 1, "no series in the file");
  return series;
}
