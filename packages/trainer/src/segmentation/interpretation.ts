/**
 * Interpretation of a segmentation model on its validation images, from the exported file: the
 * class maps at each image's own size against its true mask give the pixel confusion matrix
 * (confusion.png, interpret/'s renderer), the IoU per class as bars (iou.png) and the k images
 * with the lowest mean IoU, each as image / truth / prediction / error (worst.png), plus
 * interpretation.json with the numbers.
 */
import { mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import sharp, { type OverlayOptions } from "sharp";
import { defaultFileLimits } from "../data/dataset.ts";
import type { ClassList } from "../data/segmentation/classes.ts";
import type { SegmentationItem } from "../data/segmentation/dataset.ts";
import { decodeMask } from "../data/segmentation/mask.ts";
import { overlayMask, readRgb, SegmentationPredictor } from "../export/segmentation.ts";
import { renderConfusionMatrix, type RenderedImage } from "../interpret/render-confusion.ts";
import { clip, svgDocument, svgText, textRenders } from "../interpret/svg-text.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { PixelConfusion, segmentationMetrics } from "./metrics.ts";

export interface SegmentationInterpretationOptions {
  modelPath: string;
  /** The validation items (image and mask paths). */
  items: readonly Pick<SegmentationItem, "path" | "maskPath">[];
  classes: ClassList;
  outDir: string;
  /** How many of the worst images to show (default 6). */
  worst?: number;
  session?: SessionOptions;
}

export interface WorstImage {
  path: string;
  /** Mean over the classes present in the image's truth or prediction. */
  meanIou: number;
  pixelAccuracy: number;
}

export interface SegmentationInterpretation {
  images: number;
  pixelAccuracy: number;
  meanIou: number;
  /** Per class name; null where the class is neither true nor predicted anywhere. */
  iou: Record<string, number | null>;
  /** counts[truth][predicted], pixels at the images' own sizes, void left out. */
  confusion: number[][];
  worst: WorstImage[];
  files: string[];
  /** False when no font rendered the labels here. */
  labelled: boolean;
}

const TEXT_WIDTH = 0.62;

/** The IoU of each class as a horizontal bar in its colour, the value beside it. */
export async function renderIouBars(names: readonly string[], iou: readonly number[], colours: ClassList["colours"], title: string): Promise<RenderedImage> {
  const font = 13;
  const row = 22;
  const labelWidth = Math.ceil(Math.max(...names.map((n) => clip(n, 24).length)) * font * TEXT_WIDTH) + 12;
  const barWidth = 320;
  const top = 34;
  const width = labelWidth + barWidth + 70;
  const height = top + row * names.length + 10;
  const pixels = Buffer.alloc(width * height * 3, 255);
  iou.forEach((value, c) => {
    const length = Number.isNaN(value) ? 0 : Math.round(value * barWidth);
    const colour = colours[c] ?? [128, 128, 128];
    for (let y = top + c * row + 4; y < top + (c + 1) * row - 4; y++) {
      for (let x = labelWidth; x < labelWidth + length; x++) pixels.set(colour, (y * width + x) * 3);
      // The full scale as a thin grey line.
      pixels.set([200, 200, 200], (y * width + labelWidth + barWidth) * 3);
    }
  });
  const labelled = await textRenders();
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (labelled) {
    const texts = [svgText(width / 2, 20, title, { size: font + 1, anchor: "middle", weight: "bold" })];
    names.forEach((name, c) => {
      const y = top + c * row + row / 2 + font * 0.35;
      texts.push(svgText(labelWidth - 6, y, clip(name, 24), { size: font, anchor: "end" }));
      const value = iou[c]!;
      const x = labelWidth + (Number.isNaN(value) ? 0 : Math.round(value * barWidth)) + 6;
      texts.push(svgText(x, y, Number.isNaN(value) ? "–" : `${(value * 100).toFixed(1)}%`, { size: font }));
    });
    image = image.composite([{ input: svgDocument(width, height, texts.join("")), left: 0, top: 0 }]);
  }
  return { png: await image.png().toBuffer(), width, height, labelled };
}

/** Wrong pixels red, right ones a dimmed grey of the image, void black. */
export function errorMap(image: Uint8Array, predicted: Uint8Array, truth: Uint8Array, ignoreIndex: number): Uint8Array {
  const out = new Uint8Array(image.length);
  truth.forEach((t, i) => {
    if (t === ignoreIndex || predicted[i] === ignoreIndex) return;
    if (t !== predicted[i]) out.set([230, 30, 30], i * 3);
    else {
      const grey = Math.round((image[i * 3]! + image[i * 3 + 1]! + image[i * 3 + 2]!) / 6);
      out.set([grey, grey, grey], i * 3);
    }
  });
  return out;
}

interface Shown {
  path: string;
  meanIou: number;
  pixelAccuracy: number;
  size: { width: number; height: number };
  predicted: Uint8Array;
  truth: Uint8Array;
}

async function renderWorst(shown: readonly Shown[], classes: ClassList): Promise<RenderedImage> {
  const tile = 240;
  const gap = 8;
  const font = 13;
  const caption = font + 8;
  const header = 28;
  const heights = shown.map((s) => Math.max(1, Math.round((tile * s.size.height) / s.size.width)));
  const width = 4 * (tile + gap) + gap;
  const height = header + heights.reduce((sum, h) => sum + h + caption + gap, 0);
  const layers: OverlayOptions[] = [];
  const texts = [svgText(width / 2, 18, "image / truth / prediction / error (red: wrong)", { size: font + 1, anchor: "middle", weight: "bold" })];
  let top = header;
  for (const [n, s] of shown.entries()) {
    const image = await readRgb(s.path);
    const panels = [
      image.data,
      overlayMask(image.data, s.truth, classes),
      overlayMask(image.data, s.predicted, classes),
      errorMap(image.data, s.predicted, s.truth, classes.ignoreIndex),
    ];
    for (const [k, rgb] of panels.entries()) {
      const input = await sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { ...s.size, channels: 3 } })
        .resize(tile, heights[n]!, { fit: "fill", kernel: k === 0 ? "lanczos3" : "nearest" })
        .png()
        .toBuffer();
      layers.push({ input, left: gap + k * (tile + gap), top: top + caption });
    }
    texts.push(
      svgText(
        gap,
        top + font + 2,
        clip(`${basename(s.path)}: mean IoU ${(s.meanIou * 100).toFixed(1)}%, pixel accuracy ${(s.pixelAccuracy * 100).toFixed(1)}%`, 90),
        { size: font },
      ),
    );
    top += caption + heights[n]! + gap;
  }
  const labelled = await textRenders();
  if (labelled) layers.push({ input: svgDocument(width, height, texts.join("")), left: 0, top: 0 });
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(layers)
    .png()
    .toBuffer();
  return { png, width, height, labelled };
}

