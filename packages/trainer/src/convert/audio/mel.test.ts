import { describe, expect, it } from "vitest";
import { hzToMel, melFilterbank, melFrequencies, melToHz, powerToDb } from "./mel.ts";

describe("mel scale", () => {
  it("Slaney: linear at 200/3 Hz per mel below 1 kHz, 27 mels per factor 6.4 above", () => {
    expect(hzToMel(500, false)).toBeCloseTo(7.5, 12);
    expect(hzToMel(1000, false)).toBeCloseTo(15, 12);
    expect(hzToMel(6400, false)).toBeCloseTo(15 + 27, 10);
    expect(hzToMel(1000, true)).toBeCloseTo(2595 * Math.log10(1 + 1000 / 700), 10);
  });

  it("mel → Hz inverts Hz → mel on both scales", () => {
    for (const hz of [0, 120, 999, 1000, 4321, 11025]) {
      expect(melToHz(hzToMel(hz, false), false)).toBeCloseTo(hz, 8);
      expect(melToHz(hzToMel(hz, true), true)).toBeCloseTo(hz, 8);
    }
  });

  it("mel frequencies run from fmin to fmax evenly in mel", () => {
    const hz = melFrequencies(10, 50, 8000, false);
    expect(hz[0]).toBeCloseTo(50, 8);
    expect(hz[9]).toBeCloseTo(8000, 6);
    const step = hzToMel(hz[1]!, false) - hzToMel(hz[0]!, false);
    expect(hzToMel(hz[7]!, false) - hzToMel(hz[6]!, false)).toBeCloseTo(step, 10);
  });
});

describe("melFilterbank", () => {
  const sampleRate = 22050;
  const nFft = 2048;
  const bins = nFft / 2 + 1;
  const hzPerBin = sampleRate / nFft;

  it("Slaney norm gives each triangle unit area in Hz (wide enough triangles)", () => {
    const weights = melFilterbank({ sampleRate, nFft, nMels: 40, fmin: 0, fmax: sampleRate / 2, htk: false, norm: "slaney" });
    for (const m of [10, 20, 39]) {
      let area = 0;
      for (let k = 0; k < bins; k++) area += weights[m * bins + k]! * hzPerBin;
      expect(area).toBeCloseTo(1, 1);
    }
  });

  it("without norm, triangles peak near 1 at their center frequency and are zero outside", () => {
    const nMels = 20;
    const weights = melFilterbank({ sampleRate, nFft, nMels, fmin: 0, fmax: sampleRate / 2, htk: true, norm: "none" });
    const edges = melFrequencies(nMels + 2, 0, sampleRate / 2, true);
    const m = 12;
    const centerBin = Math.round(edges[m + 1]! / hzPerBin);
    expect(weights[m * bins + centerBin]!).toBeGreaterThan(0.9);
    expect(weights[m * bins + Math.floor(edges[m]! / hzPerBin) - 1]).toBe(0);
    expect(weights[m * bins + Math.ceil(edges[m + 2]! / hzPerBin) + 1]).toBe(0);
  });
});

describe("powerToDb", () => {
  it("ref=max puts the loudest value at 0 dB and floors at -topDb", () => {
    const db = powerToDb(new Float64Array([1e-3, 1, 0.1, 1e-12, 0]), { ref: "max", amin: 1e-10, topDb: 80 });
    expect(Array.from(db)).toEqual([-30, 0, -10, -80, -80].map((value) => expect.closeTo(value, 10)));
  });

  it("a fixed reference and no top_db keep the full range down to amin", () => {
    const db = powerToDb(new Float64Array([100, 1e-12]), { ref: 1, amin: 1e-10, topDb: null });
    expect(db[0]).toBeCloseTo(20, 10);
    expect(db[1]).toBeCloseTo(-100, 10);
  });
});
