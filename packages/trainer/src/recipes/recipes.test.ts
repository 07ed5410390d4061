import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageDataset, readImageFolder, splitTrainValid } from "../data/index.ts";
import { temporaryFolder, writeClassFolders, writeImage } from "../data/testing/images.ts";
import { Random } from "../data/random.ts";
import { accuracy } from "../learner/index.ts";
import { mobilenetV2, resnet18 } from "../models/synthetic/index.ts";
import {
  type AutoReport,
  autoSelect,
  type CandidateReport,
  chooseProbeFeatures,
  KFOLD_MAX_ITEMS,
  oneStandardError,
  SELECTION_FOLDS,
  selectionFolds,
} from "./auto.ts";
import { RECIPES, resolveTrainingSpec, trainWithSpec, type TrainingInputs } from "./index.ts";
import { probeAccuracy } from "../probe/index.ts";
import { Workbench } from "./workbench.ts";

const SIZE = 16;
const folder = temporaryFolder("runboard-recipes-");
let dataset: ImageDataset;

function inputsFor(data: ImageDataset, log: string[] = []): TrainingInputs {
  return {
    dataset: data,
    split: splitTrainValid(data.items, { validPct: 0.25, seed: 2 }),
    backbone: resnet18({ resolution: SIZE, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 11 }).model,
    normalization: "imagenet",
    metrics: [accuracy],
    workers: 0,
    session: { intraOpNumThreads: 1 },
    log: (line) => log.push(line),
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
    expect(() => resolveTrainingSpec({ recipe: "FINETUNE" })).toThrow(
      /^recipe must be one of AUTO, LINEAR_PROBE, LP_FT, FINE_TUNE, FIT_ONE_CYCLE, FROZEN_HEAD, got "FINETUNE"/,
    );
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
      expect(outcome.auto!.candidates.every((c) => c.selectionAccuracy !== undefined || c.skipped)).toBe(true);
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
    const scores = (r: (typeof reports)[number]) => r.candidates.map((c) => [c.recipe, c.selectionAccuracy]);
    expect(scores(reports[1]!)).toEqual(scores(reports[0]!));
    expect(reports[1]!.winner).toEqual(reports[0]!.winner);
  }, 300_000); // two whole AUTO selections, each scoring every candidate by 5-fold cross-validation
});

describe("probe features", () => {
  // Two classes told apart only by where a bright patch is (top left or bottom right): the
  // average over a whole map hardly sees it, a 2×2 grid over the early maps does.
  const where = temporaryFolder("runboard-where-");
  let placed: ImageDataset;
  beforeAll(async () => {
    const random = new Random(5);
    for (const [c, name] of ["bottom_right", "top_left"].entries()) {
      for (let i = 0; i < 24; i++) {
        const x0 = (c === 1 ? 4 : 18) + Math.floor(random.uniform(0, 6));
        const y0 = (c === 1 ? 4 : 18) + Math.floor(random.uniform(0, 6));
        const noise = Array.from({ length: 32 * 32 }, () => 60 + Math.round(random.uniform(-30, 30)));
        await writeImage(
          `${where.path}/${name}/${i}.png`,
          {
            width: 32,
            height: 32,
            channels: 3,
            pixel: (x, y) => (x >= x0 && x < x0 + 6 && y >= y0 && y < y0 + 6 ? [230, 230, 230] : [noise[y * 32 + x]!, noise[y * 32 + x]!, noise[y * 32 + x]!]),
          },
          { format: "png" },
        );
      }
    }
    placed = await readImageFolder(where.path);
  });
  afterAll(() => where.remove());

  const placedInputs = (log: string[] = []): TrainingInputs => ({
    dataset: placed,
    split: splitTrainValid(placed.items, { validPct: 0.25, seed: 2 }),
    backbone: mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model,
    inputSize: [32, 32],
    augment: false,
    normalization: "imagenet",
    metrics: [accuracy],
    workers: 0,
    session: { intraOpNumThreads: 1 },
    log: (line) => log.push(line),
  });

  it("AUTO tries each kind of probe features by cross-validation and keeps the narrowest within one standard error of the best", async () => {
    const spec = resolveTrainingSpec({ recipe: "AUTO", batchSize: 8, seed: 3, budgetSeconds: 600 });
    const inputs = placedInputs();
    const bench = new Workbench(inputs, spec);
    try {
      const train = inputs.split.train;
      const { tried, chosen } = await chooseProbeFeatures(bench, train, 1, train, 600, 0.001);
      // STAGES_GRID is tried only when STAGES scored at least as well as LAST.
      const ladder = tried[1]!.cvAccuracy >= tried[0]!.cvAccuracy ? ["LAST", "STAGES", "STAGES_GRID"] : ["LAST", "STAGES"];
      expect(tried.map((t) => t.features)).toEqual(ladder);
      expect(tried.every((t, i) => i === 0 || t.width > tried[i - 1]!.width)).toBe(true);
      const best = Math.max(...tried.map((t) => t.cvAccuracy));
      const n = train.length;
      const standardError = Math.sqrt(Math.max(best * (1 - best), 1 / n) / n);
      expect(chosen).toBe(tried.find((t) => t.cvAccuracy >= best - standardError)!.features);
    } finally {
      await bench.release();
    }
  });

  it("LINEAR_PROBE on STAGES_GRID features: the classifier predicts what the probe does", async () => {
    const inputs = placedInputs();
    const spec = resolveTrainingSpec({ recipe: "LINEAR_PROBE", features: "STAGES_GRID", batchSize: 8, seed: 3 });
    const outcome = await trainWithSpec(inputs, spec);
    const bench = new Workbench(inputs, spec);
    try {
      expect(outcome.settings.features).toBe("STAGES_GRID");
      const result = await outcome.learner.validate();
      const probe = await bench.probe(inputs.split.train, 1, inputs.split.train, "STAGES_GRID");
      const own = probeAccuracy(probe.probe, await bench.probeRows(inputs.split.valid, 1, inputs.split.valid, "STAGES_GRID"));
      expect(result.metrics.accuracy).toBeCloseTo(own, 5);
      expect(own).toBeGreaterThan(0.9);
    } finally {
      await bench.release();
      await outcome.close();
    }
  });

  it("refuses an unknown kind of features, naming the field", () => {
    expect(() => resolveTrainingSpec({ features: "all" })).toThrow(/^features must be one of LAST, STAGES, STAGES_GRID, got "all"/);
  });
});