export async function interpretSegmentation(options: SegmentationInterpretationOptions): Promise<SegmentationInterpretation> {
  const { classes, outDir } = options;
  const k = options.worst ?? 6;
  if (!Number.isInteger(k) || k < 0) throw new Error(`worst must be an integer ≥ 0, got ${k}`);
  if (options.items.length === 0) throw new Error("items: no validation images to interpret");
  mkdirSync(outDir, { recursive: true });
  const predictor = await SegmentationPredictor.load(options.modelPath, options.session);
  const total = new PixelConfusion(classes.names.length, classes.ignoreIndex);
  const scored: Shown[] = [];
  try {
    for (const item of options.items) {
      const prediction = await predictor.predictFile(item.path);
      const mask = await decodeMask(await readFile(item.maskPath), { classes, maxPixels: defaultFileLimits.maxPixels });
      if (mask.width !== prediction.size.width || mask.height !== prediction.size.height) {
        throw new Error(`${item.maskPath}: mask is ${mask.width}×${mask.height} but the image is ${prediction.size.width}×${prediction.size.height}`);
      }
      // Pixels the resize left out (a crop) are not judged.
      const truth = Uint8Array.from(mask.data, (t, i) => (prediction.classMap[i] === classes.ignoreIndex ? classes.ignoreIndex : t));
      const own = new PixelConfusion(classes.names.length, classes.ignoreIndex).add(prediction.classMap, truth);
      total.add(prediction.classMap, truth);
      const metrics = segmentationMetrics(own);
      scored.push({
        path: item.path,
        meanIou: metrics.meanIoU,
        pixelAccuracy: metrics.pixelAccuracy,
        size: prediction.size,
        predicted: prediction.classMap,
        truth,
      });
    }
  } finally {
    await predictor.release();
  }
  const metrics = segmentationMetrics(total);
  const confusion = total.matrix();
  const normalized = confusion.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (sum === 0 ? 0 : c / sum));
  });
  const worst = scored
    .filter((s) => !Number.isNaN(s.meanIou))
    .sort((a, b) => a.meanIou - b.meanIou)
    .slice(0, k);
  const files: string[] = [];
  const write = async (name: string, image: RenderedImage) => {
    await writeFile(join(outDir, name), image.png);
    files.push(name);
    return image.labelled;
  };
  let labelled = await write(
    "iou.png",
    await renderIouBars(classes.names, metrics.iou, classes.colours, `IoU per class (validation, mean ${(metrics.meanIoU * 100).toFixed(1)}%)`),
  );
  labelled =
    (await write(
      "confusion.png",
      await renderConfusionMatrix({ classes: classes.names, counts: confusion, normalized }, { title: "Pixel confusion (rows: truth)" }),
    )) && labelled;
  if (worst.length > 0) labelled = (await write("worst.png", await renderWorst(worst, classes))) && labelled;
  const result: SegmentationInterpretation = {
    images: scored.length,
    pixelAccuracy: metrics.pixelAccuracy,
    meanIou: metrics.meanIoU,
    iou: Object.fromEntries(classes.names.map((name, c) => [name, Number.isNaN(metrics.iou[c]!) ? null : metrics.iou[c]!])),
    confusion,
    worst: worst.map(({ path, meanIou, pixelAccuracy }) => ({ path, meanIou, pixelAccuracy })),
    files: [...files, "interpretation.json"],
    labelled,
  };
  await writeFile(join(outDir, "interpretation.json"), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
