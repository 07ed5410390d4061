/**
 * Long ("tidy") CSV: one observation per row, with a header naming the columns `id`, `t`,
 * `value`, and optionally `channel` and `label`. Rows of a series may come in any order; they
 * are sorted by t. Every channel of a series must have the same time stamps, every series the
 * same length, and a series one label; errors name the file and the line.
 */
import { parseCsv, type CsvRow } from "../../data/csv-parse.ts";
import { type LabeledSeries, SeriesFormatError, parseNumber } from "./series.ts";
import type { ParsedSeries } from "./ucr.ts";

interface Columns {
  id: number;
  t: number;
  value: number;
  channel: number | undefined;
  label: number | undefined;
}

interface Observation {
  t: number;
  value: number;
  line: number;
}

interface SeriesRows {
  firstLine: number;
  label: string | undefined;
  channels: Map<string, Observation[]>;
}

function findColumns(header: CsvRow, file: string): Columns {
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const column = (name: string): number | undefined => (names.includes(name) ? names.indexOf(name) : undefined);
  const required = (name: string): number => {
    const index = column(name);
    if (index === undefined) throw new SeriesFormatError(file, header.line, `header has no "${name}" column (needs id, t, value; optional channel, label)`);
    return index;
  };
  return { id: required("id"), t: required("t"), value: required("value"), channel: column("channel"), label: column("label") };
}

function field(row: CsvRow, index: number, name: string, file: string): string {
  const text = row.fields[index];
  if (text === undefined) throw new SeriesFormatError(file, row.line, `row has ${row.fields.length} fields, no "${name}" column`);
  return text.trim();
}

function numberField(row: CsvRow, index: number, name: string, file: string): number {
  const text = field(row, index, name, file);
  const value = parseNumber(text);
  if (value === undefined) throw new SeriesFormatError(file, row.line, `${name} is ${JSON.stringify(text)}, not a finite number`);
  return value;
}

interface Grouping {
  groups: Map<string, SeriesRows>;
  /** The first error of each series that has one; such a series is left out. */
  failedIds: Map<string, SeriesFormatError>;
  /** Rows that name no series at all. */
  rowFailures: SeriesFormatError[];
}

function addRow(row: CsvRow, id: string, columns: Columns, grouping: Grouping, file: string): void {
  const label = columns.label === undefined ? undefined : field(row, columns.label, "label", file);
  const channel = columns.channel === undefined ? "value" : field(row, columns.channel, "channel", file);
  const observation = { t: numberField(row, columns.t, "t", file), value: numberField(row, columns.value, "value", file), line: row.line };
  let group = grouping.groups.get(id);
  if (group === undefined) {
    group = { firstLine: row.line, label, channels: new Map() };
    grouping.groups.set(id, group);
  }
  if (group.label !== label)
    throw new SeriesFormatError(file, row.line, `series "${id}" has label "${label}" here but "${group.label}" on line ${group.firstLine}`);
  const observations = group.channels.get(channel) ?? [];
  observations.push(observation);
  group.channels.set(channel, observations);
}

function groupRows(rows: CsvRow[], columns: Columns, file: string): Grouping {
  const grouping: Grouping = { groups: new Map(), failedIds: new Map(), rowFailures: [] };
  for (const row of rows) {
    let id: string;
    try {
      id = field(row, columns.id, "id", file);
    } catch (error) {
      grouping.rowFailures.push(error as SeriesFormatError);
      continue;
    }
    try {
      addRow(row, id, columns, grouping, file);
    } catch (error) {
      if (!(error instanceof SeriesFormatError)) throw error;
      if (!grouping.failedIds.has(id)) grouping.failedIds.set(id, error);
    }
  }
  return grouping;
}

function toSeries(id: string, group: SeriesRows, channelNames: string[], file: string): LabeledSeries {
  const channels: Float64Array[] = [];
  let times: number[] | undefined;
  for (const name of channelNames) {
    const observations = group.channels.get(name);
    if (observations === undefined) throw new SeriesFormatError(file, group.firstLine, `ragged series: "${id}" has no rows for channel "${name}"`);
    observations.sort((a, b) => a.t - b.t);
    observations.forEach((o, i) => {
      if (i > 0 && o.t === observations[i - 1]!.t) throw new SeriesFormatError(file, o.line, `series "${id}" channel "${name}" repeats t=${o.t}`);
    });
    const channelTimes = observations.map((o) => o.t);
    times ??= channelTimes;
    const mismatch = channelTimes.findIndex((t, i) => t !== times![i]);
    if (channelTimes.length !== times.length || mismatch >= 0) {
      const line = observations[mismatch >= 0 ? mismatch : 0]!.line;
      throw new SeriesFormatError(
        file,
        line,
        `ragged series: "${id}" channel "${name}" has ${channelTimes.length} time stamps, not the same as channel "${channelNames[0]}" (${times.length})`,
      );
    }
    channels.push(Float64Array.from(observations, (o) => o.value));
  }
  return { id, label: group.label, channels };
}

function mostCommonLength(series: LabeledSeries[]): number {
  const counts = new Map<number, number>();
  for (const item of series) counts.set(item.channels[0]!.length, (counts.get(item.channels[0]!.length) ?? 0) + 1);
  // Ties go to the length seen first (Map keeps insertion order, and the sort is stable).
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

function readHeader(text: string, file: string): { rows: CsvRow[]; columns: Columns } {
  let rows: CsvRow[];
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new SeriesFormatError(file, 1, (error as Error).message);
  }
  const header = rows[0];
  if (header === undefined) throw new SeriesFormatError(file, 1, "the file is empty (needs a header: id, t, value)");
  return { rows: rows.slice(1), columns: findColumns(header, file) };
}

/**
 * Reads every series it can. A series with a bad row, channels of different time stamps or a
 * length unlike most others is a failure naming the file and line; the rest are read.
 */
export function parseLongCsvTolerant(text: string, file: string): ParsedSeries {
  const { rows, columns } = readHeader(text, file);
  const { groups, failedIds, rowFailures } = groupRows(rows, columns, file);
  const failures = [...rowFailures, ...failedIds.values()];
  const channelNames = [...new Set([...groups.values()].flatMap((group) => [...group.channels.keys()]))].sort();
  const series: LabeledSeries[] = [];
  for (const [id, group] of groups) {
    if (failedIds.has(id)) continue;
    try {
      series.push(toSeries(id, group, channelNames, file));
    } catch (error) {
      if (!(error instanceof SeriesFormatError)) throw error;
      failures.push(error);
    }
  }
  if (series.length === 0) return { series, failures: failures.length > 0 ? failures : [new SeriesFormatError(file, 1, "no rows after the header")] };
  const length = mostCommonLength(series);
  const kept = series.filter((item) => {
    if (item.channels[0]!.length === length) return true;
    failures.push(
      new SeriesFormatError(
        file,
        groups.get(item.id)!.firstLine,
        `ragged series: "${item.id}" has ${item.channels[0]!.length} time steps, most series have ${length}`,
      ),
    );
    return false;
  });
  return { series: kept, failures: failures.sort((a, b) => a.line - b.line) };
}

/** Strict: the first problem (by line) is an error. */
export function parseLongCsv(text: string, file: string): LabeledSeries[] {
  const { series, failures } = parseLongCsvTolerant(text, file);
  if (failures[0] !== undefined) throw failures[0];
  return series;
}
