import { describe, expect, it } from "vitest";
import { chartCategory, chartKeys, emaSmooth, groupParams, scoreKey, stageSpans, transferStory } from "./run-story.ts";

const params = [
  { key: "transfer.backbone", value: "mobilenet-v2-imagenet" },
  { key: "transfer.recipe", value: "FINE_TUNE" },
  { key: "auto.chosen", value: "FINE_TUNE" },
  { key: "auto.reason", value: "FINE_TUNE scored 0.91 vs the probe's 0.84" },
  { key: "transfer.stage_1.phase", value: "unfrozen" },
  { key: "transfer.stage_1.epochs", value: 3 },
  { key: "transfer.stage_1.lr_group_1", value: 0.001 },
  { key: "transfer.stage_1.lr_group_0", value: 0.0001 },
  { key: "transfer.stage_0.phase", value: "frozen" },
  { key: "transfer.stage_0.epochs", value: 1 },
  { key: "transfer.stage_0.lr_group_0", value: 0.002 },
  { key: "data.classes", value: 2 },
  { key: "worker.device", value: "cpu" },
  { key: "lr", value: 0.01 },
  { key: "transfer.stage_10.epochs", value: 0 },
];

describe("transferStory", () => {
  it("reads the backbone, AUTO's choice and reason, and the stages in order", () => {
    const story = transferStory(params, { recipe: "AUTO" }, "arch");
    expect(story.backbone).toBe("mobilenet-v2-imagenet");
    expect(story.recipe).toBe("FINE_TUNE");
    expect(story.launchedRecipe).toBe("AUTO");
    expect(story.autoReason).toBe("FINE_TUNE scored 0.91 vs the probe's 0.84");
    expect(story.stages.map((stage) => [stage.index, stage.phase, stage.epochs, stage.learningRates])).toEqual([
      [0, "frozen", 1, [0.002]],
      [1, "unfrozen", 3, [0.0001, 0.001]],
      [10, "", 0, []],
    ]);
  });

  it("falls back to the architecture and the launched recipe", () => {
    const story = transferStory([{ key: "recipe", value: "LP_FT" }], {}, "resnet18");
    expect(story).toMatchObject({ backbone: "resnet18", recipe: "LP_FT", launchedRecipe: null, autoReason: null, stages: [] });
    expect(transferStory([], null, null)).toMatchObject({ backbone: null, recipe: null });
  });
});

describe("stageSpans", () => {
  const stages = transferStory(params, null, null).stages;

  it("reads the phase metric when it was logged", () => {
    const phase = [
      { step: 9, value: 0 },
      { step: 19, value: 1 },
      { step: 29, value: 1 },
    ];
    expect(stageSpans(phase, stages, [])).toEqual([
      { phase: "frozen", from: 0, to: 9 },
      { phase: "unfrozen", from: 10, to: 29 },
    ]);
  });

  it("else places the stage params' epochs on the steps at which epochs ended", () => {
    expect(stageSpans([], stages, [39, 9, 19, 29])).toEqual([
      { phase: "frozen", from: 0, to: 9 },
      { phase: "unfrozen", from: 10, to: 39 },
    ]);
    // the unfrozen stage is still training: it runs to the last epoch that ended
    expect(stageSpans([], stages, [9, 19])).toEqual([
      { phase: "frozen", from: 0, to: 9 },
      { phase: "unfrozen", from: 10, to: 19 },
    ]);
    expect(stageSpans([], stages, [9])).toEqual([{ phase: "frozen", from: 0, to: 9 }]);
    expect(stageSpans([], stages, [])).toEqual([]);
  });
});

describe("groupParams", () => {
  it("puts transfer.*, auto.*, data.* first, other prefixes next and keys without one last", () => {
    const groups = groupParams(params);
    expect(groups.map((group) => group.name)).toEqual(["transfer", "auto", "data", "worker", "other"]);
    expect(groups[0]!.params.map((param) => param.key).slice(0, 4)).toEqual([
      "transfer.backbone",
      "transfer.recipe",
      "transfer.stage_0.epochs",
      "transfer.stage_0.lr_group_0",
    ]);
    expect(groups.at(-1)!.params).toEqual([{ key: "lr", value: 0.01 }]);
  });
});

describe("chartKeys and scoreKey", () => {
  it("orders losses, metrics, learning rates, training and system, without phase and probe_accuracy", () => {
    const keys = ["system/cpu_percent", "lr_group_10", "lr_group_2", "accuracy", "phase", "probe_accuracy", "train_loss", "momentum", "lr", "valid_loss"];
    expect(chartKeys(keys)).toEqual(["train_loss", "valid_loss", "accuracy", "lr", "lr_group_2", "lr_group_10", "momentum", "system/cpu_percent"]);
  });

  it("tells learning rates from keys that merely contain lr", () => {
    expect(["group0/lr", "learning_rate", "lr_group_1", "lrelu_mean", "valid_loss", "system/gpu0_utilization_percent"].map(chartCategory)).toEqual([
      "learning rate",
      "learning rate",
      "learning rate",
      "metric",
      "loss",
      "system",
    ]);
  });

  it("picks accuracy, then valid_accuracy, then another accuracy key, never the probe's", () => {
    expect(scoreKey(["valid_accuracy", "accuracy", "probe_accuracy"])).toBe("accuracy");
    expect(scoreKey(["probe_accuracy", "valid_accuracy"])).toBe("valid_accuracy");
    expect(scoreKey(["probe_accuracy", "train_accuracy", "top5_accuracy"])).toBe("top5_accuracy");
    expect(scoreKey(["probe_accuracy", "loss"])).toBeNull();
  });
});

describe("emaSmooth", () => {
  it("is TensorBoard's debiased EMA; weight 0 leaves the values", () => {
    expect(emaSmooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const smoothed = emaSmooth([1, 3, null, 5], 0.5) as number[];
    // debiased: the first value is itself, not pulled toward 0
    expect(smoothed[0]).toBeCloseTo(1);
    expect(smoothed[1]).toBeCloseTo((0.5 * 0.5 * 1 + 0.5 * 3) / 0.75);
    expect(smoothed[2]).toBeNull();
    expect(smoothed[3]).toBeCloseTo((0.5 * (0.25 + 1.5) + 0.5 * 5) / 0.875);
    // a constant series stays constant
    expect(emaSmooth([2, 2, 2, 2], 0.9).every((value) => Math.abs(value! - 2) < 1e-12)).toBe(true);
  });
});
