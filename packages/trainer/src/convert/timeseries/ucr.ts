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

export interface ParsedSeries {
  series: LabeledSeries[];
  /** Lines or series that could not be read, each with its reason; the rest were read. */
  failures: SeriesFormatError[];
}

function parseLine(line: string, lineNumber: number, expectedFields: number, firstLine: number, file: string): LabeledSeries {
  const fields = splitFields(line);
  if (fields.length !== expectedFields) {
    throw new SeriesFormatError(file, lineNumber, `ragged series: ${fields.length - 1} values where line ${firstLine} has ${expectedFields - 1}`);
  }
  const label = fields[0]!.trim();
  if (label === "") throw new SeriesFormatError(file, lineNumber, "the label (first field) is empty");
  const values = parseValues(fields, file, lineNumber);
  if (values.length < 2) throw new SeriesFormatError(file, lineNumber, "a series needs at least 2 values");
  return { id: `line${lineNumber}`, label, channels: [values] };
}

/** Reads every line it can; a bad line is a failure naming the file and line, not the end. */
export function parseUcrTolerant(text: string, file: string): ParsedSeries {
  const result: ParsedSeries = { series: [], failures: [] };
  const lines = text.split(/\r?\n/);
  const firstIndex = lines.findIndex((line) => line.trim() !== "");
  if (firstIndex < 0) return { series: [], failures: [new SeriesFormatError(file, 1, "no series in the file")] };
  const expectedFields = splitFields(lines[firstIndex]!).length;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      result.series.push(parseLine(line, index + 1, expectedFields, firstIndex + 1, file));
    } catch (error) {
      if (!(error instanceof SeriesFormatError)) throw error;
      result.failures.push(error);
    }
  });
  return result;
}

/** Strict: the first bad line is an error. */
export function parseUcr(text: string, file: string): LabeledSeries[] {
  const { series, failures } = parseUcrTolerant(text, file);
  if (failures[0] !== undefined) throw failures[0];
  return series;
}
