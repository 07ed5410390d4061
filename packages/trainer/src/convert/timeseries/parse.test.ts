import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../../data/repo-paths.ts";
import { parseLongCsv } from "./long-csv.ts";
import { parseUcr } from "./ucr.ts";
import { SeriesFormatError } from "./series.ts";

function failure(parse: () => unknown): SeriesFormatError {
  try {
    parse();
  } catch (error) {
    if (error instanceof SeriesFormatError) return error;
    throw error;
  }
  throw new Error("the parser accepted the file");
}

describe("parseUcr", () => {
  it("reads label then values, tab- or comma-separated, dropping trailing NaN padding", () => {
    const tsv = parseUcr("1\t0.5\t1.5\t2\n-1\t3\t4\t5\n", "a.tsv");
    expect(tsv.map((s) => [s.label, Array.from(s.channels[0]!)])).toEqual([
      ["1", [0.5, 1.5, 2]],
      ["-1", [3, 4, 5]],
    ]);
    const csv = parseUcr("a,1,2,3,NaN\r\nb,4,5,6,7\r\n", "b.csv");
    expect(Array.from(csv[0]!.channels[0]!)).toEqual([1, 2, 3]);
    expect(csv[1]!.channels[0]!.length).toBe(4);
  });

  it("names the file and line of a ragged series or a non-numeric value", () => {
    expect(failure(() => parseUcr("1\t1\t2\t3\n2\t1\t2\n", "set.tsv")).message).toBe("set.tsv:2: ragged series: 2 values where line 1 has 3");
    expect(failure(() => parseUcr("1\t1\t2\t3\n2\t1\tx\t3\n", "set.tsv")).message).toBe('set.tsv:2: value 2 is "x", not a finite number');
    expect(failure(() => parseUcr("\n", "empty.tsv")).message).toMatch(/no series/);
  });

  it("reads a real UCR file (GunPoint) when the shared data sets are present", async (context) => {
    const dir = findSharedDataset("ucr");
    if (dir === undefined) return context.skip("../shared/datasets/ucr is absent here");
    const path = join(dir, "GunPoint", "GunPoint_TRAIN.tsv");
    const series = parseUcr(await readFile(path, "utf8"), path);
    expect(series.length).toBe(50);
    expect(new Set(series.map((s) => s.label))).toEqual(new Set(["1", "2"]));
    series.forEach((s) => expect(s.channels[0]!.length).toBe(150));
  });
});

describe("parseLongCsv", () => {
  it("groups rows by id and channel, sorted by t", () => {
    const text = "id,t,value,channel,label\nb,1,20,x,up\na,1,2,y,down\na,0,1,x,down\na,1,3,x,down\na,0,5,y,down\nb,0,10,x,up\nb,0,0,y,up\nb,1,1,y,up\n";
    const series = parseLongCsv(text, "long.csv");
    expect(series.map((s) => [s.id, s.label, s.channels.map((c) => Array.from(c))])).toEqual([
      [
        "b",
        "up",
        [
          [10, 20],
          [0, 1],
        ],
      ],
      [
        "a",
        "down",
        [
          [1, 3],
          [5, 2],
        ],
      ],
    ]);
  });

  it("names the file and line of each kind of bad input", () => {
    const header = "id,t,value,channel\n";
    expect(failure(() => parseLongCsv(header + "a,0,1,x\na,1,oops,x\n", "s.csv")).message).toBe('s.csv:3: value is "oops", not a finite number');
    expect(failure(() => parseLongCsv(header + "a,0,1,x\na,zero,1,y\n", "s.csv")).message).toBe('s.csv:3: t is "zero", not a finite number');
    expect(failure(() => parseLongCsv(header + "a,0,1,x\na,1,1,x\na,0,1,y\n", "s.csv")).message).toMatch(
      /^s\.csv:4: ragged series: "a" channel "y" has 1 time stamps/,
    );
    expect(failure(() => parseLongCsv(header + "a,0,1,x\na,1,1,x\nb,0,1,x\n", "s.csv")).message).toMatch(
      /^s\.csv:4: ragged series: "b" has 1 time steps, most series have 2/,
    );
    expect(failure(() => parseLongCsv(header + "a,0,1,x\na,0,2,x\n", "s.csv")).message).toBe('s.csv:3: series "a" channel "x" repeats t=0');
    expect(failure(() => parseLongCsv("id,time,value\n", "s.csv")).message).toMatch(/^s\.csv:1: header has no "t" column/);
    expect(failure(() => parseLongCsv("id,t,value,label\na,0,1,p\na,1,1,q\n", "s.csv")).message).toMatch(/^s\.csv:3: series "a" has label "q"/);
  });
});

describe("tolerant parsing keeps the good series and lists the bad ones", () => {
  it("UCR: bad lines are failures, the rest are read", async () => {
    const { parseUcrTolerant } = await import("./ucr.ts");
    const { series, failures } = parseUcrTolerant("1\t1\t2\t3\n2\t1\t2\n1\t4\t5\t6\n2\t1\tx\t3\n", "set.tsv");
    expect(series.map((s) => s.id)).toEqual(["line1", "line3"]);
    expect(failures.map((f) => f.message)).toEqual(["set.tsv:2: ragged series: 2 values where line 1 has 3", 'set.tsv:4: value 2 is "x", not a finite number']);
  });

  it("long CSV: a series with a bad row or an unusual length is left out", async () => {
    const { parseLongCsvTolerant } = await import("./long-csv.ts");
    const text = "id,t,value\na,0,1\na,1,2\nb,0,1\nb,1,oops\nc,0,1\nc,1,1\nd,0,5\n";
    const { series, failures } = parseLongCsvTolerant(text, "s.csv");
    expect(series.map((s) => s.id)).toEqual(["a", "c"]);
    expect(failures.map((f) => f.message)).toEqual([
      's.csv:5: value is "oops", not a finite number',
      's.csv:8: ragged series: "d" has 1 time steps, most series have 2',
    ]);
  });
});
