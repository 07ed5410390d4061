/** A few real CamVid pairs from ../shared/datasets/camvid, in its own layout; skipped when absent. */
import { mkdir, readdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findSharedDataset } from "../repo-paths.ts";
import { temporaryFolder } from "../testing/images.ts";
import { camvidClasses } from "./classes.ts";
import { readSegmentationFolder } from "./folder.ts";
import { preparePairFiles, resolveSegmentationPipeline } from "./pipeline.ts";
import { splitSegmentation, summarizeSegmentation } from "./summary.ts";

const folder = temporaryFolder("runboard-camvid-");
afterAll(() => folder.remove());

/** Links the first `count` pairs of each split into a folder with CamVid's layout. */
async function camvidSample(root: string, count: number): Promise<string> {
  const sample = join(folder.path, "camvid");
  for (const part of ["train", "val"]) {
    const names = (await readdir(join(root, part, "images")))
      .filter((n) => n.endsWith(".jpg"))
      .sort()
      .slice(0, count);
    for (const sub of ["images", "labels"]) await mkdir(join(sample, part, sub), { recursive: true });
    for (const name of names) {
      const stem = name.slice(0, -4);
      await symlink(join(root, part, "images", name), join(sample, part, "images", name));
      await symlink(join(root, part, "labels", `${stem}.png`), join(sample, part, "labels", `${stem}.png`));
    }
  }
  return sample;
}

describe("CamVid as it is stored", () => {
  it("reads train/ and val/ pairs with the 11 classes and void at 11, and prepares them at a smaller size", async ({ skip }) => {
    const root = findSharedDataset("camvid");
    if (!root) return skip("skipped: ../shared/datasets/camvid is absent");
    const dataset = await readSegmentationFolder(await camvidSample(root, 3), { classes: camvidClasses });
    expect(dataset.skipped).toEqual([]);
    expect(dataset.items).toHaveLength(6);
    expect(dataset.items.map((i) => i.split)).toEqual(["train", "train", "train", "valid", "valid", "valid"]);
    for (const item of dataset.items) {
      expect(item).toMatchObject({ width: 480, height: 360 });
      expect(item.pixelCounts.reduce((a, b) => a + b, 0) + item.ignoredPixels).toBe(480 * 360);
    }
    const summary = summarizeSegmentation(dataset, splitSegmentation(dataset));
    const share = (name: string) => summary.classes.find((c) => c.name === name)!.fraction;
    // street scenes: road, sky and building hold most pixels
    expect(share("Road") + share("Sky") + share("Building")).toBeGreaterThan(0.5);
    const pipeline = resolveSegmentationPipeline({ size: { width: 240, height: 180 }, resize: { method: "squish" }, augment: {}, classes: camvidClasses });
    const pair = await preparePairFiles(dataset.items[0]!, pipeline, true, 3);
    expect(pair.mask).toMatchObject({ width: 240, height: 180 });
    expect(Math.max(...pair.mask.data)).toBeLessThanOrEqual(11);
  });
});
