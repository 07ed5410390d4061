import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageDataset, readImageFolder, splitTrainValid } from "../data/index.ts";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { accuracy } from "../learner/index.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { type AutoReport, autoSelect, type CandidateReport, oneStandardError } from "./auto.ts";
import { RECIPES, resolveTrainingSpec, trainWithSpec, type TrainingInputs } from "./index.ts";
import { Workbench } from "./workbench.ts";

const SIZE = 16;
const folder = temporaryFolder("runboard-recipes-");
let dataset: ImageDataset;

function inputsFor(data: ImageDataset, log: string[] = []): TrainingInputs {
  return {
    dataset: data, split: splitTrainValid(data.items, { validPct: 0.25, seed: 2 }),
    backbone: resnet18({ resolution: SIZE, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 11 }).model,
    normalization: "imagenet", metrics: [accuracy], workers: 0, session: { intraOpNumThreads: 1 }, log: (line) => log.push(line),
  };
}

beforeAll(async () => {
  await writeClassFolders(folder.path, { red: 12, green: 12, blue: 12 });
  dataset = await readImageFolder(folder.path);
});
afterAll(() => folder.remove());

describe("resolveTrainingSpec", () => {
  it("fills the defaults: AUTO, batch 64, seed 42", () => {
    expect(resolveTrainingSpec({})).toMatchObject({ recipe: "AUTO", batchSize: 64, seed: 42, views: 1, epochs: 1 });
  });

  it("names the field and the rule", () => {
    expect(() => resolveTrainingSpec({ recipe: "FINETUNE" })).toThrow(/^recipe must be one of AUTO, LINEAR_PROBE, LP_FT, FINE_TUNE, FIT_ONE_CYCLE, FROZEN_HEAD, got "FINETUNE"/);
    expect(() => resolveTrainingSpec({ epochs: 0 })).toThrow(/^epochs must be an integer ≥ 1 and ≤ 10000, got 0/);
    expect(() => resolveTrainingSpec({ learningRate: -1 })).toThrow(/^learningRate must be a number > 0/);
    expect(() => resolveTrainingSpec({ batchSize: 2.5 })).toThrow(/^batchSize must be an integer/);
    expect(() => resolveTrainingSpec({ views: 100 })).toThrow(/^views must be an integer ≥ 1 and ≤ 64, got 100/);
    expect(() => resolveTrainingSpec({ epoch: 3 } as never)).toThrow(/^epoch is not a training setting/);
  });
});

describe("trainWithSpec", () => {
  it.each(RECIPES.filter((r) => r !== "AUTO"))("%s trains a classifier and reports the probe beside it", async (recipe) => {
    const spec = resolveTrainingSpec({ recipe, batchSize: 9, epochs: 1, seed: 3 });
    const outcome = await trainWithSpec(inputsFor(dataset), spec);
    try {
      expect(outcome.recipe).toBe(recipe);
      const result = await outcome.learner.validate();
      expect(Number.isFinite(result.loss)).toBe(true);
      expect(outcome.probe.validAccuracy).toBeGreaterThan(0.6);
      if (recipe === "LINEAR_PROBE") {
        // The probe written into the classifier predicts what the probe itself predicts.
        expect(result.metrics.accuracy).toBeCloseTo(outcome.probe.validAccuracy, 5);
      }
    } finally {
      await outcome.close();
    }
  });

  it("AUTO records every candidate, chooses one, and retrains it on the whole training split", async () => {
    const log: string[] = [];
    const outcome = await trainWithSpec(inputsFor(dataset, log), resolveTrainingSpec({ recipe: "AUTO", batchSize: 9, seed: 3, budgetSeconds: 600 }));
    try {
      expect(outcome.auto!.candidates.length).toBeGreaterThanOrEqual(2);
      expect(outcome.auto!.candidates.every((c) => c.heldBackAccuracy !== undefined || c.skipped)).toBe(true);
      expect(outcome.recipe).toBe(outcome.auto!.winner.recipe);
      expect(log.some((line) => line.startsWith("AUTO: chose"))).toBe(true);
    } finally {
      await outcome.close();
    }
  });

  it("AUTO never reads the validation split: missing files and wrong labels there change nothing", async () => {
    const clean = inputsFor(dataset);
    const validItems = new Set(clean.split.valid);
    const poisoned: ImageDataset = {
      ...dataset,
      items: dataset.items.map((item, i) => (validItems.has(i) ? { ...item, path: `${item.path}.missing`, label: (item.label + 1) % 3, sha256: "0" } : item)),
    };
    const spec = resolveTrainingSpec({ recipe: "AUTO", batchSize: 9, seed: 3, budgetSeconds: 600 });
    const reports: AutoReport[] = [];
    for (const inputs of [clean, { ...inputsFor(poisoned), split: clean.split }]) {
      const bench = new Workbench(inputs, spec);
      try {
        reports.push((await autoSelect(bench, inputs.split)).report);
      } finally {
        await bench.release();
      }
    }
    const scores = (r: (typeof reports)[number]) => r.candidates.map((c) => [c.recipe, c.heldBackAccuracy]);
    expect(scores(reports[1]!)).toEqual(scores(reports[0]!));
    expect(reports[1]!.winner).toEqual(reports[0]!.winner);
  });
});

describe("oneStandardError", () => {
  const candidate = (recipe: CandidateReport["recipe"], heldBackAccuracy: number): CandidateReport => ({ recipe, heldBackAccuracy, seconds: 1, settings: { epochs: 2, freezeEpochs: 0, learningRate: 1e-4, views: 1 } });

  it("keeps the cheaper candidate when the better one wins by less than the held-back slice's noise", () => {
    // 20 held back: p = 0.9, SE = √(0.9·0.1/20) ≈ 6.7 points.
    const { chosen, reason } = oneStandardError([candidate("LINEAR_PROBE", 0.85), candidate("LP_FT", 0.9)], 20);
    expect(chosen.recipe).toBe("LINEAR_PROBE");
    expect(reason).toMatch(/within one standard error/);
  });

  it("takes the costlier candidate when it wins by more than one standard error", () => {
    // 400 held back: SE ≈ 1.5 points.
    expect(oneStandardError([candidate("LINEAR_PROBE", 0.85), candidate("LP_FT", 0.9)], 400).chosen.recipe).toBe("LP_FT");
  });

  it("counts one item as the error of a perfect score", () => {
    expect(oneStandardError([candidate("LINEAR_PROBE", 0.95), candidate("LP_FT", 1)], 20).chosen.recipe).toBe("LINEAR_PROBE");
    expect(oneStandardError([candidate("LINEAR_PROBE", 0.9), candidate("LP_FT", 1)], 20).chosen.recipe).toBe("LP_FT");
  });
});
