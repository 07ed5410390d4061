import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageDataset } from "./dataset.ts";
import { readImageFolder } from "./folder-source.ts";
import { DataLoader, type Batch, type DataLoaderOptions } from "./loader.ts";
import { findSharedDataset } from "./repo-paths.ts";
import { splitTrainValid } from "./split.ts";
import { temporaryFolder, truncatedJpeg, writeClassFolders } from "./testing/images.ts";

const folder = temporaryFolder();
let dataset: ImageDataset;

beforeAll(async () => {
  await writeClassFolders(folder.path, { a: 6, b: 5, c: 4 });
  dataset = await readImageFolder(folder.path);
});
afterAll(() => folder.remove());

async function collect(options: Partial<DataLoaderOptions>, epoch = 0): Promise<Batch[]> {
  const loader = new DataLoader({ items: dataset.items, pipeline: { size: 16, augment: {} }, train: true, batchSize: 4, workers: 0, ...options });
  try {
    const batches: Batch[] = [];
    for await (const batch of loader.epoch(epoch)) batches.push(batch);
    return batches;
  } finally {
    await loader.close();
  }
}

describe("DataLoader", () => {
  it("yields [B,3,H,W] inputs with int64 labels of the right items; train drops the last partial batch", async () => {
    const batches = await collect({});
    expect(batches).toHaveLength(3);
    for (const batch of batches) {
      expect(batch.shape).toEqual([4, 3, 16, 16]);
      expect(batch.input).toHaveLength(4 * 3 * 16 * 16);
      expect([...batch.labels]).toEqual([...batch.indices].map((i) => BigInt(dataset.items[i]!.label)));
    }
    const valid = await collect({ train: false });
    expect(valid.map((b) => b.shape[0])).toEqual([4, 4, 4, 3]);
    expect(valid.flatMap((b) => [...b.indices])).toEqual(dataset.items.map((_, i) => i));
  });

  it("shuffles per epoch, reproducibly for a seed", async () => {
    const order = (batches: Batch[]) => batches.flatMap((b) => [...b.indices]);
    const epoch0 = order(await collect({ seed: 5 }, 0));
    expect(order(await collect({ seed: 5 }, 0))).toEqual(epoch0);
    expect(order(await collect({ seed: 5 }, 1))).not.toEqual(epoch0);
    expect(order(await collect({ seed: 6 }, 0))).not.toEqual(epoch0);
  });

  it("gives identical batches with 0, 1 or 2 worker threads", async () => {
    const split = splitTrainValid(dataset.items, { seed: 1, validPct: 0.3 });
    const options = { subset: split.train, seed: 11, prefetch: 3 };
    const inline = await collect({ ...options, workers: 0 }, 2);
    const one = await collect({ ...options, workers: 1 }, 2);
    const two = await collect({ ...options, workers: 2 }, 2);
    expect(inline.length).toBeGreaterThan(1);
    expect(one).toEqual(inline);
    expect(two).toEqual(inline);
    const otherEpoch = await collect({ ...options, workers: 2 }, 3);
    expect(otherEpoch[0]!.input).not.toEqual(inline[0]!.input);
  });

  it("surfaces a worker's decoding error with the file name", async () => {
    const broken = join(folder.path, "broken.jpg");
    await writeFile(broken, await truncatedJpeg());
    const items = [...dataset.items, { path: broken, relativePath: "a/broken.jpg", label: 0 }];
    const loader = new DataLoader({ items, subset: [0, items.length - 1], pipeline: { size: 8 }, train: false, batchSize: 2, workers: 1 });
    const run = async () => {
      for await (const batch of loader.epoch(0)) expect(batch).toBeDefined();
    };
    await expect(run()).rejects.toThrow(/preparing a\/broken\.jpg failed/);
    await loader.close();
  });

  it("shuts down cleanly, also when the consumer stops early", async () => {
    const loader = new DataLoader({ items: dataset.items, pipeline: { size: 16 }, train: true, batchSize: 2, workers: 2, prefetch: 4 });
    for await (const batch of loader.epoch(0)) {
      expect(batch.shape[0]).toBe(2);
      break;
    }
    await loader.close();
    await expect(loader.epoch(1).next()).rejects.toThrow(/closed/);
  });

  it("validates its options", () => {
    expect(() => new DataLoader({ items: dataset.items, pipeline: { size: 8 }, train: true, batchSize: 0, workers: 0 })).toThrow(
      /batchSize must be an integer >= 1/,
    );
    expect(() => new DataLoader({ items: dataset.items, subset: [99], pipeline: { size: 8 }, train: true, batchSize: 2, workers: 0 })).toThrow(
      /subset index 99/,
    );
    expect(
      () => new DataLoader({ items: dataset.items, pipeline: { size: 8, resize: { method: "stretch" as never } }, train: true, batchSize: 2, workers: 0 }),
    ).toThrow(/resize\.method must be one of/);
  });
});

describe("DataLoader on hymenoptera_data", () => {
  const root = findSharedDataset("hymenoptera_data");
  it("prepares augmented training batches with 2 workers", async ({ skip }) => {
    if (!root) return skip("skipped: ../shared/datasets/hymenoptera_data is absent");
    const hymenoptera = await readImageFolder(root as string, { verify: "header" });
    const split = splitTrainValid(hymenoptera.items);
    const loader = new DataLoader({
      items: hymenoptera.items,
      subset: split.train,
      pipeline: { size: 64, resize: { method: "random-resized-crop" }, augment: {} },
      train: true,
      batchSize: 16,
      workers: 2,
    });
    let seen = 0;
    for await (const batch of loader.epoch(0)) {
      expect(batch.input.every(Number.isFinite)).toBe(true);
      seen += batch.shape[0];
      if (seen >= 64) break;
    }
    await loader.close();
    expect(seen).toBe(64);
  });
});