describe("selectionFolds", () => {
  const items = Array.from({ length: 2400 }, (_, i) => ({ label: i % 3 }));
  const train = items.map((_, i) => i).filter((i) => i % 5 !== 0);

  it("scores every item of a small training split once, by a fit that never saw it, in 5 stratified folds", () => {
    const small = train.slice(0, 240);
    const { method, folds } = selectionFolds(items, small, 7);
    expect(method).toBe("k-fold");
    expect(folds).toHaveLength(SELECTION_FOLDS);
    const scored = folds.flatMap((fold) => fold.valid).sort((a, b) => a - b);
    expect(scored).toEqual(small);
    for (const fold of folds) {
      expect(fold.train.filter((i) => fold.valid.includes(i))).toEqual([]);
      expect([...fold.train, ...fold.valid].sort((a, b) => a - b)).toEqual(small);
      // Stratified: each class is a third of the held-out part, give or take one.
      for (const label of [0, 1, 2])
        expect(Math.abs(fold.valid.filter((i) => items[i]!.label === label).length - fold.valid.length / 3)).toBeLessThanOrEqual(1);
    }
  });

  it("holds back one stratified fifth of a large training split", () => {
    expect(train.length).toBeGreaterThan(KFOLD_MAX_ITEMS);
    const { method, folds } = selectionFolds(items, train, 7);
    expect(method).toBe("held-back");
    expect(folds).toHaveLength(1);
    expect(folds[0]!.valid.length).toBe(Math.round(train.length * 0.2));
    expect([...folds[0]!.train, ...folds[0]!.valid].sort((a, b) => a - b)).toEqual(train);
  });

  it("refuses a training split too small to cross-validate", () => {
    expect(() => selectionFolds(items, [4], 7)).toThrow(/needs at least 2 images; it has 1/);
  });

  it("ignores the data set's own folds and splits", () => {
    const withFolds = items.map((item, i) => ({ ...item, fold: i % 2, split: "train" as const }));
    const { folds } = selectionFolds(withFolds, train.slice(0, 100), 7);
    expect(folds).toHaveLength(SELECTION_FOLDS);
    expect(folds.flatMap((fold) => fold.valid).sort((a, b) => a - b)).toEqual(train.slice(0, 100));
  });
});

describe("oneStandardError", () => {
  const candidate = (recipe: CandidateReport["recipe"], selectionAccuracy: number): CandidateReport => ({
    recipe,
    selectionAccuracy,
    seconds: 1,
    settings: { epochs: 2, freezeEpochs: 0, learningRate: 1e-4, views: 1 },
  });

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
