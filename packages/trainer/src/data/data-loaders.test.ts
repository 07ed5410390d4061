import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageDataLoaders } from "./data-loaders.ts";
import type { ImageDataset } from "./dataset.ts";
import { readImageFolder } from "./folder-source.ts";
import { temporaryFolder, writeClassFolders } from "./testing/images.ts";

const folder = temporaryFolder();
let dataset: ImageDataset;
beforeAll(async () => {
  await writeClassFolders(folder.path, { cat: 10, dog: 10 });
  dataset = await readImageFolder(folder.path);
});
afterAll(() => folder.remove());

describe("imageDataLoaders", () => {
  it("builds an augmented shuffled train loader and an ordered valid loader from a stratified split", async () => {
    const loaders = imageDataLoaders(dataset, { size: 12, batchSize: 5, workers: 0, seed: 3 });
    try {
      expect(loaders.split.valid).toHaveLength(4);
      expect(loaders.train.pipeline.augment).toBeDefined();
      expect(loaders.valid.pipeline.augment).toBeUndefined();
      expect([loaders.train.length, loaders.valid.length]).toEqual([3, 1]);
      const validIndices: number[] = [];
      for await (const batch of loaders.valid.epoch(0)) validIndices.push(...batch.indices);
      expect(validIndices).toEqual(loaders.split.valid);
      let trainItems = 0;
      for await (const batch of loaders.train.epoch(0)) trainItems += batch.shape[0];
      expect(trainItems).toBe(15);
    } finally {
      await loaders.close();
    }
  });
});
