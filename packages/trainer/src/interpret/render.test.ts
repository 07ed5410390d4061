import sharp from "sharp";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { colorAt } from "./colormap.ts";
import { confusionMatrix } from "./confusion.ts";
import { resolvePredictions } from "./predictions.ts";
import { renderConfusionMatrix } from "./render-confusion.ts";
import { renderTopLosses } from "./render-top-losses.ts";
import { textRenders } from "./svg-text.ts";
import { topLosses } from "./top-losses.ts";

async function pixels(png: Buffer) {
  return sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

describe("confusion matrix PNG", () => {
  const matrix = confusionMatrix(
    resolvePredictions({
      classes: ["ants", "bees", "wasps"],
      probabilities: [
        [0.9, 0.1, 0],
        [0.2, 0.8, 0],
        [0.6, 0.4, 0],
        [0.1, 0.2, 0.7],
      ],
      targets: [0, 1, 1, 2],
    }),
  );

  it("paints each cell with the colour of its row share, at the reported size", async () => {
    const image = await renderConfusionMatrix(matrix, { cellSize: 40 });
    const { data, info } = await pixels(image.png);
    expect([info.width, info.height]).toEqual([image.width, image.height]);
    expect(image.labelled).toBe(await textRenders());
    // Cell (actual bees, predicted ants) holds half of its row; sample a corner away from the count text.
    const { left, top } = image.grid;
    const x = left + 0 * 40 + 3;
    const y = top + 1 * 40 + 3;
    const expected = [0, 0, 0];
    colorAt("blues", 0.5, expected);
    expect(Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3))).toEqual(expected);
  });

  it("validates the cell size", async () => {
    await expect(renderConfusionMatrix(matrix, { cellSize: 2 })).rejects.toThrow(/cellSize/);
  });

  it("is laid out to its content: no blank band wider than two lines of text, short names or long", async () => {
    const long = confusionMatrix(
      resolvePredictions({
        classes: ["a", "a class name longer than the labels may be"],
        probabilities: [
          [0.9, 0.1],
          [0.3, 0.7],
        ],
        targets: [0, 1],
      }),
    );
    for (const [m, fontSize] of [
      [matrix, 14],
      [long, 14],
    ] as const) {
      const image = await renderConfusionMatrix(m);
      const { data, info } = await pixels(image.png);
      const blank = (x: number, y: number) =>
        data[(y * info.width + x) * 3]! > 245 && data[(y * info.width + x) * 3 + 1]! > 245 && data[(y * info.width + x) * 3 + 2]! > 245;
      const blankRows = Array.from({ length: info.height }, (_, y) => Array.from({ length: info.width }, (_, x) => blank(x, y)).every(Boolean));
      const blankColumns = Array.from({ length: info.width }, (_, x) => Array.from({ length: info.height }, (_, y) => blank(x, y)).every(Boolean));
      expect(longestRun(blankRows)).toBeLessThanOrEqual(2 * fontSize);
      expect(longestRun(blankColumns)).toBeLessThanOrEqual(2 * fontSize);
    }
  });
});

/** The most consecutive true values. */
function longestRun(flags: boolean[]): number {
  let longest = 0;
  let run = 0;
  for (const flag of flags) {
    run = flag ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe("top losses PNG", () => {
  const dir = mkdtempSync(join(tmpdir(), "top-losses-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lays out one tile per item, readable or not", async () => {
    const red = join(dir, "red.png");
    writeFileSync(
      red,
      await sharp({ create: { width: 30, height: 20, channels: 3, background: "#f00" } })
        .png()
        .toBuffer(),
    );
    const notImage = join(dir, "broken.jpg");
    writeFileSync(notImage, "not an image");
    const predictions = resolvePredictions({
      classes: ["a", "b"],
      probabilities: [
        [0.9, 0.1],
        [0.3, 0.7],
        [0.6, 0.4],
      ],
      targets: [1, 1, 0],
      paths: [red, notImage, red],
    });
    const items = topLosses(predictions, { count: 3 });
    const image = await renderTopLosses(items, { tileSize: 64, columns: 2 });
    const { data, info } = await pixels(image.png);
    expect([info.width, info.height]).toEqual([image.width, image.height]);
    expect(image.width).toBe(2 * (64 + 8) + 8);
    // The first tile (largest loss: the red image) is red in its middle.
    const title = Math.max(10, Math.round(64 / 13)) * 2 + 4;
    const at = ((title + 32) * info.width + 8 + 32) * 3;
    expect(Array.from(data.subarray(at, at + 3))).toEqual([255, 0, 0]);
    await expect(renderTopLosses([])).rejects.toThrow(/at least one/);
  });
});
