import { describe, expect, it } from "vitest";
import { channelView } from "../image.ts";
import { seriesChannelScales, seriesToImage } from "./encode.ts";
import { gramianAngularField, rescaleToUnitRange } from "./gaf.ts";
import { binIndices, markovTransitionField, quantileEdges, transitionMatrix } from "./mtf.ts";
import { resolveSeriesImageOptions } from "./options.ts";
import { paa } from "./paa.ts";
import { recurrencePlot } from "./recurrence.ts";

const series = Float64Array.from([1, 3, 2, 5, 4, 0, 2.5, 3.5]);

describe("paa", () => {
  it("takes block means when the length divides evenly", () => {
    expect(Array.from(paa(series, 4))).toEqual([2, 3.5, 2, 3]);
  });
  it("weighs samples by overlap otherwise, keeping the overall mean", () => {
    const reduced = paa(series, 3);
    const mean = series.reduce((a, b) => a + b, 0) / series.length;
    expect(reduced.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(mean, 12);
    expect(reduced[0]).toBeCloseTo((1 + 3 + (2 * 2) / 3) / (8 / 3), 12);
  });
  it("stretches a short series piecewise constant", () => {
    expect(Array.from(paa([1, 2], 4))).toEqual([1, 1, 2, 2]);
  });
});

describe("Gramian angular fields", () => {
  const min = 0;
  const max = 5;
  const angles = Array.from(series, (x) => Math.acos((2 * (x - min)) / (max - min) - 1));

  it("GASF[i][j] = cos(φi + φj) with φ = arccos of the series rescaled to [-1, 1]", () => {
    const field = gramianAngularField(rescaleToUnitRange(series), "summation");
    angles.forEach((phiI, i) => angles.forEach((phiJ, j) => expect(field[i * 8 + j]).toBeCloseTo(Math.cos(phiI + phiJ), 6)));
  });

  it("GADF[i][j] = sin(φi − φj): antisymmetric, zero diagonal", () => {
    const field = gramianAngularField(rescaleToUnitRange(series), "difference");
    angles.forEach((phiI, i) => angles.forEach((phiJ, j) => expect(field[i * 8 + j]).toBeCloseTo(Math.sin(phiI - phiJ), 6)));
  });

  it("rescales a constant series to zeros instead of dividing by zero", () => {
    expect(Array.from(rescaleToUnitRange([4, 4, 4]))).toEqual([0, 0, 0]);
  });
});

describe("Markov transition field", () => {
  it("quantile bins hold equal counts and the transition matrix rows sum to 1", () => {
    const values = Float64Array.from({ length: 400 }, (_, t) => Math.sin(t / 7) + 0.3 * Math.sin(t * 1.3));
    const bins = 8;
    const binOf = binIndices(values, quantileEdges(values, bins));
    const counts = new Array<number>(bins).fill(0);
    binOf.forEach((bin) => counts[bin]!++);
    counts.forEach((count) => expect(count).toBe(50));
    const matrix = transitionMatrix(binOf, bins);
    for (let from = 0; from < bins; from++) {
      expect(matrix.subarray(from * bins, (from + 1) * bins).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it("at full size, MTF[i][j] is the transition probability from bin(x_i) to bin(x_j)", () => {
    const values = [0, 1, 0, 1, 1, 0];
    // Two bins: 0s and 1s. Steps: 0→1, 1→0, 0→1, 1→1, 1→0: from 0 always to 1; from 1 to 0 twice, to 1 once.
    const field = markovTransitionField(values, 6, 2);
    const expected = [
      [0, 1],
      [2 / 3, 1 / 3],
    ];
    values.forEach((a, i) => values.forEach((b, j) => expect(field[i * 6 + j]).toBeCloseTo(expected[a]![b]!, 6)));
  });

  it("reduced to the image size by block means", () => {
    const values = [0, 1, 0, 1, 1, 0];
    const full = markovTransitionField(values, 6, 2);
    const half = markovTransitionField(values, 3, 2);
    const block = (a: number, b: number): number =>
      (full[2 * a * 6 + 2 * b]! + full[2 * a * 6 + 2 * b + 1]! + full[(2 * a + 1) * 6 + 2 * b]! + full[(2 * a + 1) * 6 + 2 * b + 1]!) / 4;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(half[a * 3 + b]).toBeCloseTo(block(a, b), 6);
  });
});

describe("recurrence plot", () => {
  it("unthresholded: the distance matrix, symmetric with a zero diagonal", () => {
    const plot = recurrencePlot(series, null);
    for (let i = 0; i < 8; i++) {
      expect(plot[i * 8 + i]).toBe(0);
      for (let j = 0; j < 8; j++) {
        expect(plot[i * 8 + j]).toBe(plot[j * 8 + i]);
        expect(plot[i * 8 + j]).toBeCloseTo(Math.abs(series[i]! - series[j]!), 6);
      }
    }
  });
  it("thresholded: 1 where points recur within ε, so the diagonal is 1", () => {
    const plot = recurrencePlot(series, { distance: 0.5 });
    expect(plot[0]).toBe(1);
    expect(plot[2 * 8 + 6]).toBe(1); // |2 − 2.5| ≤ 0.5
    expect(plot[0 * 8 + 3]).toBe(0); // |1 − 5| > 0.5
    const fraction = recurrencePlot(series, { fractionOfMax: 0.2 }); // ε = 1
    expect(fraction[0 * 8 + 2]).toBe(1);
    expect(fraction[0 * 8 + 1]).toBe(0);
  });
});

describe("seriesToImage", () => {
  it("stacks every encoding of every channel, channel-major", () => {
    const second = series.map((x) => -x);
    const options = resolveSeriesImageOptions({ imageSize: 4, encodings: ["gasf", "recurrence"] });
    const image = seriesToImage([series, second], options);
    expect(image).toMatchObject({ channels: 4, height: 4, width: 4 });
    const reduced = paa(series, 4);
    expect(Array.from(channelView(image, 1))).toEqual(Array.from(recurrencePlot(reduced, null)));
    expect(Array.from(channelView(image, 2))).toEqual(Array.from(gramianAngularField(rescaleToUnitRange(paa(second, 4)), "summation")));
    expect(seriesChannelScales(2, options)).toEqual([
      { kind: "fixed", min: -1, max: 1 },
      { kind: "minmax" },
      { kind: "fixed", min: -1, max: 1 },
      { kind: "minmax" },
    ]);
  });

  it("rejects bad options and series naming the problem", () => {
    expect(() => resolveSeriesImageOptions({ encodings: ["wavelet" as never] })).toThrow(/encodings must hold only gasf, gadf, mtf, recurrence/);
    expect(() => resolveSeriesImageOptions({ imageSize: 1 })).toThrow(/imageSize must be an integer from 2 to 1024/);
    expect(() => resolveSeriesImageOptions({ recurrenceThreshold: { fractionOfMax: 2 } })).toThrow(/fractionOfMax must be in \[0, 1\]/);
    expect(() => seriesToImage([Float64Array.from([1])], resolveSeriesImageOptions())).toThrow(/at least 2 are needed/);
  });
});
