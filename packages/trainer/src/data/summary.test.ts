import { describe, expect, it } from "vitest";
import type { ImageDataset } from "./dataset.ts";
import { splitTrainValid } from "./split.ts";
import { formatDatasetSummary, summarizeDataset } from "./summary.ts";

const item = (label: number, split: "train" | "valid") => ({ path: "", relativePath: `${split}/${label}`, label, split, sha256: "" });
const dataset: ImageDataset = {
  root: "/data",
  classes: ["ants", "bees"],
  items: [item(0, "train"), item(0, "train"), item(1, "train"), item(0, "valid"), item(1, "valid"), item(1, "valid")],
  skipped: [{ relativePath: "train/ants/x.txt", reason: "not an image file" }],
  contentHash: "ab".repeat(32),
};

describe("summarizeDataset", () => {
  it("counts each class per split and lists skipped files", () => {
    const summary = summarizeDataset(dataset, splitTrainValid(dataset.items));
    expect(summary.counts).toEqual({ ants: { train: 2, valid: 1 }, bees: { train: 1, valid: 2 } });
    expect([summary.train, summary.valid]).toEqual([3, 3]);
    const text = formatDatasetSummary(summary);
    expect(text.split("\n").slice(0, 4)).toEqual(["class  train  valid", "ants       2      1", "bees       1      2", "total      3      3"]);
    expect(text).toContain("skipped: 1\n  train/ants/x.txt: not an image file");
    expect(text).toContain(`content sha256: ${"ab".repeat(32)}`);
  });
});
