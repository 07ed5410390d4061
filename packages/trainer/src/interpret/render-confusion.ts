/**
 * The confusion matrix as a PNG heat map: cells painted as pixels (so the picture stands even
 * without fonts), class names, axis titles and counts drawn by an SVG overlay.
 */
import sharp from "sharp";
import { colorAt, type ColormapName, cssColor } from "./colormap.ts";
import type { ConfusionMatrix } from "./confusion.ts";
import { clip, svgDocument, svgText, textRenders } from "./svg-text.ts";

export interface ConfusionPlotOptions {
  /** Colour by the row-normalized share (default) or by raw counts relative to the largest cell. */
  normalize?: boolean;
  /** Cell edge in pixels; default from the class count (16 to 64). */
  cellSize?: number;
  colormap?: ColormapName;
  title?: string;
}

export interface RenderedImage {
  png: Buffer;
  width: number;
  height: number;
  /** False when no font could render text here: the image has no labels. */
  labelled: boolean;
}

interface Layout {
  cell: number;
  left: number;
  top: number;
  gridSize: number;
  width: number;
  height: number;
  fontSize: number;
  labelChars: number;
}

function layoutFor(classes: number, options: ConfusionPlotOptions): Layout {
  const cell = options.cellSize ?? Math.max(16, Math.min(64, Math.floor(512 / classes)));
  if (!Number.isInteger(cell) || cell < 4 || cell > 256) throw new Error(`cellSize must be an integer from 4 to 256, got ${cell}`);
  const fontSize = Math.max(9, Math.min(14, Math.floor(cell * 0.4)));
  const labelChars = 18;
  const labelWidth = Math.ceil(labelChars * fontSize * 0.62) + 8;
  const gridSize = cell * classes;
  const left = labelWidth + fontSize * 2;
  const top = fontSize * 3;
  return { cell, left, top, gridSize, width: left + gridSize + 16, height: top + gridSize + labelWidth + fontSize * 2, fontSize, labelChars };
}

function cellValues(matrix: ConfusionMatrix, normalize: boolean): number[][] {
  if (normalize) return matrix.normalized;
  const max = Math.max(1, ...matrix.counts.flat());
  return matrix.counts.map((row) => row.map((c) => c / max));
}

function paintCells(values: number[][], layout: Layout, colormap: ColormapName): Buffer {
  const pixels = Buffer.alloc(layout.width * layout.height * 3, 255);
  const rgb = new Uint8Array(3);
  for (let y = 0; y < layout.gridSize; y++) {
    const row = values[Math.floor(y / layout.cell)]!;
    for (let x = 0; x < layout.gridSize; x++) {
      colorAt(colormap, row[Math.floor(x / layout.cell)]!, rgb);
      pixels.set(rgb, ((layout.top + y) * layout.width + layout.left + x) * 3);
    }
  }
  return pixels;
}

function overlay(matrix: ConfusionMatrix, values: number[][], layout: Layout, options: ConfusionPlotOptions): string {
  const { cell, left, top, gridSize, fontSize: size } = layout;
  const parts = [svgText(left + gridSize / 2, size * 1.5, options.title ?? "Confusion matrix", { size: size + 2, anchor: "middle", weight: "bold" })];
  matrix.classes.forEach((name, i) => {
    const centre = i * cell + cell / 2;
    parts.push(svgText(left - 6, top + centre + size * 0.35, clip(name, layout.labelChars), { size, anchor: "end" }));
    parts.push(svgText(left + centre + size * 0.35, top + gridSize + 6, clip(name, layout.labelChars), { size, anchor: "end", rotate: -90 }));
  });
  parts.push(svgText(size, top + gridSize / 2, "Actual", { size, anchor: "middle", weight: "bold", rotate: -90 }));
  parts.push(svgText(left + gridSize / 2, layout.height - size * 0.6, "Predicted", { size, anchor: "middle", weight: "bold" }));
  if (cell >= size * 1.6) {
    matrix.counts.forEach((row, r) => row.forEach((count, c) => {
      // Light text on the dark end of the colour map.
      const fill = (options.colormap ?? "blues") === "blues" ? (values[r]![c]! > 0.5 ? "#fff" : "#000") : (values[r]![c]! < 0.5 ? "#fff" : "#000");
      parts.push(svgText(left + c * cell + cell / 2, top + r * cell + cell / 2 + size * 0.35, String(count), { size, anchor: "middle", fill }));
    }));
  }
  parts.push(`<rect x="${left - 0.5}" y="${top - 0.5}" width="${gridSize + 1}" height="${gridSize + 1}" fill="none" stroke="${cssColor("blues", 1)}"/>`);
  return parts.join("");
}

export async function renderConfusionMatrix(matrix: ConfusionMatrix, options: ConfusionPlotOptions = {}): Promise<RenderedImage> {
  const colormap = options.colormap ?? "blues";
  const values = cellValues(matrix, options.normalize ?? true);
  const layout = layoutFor(matrix.classes.length, options);
  const base = sharp(paintCells(values, layout, colormap), { raw: { width: layout.width, height: layout.height, channels: 3 } });
  const labelled = await textRenders();
  const composed = labelled ? base.composite([{ input: svgDocument(layout.width, layout.height, overlay(matrix, values, layout, options)), left: 0, top: 0 }]) : base;
  const png = await composed.png().toBuffer();
  return { png, width: layout.width, height: layout.height, labelled };
}
