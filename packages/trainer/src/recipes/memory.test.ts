import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { DataLoader, type ImageDataset, readImageFolder, splitTrainValid } from "../data/index.ts";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { accuracy } from "../learner/index.ts";
import { createClassifier } from "../models/head/index.ts";
import { mobilenetV2, resnet18 } from "../models/synthetic/index.ts";
import { fitBatchSize, formatBytes, memoryBudget, parseByteSize, trainingMemory } from "./memory.ts";
import { resolveTrainingSpec, trainWithSpec, type TrainingInputs } from "./index.ts";
import { Workbench } from "./workbench.ts";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe("parseByteSize", () => {
  it.each([
    ["512m", 512 * MiB],
    ["4g", 4 * GiB],
    ["4GB", 4 * GiB],
    ["4 GiB", 4 * GiB],
    ["1.5g", 1.5 * GiB],
    ["2048k", 2 * MiB],
    ["1t", 2 ** 40],
    ["1048576", MiB],
    ["100b", 100],
  ])("%s is %d bytes", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(["", "g", "4x", "-1g", "4gbb", "4ib", "four gigabytes", "1e9"])("refuses '%s', naming the flag", (text) => {
    expect(() => parseByteSize(text)).toThrow(`--max-memory must be a size such as 512m, 4g or 4GB, got '${text}'`);
  });

  it("refuses a size under one byte", () => {
    expect(() => parseByteSize("0.1b")).toThrow("--max-memory must be at least 1 byte, got '0.1b'");
  });

  it("is the train command's --max-memory, whose errors name the flag", async () => {
    const run = async (value: string) => {
      let stderr = "";
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
      try {
        return { status: await main(["train", "no-such-folder", "--max-memory", value]), stderr };
      } finally {
        process.stderr.write = write;
      }
    };
    expect(await run("4 gigs")).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("--max-memory must be a size such as 512m, 4g or 4GB, got '4 gigs'"),
    });
    expect(await run("1k")).toMatchObject({ status: 2, stderr: expect.stringContaining("--max-memory must be between 1m and 1024t, got '1k'") });
  });
});

describe("formatBytes", () => {
  it("reads as the flags do, in powers of 1024", () => {
    expect(formatBytes(2 * GiB)).toBe("2.0 GB");
    expect(formatBytes(512 * MiB)).toBe("512.0 MB");
    expect(formatBytes(100)).toBe("100 B");
  });
});

