import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { writeInterpretationReport } from "./report.ts";
import { formatConfusionMatrix, formatMostConfused } from "./report-text.ts";

const folder = temporaryFolder("runboard-report-");
afterAll(() => folder.remove());

describe("interpretation report", () => {
  it("writes the PNGs and a summary whose numbers follow from the predictions (no Grad-CAM asked)", async () => {
    await writeClassFolders(join(folder.path, "images"), { ant: 2, bee: 2 });
    const paths = ["ant/ant_000.png", "ant/ant_001.png", "bee/bee_000.png", "bee/bee_001.png"].map((p) => join(folder.path, "images", p));
    const outDir = join(folder.path, "report");
    const summary = await writeInterpretationReport({
      outDir,
      predictions: {
        classes: ["ant", "bee"],
        probabilities: [
          [0.9, 0.1],
          [0.2, 0.8],
          [0.3, 0.7],
          [0.6, 0.4],
        ],
        targets: [0, 0, 1, 1],
        paths,
      },
      top: 2,
      failures: [{ path: "broken.jpg", reason: "cannot be decoded" }],
    });
    expect(summary.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(summary.accuracy).toBe(0.5);
    expect(summary.mostConfused).toEqual([
      { actual: "ant", predicted: "bee", count: 1 },
      { actual: "bee", predicted: "ant", count: 1 },
    ]);
    expect(summary.topLosses.map((t) => t.path)).toEqual([paths[1], paths[3]]);
    expect(summary.gradCam).toEqual([]);
    expect(JSON.parse(readFileSync(join(outDir, "interpretation.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(summary)));
    expect((await sharp(join(outDir, "top-losses.png")).metadata()).format).toBe("png");
    expect((await sharp(join(outDir, "confusion.png")).metadata()).format).toBe("png");
  });

  it("validates its options", async () => {
    const predictions = { classes: ["a", "b"], probabilities: [[1, 0]], targets: [0] };
    await expect(writeInterpretationReport({ outDir: folder.path, predictions, top: 0 })).rejects.toThrow(/top must be an integer ≥ 1, got 0/);
    await expect(writeInterpretationReport({ outDir: folder.path, predictions: { ...predictions, probabilities: [], targets: [] } })).rejects.toThrow(
      /no validation items/,
    );
  });
});

describe("text", () => {
  it("aligns the matrix under numbered columns and lists confused pairs", () => {
    const text = formatConfusionMatrix(
      ["cat", "hippopotamus"],
      [
        [12, 3],
        [0, 101],
      ],
    ).split("\n");
    expect(text).toEqual(["actual \\ predicted    1   2", "1 cat                12   3", "2 hippopotamus        0 101"]);
    expect(formatMostConfused([])).toMatch(/none/);
    expect(formatMostConfused([{ actual: "cat", predicted: "dog", count: 2 }])).toContain("cat → dog: 2");
  });
});
