/** Quick checks on the real data sets in ../shared/datasets; skipped when they are absent. */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../data/repo-paths.ts";
import { decodeWav, resolveSpectrogramOptions, audioToImage } from "./audio/index.ts";
import { channelView } from "./image.ts";
import { parseUcr, resolveSeriesImageOptions, seriesToImage } from "./timeseries/index.ts";

describe("real FSDD recordings", () => {
  it("decode as 8 kHz mono and give a non-flat log-mel image", async (context) => {
    const dir = findSharedDataset("fsdd");
    if (dir === undefined) return context.skip("../shared/datasets/fsdd is absent here");
    const recordings = join(dir, "recordings");
    const files = (await readdir(recordings))
      .filter((name) => name.endsWith(".wav"))
      .sort()
      .slice(0, 5);
    expect(files).toHaveLength(5);
    const options = resolveSpectrogramOptions({ nFft: 256, hopLength: 64, nMels: 40, durationSeconds: 1, channels: "deltas" });
    for (const file of files) {
      const wav = decodeWav(await readFile(join(recordings, file)), file);
      expect(wav).toMatchObject({ sampleRate: 8000, channels: 1 });
      expect(wav.samples.length).toBeGreaterThan(1000);
      const image = audioToImage(wav.samples, wav.sampleRate, options);
      expect(image).toMatchObject({ channels: 3, height: 40, width: 1 + Math.floor(8000 / 64) });
      const mel = channelView(image, 0);
      expect(Math.max(...mel)).toBe(0);
      expect(Math.min(...mel)).toBeLessThan(-40); // speech has loud and quiet bands
    }
  });
});

describe("real UCR series", () => {
  it("GunPoint series become GASF/MTF images within their ranges", async (context) => {
    const dir = findSharedDataset("ucr");
    if (dir === undefined) return context.skip("../shared/datasets/ucr is absent here");
    const path = join(dir, "GunPoint", "GunPoint_TEST.tsv");
    const series = parseUcr(await readFile(path, "utf8"), path);
    expect(series).toHaveLength(150);
    const options = resolveSeriesImageOptions({ imageSize: 32, encodings: ["gasf", "mtf"] });
    for (const item of series.slice(0, 10)) {
      const image = seriesToImage(item.channels, options);
      const gasf = channelView(image, 0);
      const mtf = channelView(image, 1);
      expect(Math.min(...gasf)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...gasf)).toBeLessThanOrEqual(1);
      expect(Math.max(...mtf)).toBeLessThanOrEqual(1);
      expect(Math.min(...mtf)).toBeGreaterThanOrEqual(0);
    }
  });
});