describe("the memory model", () => {
  const classifier = createClassifier(mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model, { classes: 3, seed: 1 });
  const memory = trainingMemory(classifier);

  it("counts the parameters and the activations per image of the graph", () => {
    let floats = 0;
    for (const tensor of classifier.model.graph.initializers.values()) if (tensor.dataType === "float32") floats += tensor.data.length;
    expect(memory.parameterBytes).toBe(4 * floats);
    // At least the input image and the feature map, per image.
    const [channels, height, width] = classifier.featureShape;
    expect(memory.activationBytesPerImage).toBeGreaterThan(4 * (3 * 32 * 32 + channels * height * width));
    expect(memory.peakBytes(1)).toBe(memory.fixedBytes + memory.perImageBytes);
  });

  it("grows with the batch and with the input size", () => {
    expect(memory.peakBytes(2)).toBeGreaterThan(memory.peakBytes(1));
    expect(memory.peakBytes(64) - memory.peakBytes(32)).toBeCloseTo(32 * memory.perImageBytes, 0);
    const larger = trainingMemory(classifier.atSize([64, 64]));
    expect(larger.activationBytesPerImage).toBeGreaterThan(3.5 * memory.activationBytesPerImage);
    expect(larger.peakBytes(8)).toBeGreaterThan(memory.peakBytes(8));
    expect(larger.parameterBytes).toBe(memory.parameterBytes);
  });

  it("leaves the classifier's graph as it was", () => {
    const fresh = createClassifier(mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model, { classes: 3, seed: 1 });
    const before = fresh.model.graph.valueInfo.size;
    trainingMemory(fresh);
    expect(fresh.model.graph.valueInfo.size).toBe(before);
  });

  it("never gives a smaller batch for a larger budget, and never more than asked", () => {
    let previous = 0;
    for (let budget = memory.peakBytes(1); budget < memory.peakBytes(80); budget += memory.perImageBytes / 3) {
      const { batchSize, estimatedPeakBytes } = fitBatchSize(memory, 64, budget);
      expect(batchSize).toBeGreaterThanOrEqual(previous);
      expect(batchSize).toBeLessThanOrEqual(64);
      expect(estimatedPeakBytes).toBeLessThanOrEqual(budget);
      previous = batchSize;
    }
    expect(previous).toBe(64);
  });

  it("takes the largest batch that fits, and says so only when it lowers the batch", () => {
    const lowered = fitBatchSize(memory, 64, memory.peakBytes(24) + memory.perImageBytes / 2);
    expect(lowered.batchSize).toBe(24);
    expect(lowered.note).toBe(
      `batch 64 → 24 to fit the ${formatBytes(memory.peakBytes(24) + memory.perImageBytes / 2)} memory budget (estimated peak ${formatBytes(memory.peakBytes(24))}; at 64: ${formatBytes(memory.peakBytes(64))})`,
    );
    expect(fitBatchSize(memory, 16, memory.peakBytes(24)).note).toBeUndefined();
  });

  it("gives batch 1 on a budget just above one image, and names the setting when even that does not fit", () => {
    expect(fitBatchSize(memory, 64, memory.peakBytes(1)).batchSize).toBe(1);
    expect(() => fitBatchSize(memory, 64, memory.peakBytes(1) - 1)).toThrow(
      /^maxMemoryBytes of .* is too small: training this model needs an estimated .* at batch 1$/,
    );
    expect(() => fitBatchSize(memory, 64, MiB)).toThrow(/^maxMemoryBytes of 1\.0 MB is too small/);
  });

  it("budgets half of the machine unless the spec says", () => {
    expect(memoryBudget(resolveTrainingSpec({ maxMemoryBytes: 3 * GiB }))).toBe(3 * GiB);
    expect(resolveTrainingSpec({}).maxMemoryBytes).toBeUndefined();
    expect(() => resolveTrainingSpec({ maxMemoryBytes: 1000 })).toThrow(/^maxMemoryBytes must be an integer ≥ 1048576/);
  });
});

describe("trainWithSpec under a memory budget", () => {
  const SIZE = 16;
  const folder = temporaryFolder("runboard-memory-");
  let dataset: ImageDataset;

  beforeAll(async () => {
    await writeClassFolders(folder.path, { red: 8, green: 8, blue: 8 });
    dataset = await readImageFolder(folder.path);
  });
  afterAll(() => folder.remove());

  it("trains with the largest batch that fits, and logs the lowering", async () => {
    const log: string[] = [];
    const inputs: TrainingInputs = {
      dataset,
      split: splitTrainValid(dataset.items, { validPct: 0.25, seed: 2 }),
      backbone: resnet18({ resolution: SIZE, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 11 }).model,
      normalization: "imagenet",
      metrics: [accuracy],
      workers: 0,
      session: { intraOpNumThreads: 1 },
      log: (line) => log.push(line),
    };
    const unbounded = resolveTrainingSpec({ recipe: "FIT_ONE_CYCLE", batchSize: 9, epochs: 1, seed: 3 });
    const memory = trainingMemory(new Workbench(inputs, unbounded).classifier("fastai"));
    const spec = { ...unbounded, maxMemoryBytes: Math.ceil(memory.peakBytes(4)) };
    const outcome = await trainWithSpec(inputs, spec);
    try {
      const train = outcome.learner.data.train;
      expect(train).toBeInstanceOf(DataLoader);
      expect((train as DataLoader).batchSize).toBe(4);
      // One epoch of whole batches of 4 (the training loader drops the last partial one, as fastai's).
      expect(outcome.learner.recorder.losses.length).toBe(Math.floor(inputs.split.train.length / 4));
      expect(log.filter((line) => line.startsWith("batch 9 → 4 to fit the "))).toHaveLength(1);
    } finally {
      await outcome.close();
    }
  });
});
