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

const DEFAULT_TITLE = "Confusion matrix";

export interface RenderedImage {
  png: Buffer;
  width: number;
  height: number;
  /** False when no font could render text here: the image has no labels. */
  labelled: boolean;
}

/** Where the grid sits in the image, and the text sizes around it. */
interface Layout {
  cell: number;
  left: number;
  top: number;
  gridSize: number;
  width: number;
  height: number;
  fontSize: number;
  /** Class names as drawn (clipped to LABEL_CHARS). */
  labels: string[];
  /** Room for the longest label, beside the rows and under the columns. */
  labelSpace: number;
}

/** Longest class name drawn before it is clipped with an ellipsis. */
const LABEL_CHARS = 18;
/** Blank border around the content. */
const PAD = 8;
/** Between a label and the grid. */
const LABEL_GAP = 6;

/** Estimated width of a line of text: the sans-serif fonts used average about 0.62 em per character. */
function textWidth(text: string, size: number): number {
  return Math.ceil(text.length * size * 0.62);
}

/** The image laid out to its content: labels as wide as the longest class name, the title given room when wider than the grid. */
function layoutFor(classes: readonly string[], options: ConfusionPlotOptions, labelled: boolean): Layout {
  const cell = options.cellSize ?? Math.max(16, Math.min(64, Math.floor(512 / classes.length)));
  if (!Number.isInteger(cell) || cell < 4 || cell > 256) throw new Error(`cellSize must be an integer from 4 to 256, got ${cell}`);
  const fontSize = Math.max(9, Math.min(14, Math.floor(cell * 0.4)));
  const gridSize = cell * classes.length;
  const labels = classes.map((name) => clip(name, LABEL_CHARS));
  if (!labelled) {
    // No font to draw text with: the grid alone.
    return { cell, left: PAD, top: PAD, gridSize, width: gridSize + 2 * PAD, height: gridSize + 2 * PAD, fontSize, labels, labelSpace: 0 };
  }
  const labelSpace = Math.max(...labels.map((label) => textWidth(label, fontSize))) + LABEL_GAP;
  const axisTitle = Math.ceil(fontSize * 1.5);
  // The title is centred over the grid; one wider than the grid overhangs it on both sides.
  const overhang = Math.max(0, Math.ceil((textWidth(options.title ?? DEFAULT_TITLE, fontSize + 2) - gridSize) / 2));
  const left = PAD + Math.max(axisTitle + labelSpace, overhang);
  const top = PAD + 2 * fontSize;
  const width = left + gridSize + Math.max(overhang, 0) + PAD;
  const height = top + gridSize + labelSpace + axisTitle + PAD;
  return { cell, left, top, gridSize, width, height, fontSize, labels, labelSpace };
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
  const parts = [svgText(left + gridSize / 2, top - size * 0.7, options.title ?? DEFAULT_TITLE, { size: size + 2, anchor: "middle", weight: "bold" })];
  layout.labels.forEach((label, i) => {
    const centre = i * cell + cell / 2;
    parts.push(svgText(left - LABEL_GAP, top + centre + size * 0.35, label, { size, anchor: "end" }));
    parts.push(svgText(left + centre + size * 0.35, top + gridSize + LABEL_GAP, label, { size, anchor: "end", rotate: -90 }));
  });
  // Axis titles just outside the longest label; a rotated line's glyphs lie left of its baseline.
  parts.push(svgText(left - layout.labelSpace - size * 0.3, top + gridSize / 2, "Actual", { size, anchor: "middle", weight: "bold", rotate: -90 }));
  parts.push(svgText(left + gridSize / 2, top + gridSize + layout.labelSpace + size * 1.1, "Predicted", { size, anchor: "middle", weight: "bold" }));
  if (cell >= size * 1.6) {
    matrix.counts.forEach((row, r) =>
      row.forEach((count, c) => {
        // Light text on the dark end of the colour map.
        const fill = (options.colormap ?? "blues") === "blues" ? (values[r]![c]! > 0.5 ? "#fff" : "#000") : values[r]![c]! < 0.5 ? "#fff" : "#000";
        parts.push(svgText(left + c * cell + cell / 2, top + r * cell + cell / 2 + size * 0.35, String(count), { size, anchor: "middle", fill }));
      }),
    );
  }
  parts.push(`<rect x="${left - 0.5}" y="${top - 0.5}" width="${gridSize + 1}" height="${gridSize + 1}" fill="none" stroke="${cssColor("blues", 1)}"/>`);
  return parts.join("");
}

export interface ConfusionImage extends RenderedImage {
  /** The grid's top-left corner and cell edge, in pixels. */
  grid: { left: number; top: number; cell: number };
}

export async function renderConfusionMatrix(matrix: ConfusionMatrix, options: ConfusionPlotOptions = {}): Promise<ConfusionImage> {
  const colormap = options.colormap ?? "blues";
  const values = cellValues(matrix, options.normalize ?? true);
  const labelled = await textRenders();
  const layout = layoutFor(matrix.classes, options, labelled);
  const base = sharp(paintCells(values, layout, colormap), { raw: { width: layout.width, height: layout.height, channels: 3 } });
  const composed = labelled
    ? base.composite([{ input: svgDocument(layout.width, layout.height, overlay(matrix, values, layout, options)), left: 0, top: 0 }])
    : base;
  const png = await composed.png().toBuffer();
  return { png, width: layout.width, height: layout.height, labelled, grid: { left: layout.left, top: layout.top, cell: layout.cell } };
}
