import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageDataset, readImageFolder, splitTrainValid } from "../data/index.ts";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { accuracy, type Callback, oneCycleSchedules } from "../learner/index.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { type ConcreteRecipe, resolveTrainingSpec, type Stage, type StageHooks, trainWithSpec, type TrainingInputs } from "./index.ts";

const folder = temporaryFolder("runboard-stages-");
let dataset: ImageDataset;

function inputsFor(callbacks: Callback[] = []): TrainingInputs {
  return {
    dataset,
    split: splitTrainValid(dataset.items, { validPct: 0.25, seed: 2 }),
    backbone: resnet18({ resolution: 16, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 11 }).model,
    normalization: "imagenet",
    metrics: [accuracy],
    workers: 0,
    session: { intraOpNumThreads: 1 },
    callbacks,
  };
}

/** Epochs and the first step's learning rates of every fit of the final run. */
function fitLog(): { callback: Callback; epochs: number[]; firstRates: number[][] } {
  const log = { epochs: [] as number[], firstRates: [] as number[][] };
  const callback: Callback = {
    name: "fitLog",
    beforeFit: (state) => void log.epochs.push(state.epochs),
    afterBatch: (state) => {
      if (state.training && state.trainIteration === 1) log.firstRates.push([...state.hyper.learningRates]);
    },
  };
  return { callback, ...log };
}

type SeenStage = Pick<Stage, "index" | "phase" | "epochs" | "fromEpoch" | "onFeatures">;

/** Hooks that note each stage and, given a folder, checkpoint the learner after each. */
function stageHooks(checkpoints?: string): StageHooks & { seen: SeenStage[] } {
  const seen: SeenStage[] = [];
  return {
    seen,
    beforeStage: ({ index, phase, epochs, fromEpoch, onFeatures }) => void seen.push({ index, phase, epochs, fromEpoch, onFeatures }),
    afterStage: (stage, learner) => {
      if (checkpoints) learner.trainer.saveCheckpoint(join(checkpoints, `after-${stage.index}.safetensors`));
    },
  };
}

beforeAll(async () => {
  await writeClassFolders(folder.path, { red: 8, green: 8, blue: 8 });
  dataset = await readImageFolder(folder.path);
});
afterAll(() => folder.remove());

describe("stages of the final run", () => {
  it("are announced around each fit, and a run resumed after a stage skips it and starts from its checkpoint", async () => {
    const spec = resolveTrainingSpec({ recipe: "FINE_TUNE", batchSize: 6, epochs: 1, freezeEpochs: 1, seed: 3 });
    const hooks = stageHooks(folder.path);
    const chosen: ConcreteRecipe[] = [];
    const first = await trainWithSpec(inputsFor(), spec, { hooks: { ...hooks, chosen: (recipe) => void chosen.push(recipe) } });
    await first.close();
    expect(chosen).toEqual(["FINE_TUNE"]);
    expect(hooks.seen).toEqual([
      { index: 0, phase: "frozen", epochs: 1, fromEpoch: 0, onFeatures: true },
      { index: 1, phase: "unfrozen", epochs: 1, fromEpoch: 0, onFeatures: false },
    ]);

    const fits = fitLog();
    const resumedHooks = stageHooks();
    const resumed = await trainWithSpec(inputsFor([fits.callback]), spec, {
      hooks: resumedHooks,
      resume: { recipe: "FINE_TUNE", settings: first.settings, stage: 1, epochInStage: 0, checkpointPath: join(folder.path, "after-0.safetensors") },
    });
    try {
      expect(resumedHooks.seen).toEqual([{ index: 1, phase: "unfrozen", epochs: 1, fromEpoch: 0, onFeatures: false }]);
      expect(fits.epochs).toEqual([1]);
    } finally {
      await resumed.close();
    }
  });

  it("continue a one-cycle fit at the epoch it stopped, on the same learning-rate curve", async () => {
    const spec = resolveTrainingSpec({ recipe: "FIT_ONE_CYCLE", batchSize: 6, epochs: 3, seed: 3 });
    const hooks = stageHooks(folder.path);
    const first = await trainWithSpec(inputsFor(), spec, { hooks });
    const peaks = first.learner.learningRates(first.settings.learningRate);
    await first.close();
    const fits = fitLog();
    const resumedHooks = stageHooks();
    const resumed = await trainWithSpec(inputsFor([fits.callback]), spec, {
      hooks: resumedHooks,
      resume: { recipe: "FIT_ONE_CYCLE", settings: first.settings, stage: 0, epochInStage: 2, checkpointPath: join(folder.path, "after-0.safetensors") },
    });
    try {
      expect(resumedHooks.seen).toEqual([{ index: 0, phase: "unfrozen", epochs: 3, fromEpoch: 2, onFeatures: false }]);
      expect(fits.epochs).toEqual([1]);
      const whole = oneCycleSchedules(peaks);
      expect(fits.firstRates[0]).toEqual(whole.learningRates.map((f) => f(2 / 3)));
    } finally {
      await resumed.close();
    }
  });

  it("resumed past the last stage, the run is its checkpoint", async () => {
    const spec = resolveTrainingSpec({ recipe: "LINEAR_PROBE", batchSize: 6, seed: 3 });
    const hooks = stageHooks(folder.path);
    const first = await trainWithSpec(inputsFor(), spec, { hooks });
    const before = await first.learner.validate();
    await first.close();
    expect(hooks.seen).toEqual([{ index: 0, phase: "probe", epochs: 0, fromEpoch: 0, onFeatures: true }]);
    const resumedHooks = stageHooks();
    const resumed = await trainWithSpec(inputsFor(), spec, {
      hooks: resumedHooks,
      resume: { recipe: "LINEAR_PROBE", settings: first.settings, stage: 1, epochInStage: 0, checkpointPath: join(folder.path, "after-0.safetensors") },
    });
    try {
      expect(resumedHooks.seen).toEqual([]);
      expect((await resumed.learner.validate()).loss).toBeCloseTo(before.loss, 6);
      expect(resumed.probe.validAccuracy).toBe(first.probe.validAccuracy);
    } finally {
      await resumed.close();
    }
  });

  it("refuse a checkpoint of another recipe than the spec names", async () => {
    const spec = resolveTrainingSpec({ recipe: "FROZEN_HEAD", batchSize: 6, seed: 3 });
    const settings = { epochs: 1, freezeEpochs: 0, learningRate: 1e-3, views: 1 };
    await expect(
      trainWithSpec(inputsFor(), spec, { resume: { recipe: "FIT_ONE_CYCLE", settings, stage: 0, epochInStage: 0, checkpointPath: "none" } }),
    ).rejects.toThrow(/checkpoint is of FIT_ONE_CYCLE/);
  });
});
