import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { errorMap, renderIouBars } from "./interpretation.ts";

describe("segmentation interpretation pictures", () => {
  it("error map: wrong pixels red, right ones a dimmed grey of the image, void black", () => {
    const image = Uint8Array.from([90, 120, 150, 10, 20, 30, 200, 200, 200, 60, 60, 60]);
    const truth = Uint8Array.from([0, 1, 255, 2]);
    const predicted = Uint8Array.from([0, 2, 1, 255]);
    expect(Array.from(errorMap(image, predicted, truth, 255))).toEqual([60, 60, 60, 230, 30, 30, 0, 0, 0, 0, 0, 0]);
  });

  it("IoU bars: each class's bar in its colour, as long as its IoU, absent classes without one", async () => {
    const colours: [number, number, number][] = [
      [255, 0, 0],
      [0, 0, 255],
      [0, 255, 0],
    ];
    const rendered = await renderIouBars(["a", "bb", "ccc"], [0.5, 1, Number.NaN], colours, "IoU");
    const { data, info } = await sharp(rendered.png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([rendered.width, rendered.height]);
    const rowLength = (y: number, colour: [number, number, number]) => {
      let n = 0;
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * info.channels;
        if (data[i] === colour[0] && data[i + 1] === colour[1] && data[i + 2] === colour[2]) n++;
      }
      return n;
    };
    // Rows are 22 pixels from y = 34; sample the middle of each bar.
    expect(rowLength(34 + 11, colours[0]!)).toBe(160);
    expect(rowLength(34 + 22 + 11, colours[1]!)).toBe(320);
    expect(rowLength(34 + 44 + 11, colours[2]!)).toBe(0);
  });
});
