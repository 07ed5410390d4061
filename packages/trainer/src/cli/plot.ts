/**
 * The lr_find curve as text (a character plot and a table) and as a PNG drawn into raw RGB
 * pixels: loss against log10(learning rate), suggestions marked.
 */
import sharp from "sharp";
import type { LrFindResult } from "../learner/index.ts";

interface Frame {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** x = log10 lr; y clipped to the loss range below the final blow-up (as fastai's plot shows). */
function frameOf(result: LrFindResult): Frame {
  const xs = result.lrs.map(Math.log10);
  const finite = result.losses.filter(Number.isFinite);
  const yMin = Math.min(...finite);
  const yMax = Math.min(Math.max(...finite), yMin + 4 * (finite[0]! - yMin) + 1e-9);
  return { xMin: xs[0]!, xMax: xs.at(-1)!, yMin, yMax: yMax > yMin ? yMax : yMin + 1 };
}

export function textPlot(result: LrFindResult, width = 64, height = 16): string {
  if (result.lrs.length < 2) return "(too few points to plot)";
  const frame = frameOf(result);
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(" "));
  const cell = (lr: number, loss: number): [number, number] => [
    Math.round(((Math.log10(lr) - frame.xMin) / (frame.xMax - frame.xMin || 1)) * (width - 1)),
    Math.round((1 - (Math.min(Math.max(loss, frame.yMin), frame.yMax) - frame.yMin) / (frame.yMax - frame.yMin)) * (height - 1)),
  ];
  result.lrs.forEach((lr, i) => {
    if (!Number.isFinite(result.losses[i]!)) return;
    const [x, y] = cell(lr, result.losses[i]!);
    grid[y]![x] = "*";
  });
  for (const suggestion of Object.values(result.suggestions)) {
    const [x, y] = cell(suggestion.point[0], suggestion.point[1]);
    grid[y]![x] = "O";
  }
  const label = (v: number) => v.toFixed(3).padStart(8);
  const rows = grid.map((row, r) => `${r === 0 ? label(frame.yMax) : r === height - 1 ? label(frame.yMin) : " ".repeat(8)} |${row.join("")}`);
  const axis = `${" ".repeat(9)}+${"-".repeat(width)}`;
  const ticks = `${" ".repeat(10)}${result.lrs[0]!.toExponential(0).padEnd(width - 6)}${result.lrs.at(-1)!.toExponential(0)}`;
  return [...rows, axis, ticks, `${" ".repeat(10)}learning rate (log scale); * smoothed loss, O suggestion`].join("\n");
}

/** Every k-th point as "lr loss" lines. */
export function curveTable(result: LrFindResult, every = 10): string {
  return result.lrs
    .filter((_, i) => i % every === 0 || i === result.lrs.length - 1)
    .map((lr, j, kept) => {
      const index = j === kept.length - 1 ? result.lrs.length - 1 : j * every;
      return `${lr.toExponential(2)}  ${result.losses[index]!.toFixed(4)}`;
    })
    .join("\n");
}

function setPixel(pixels: Buffer, width: number, x: number, y: number, rgb: [number, number, number]): void {
  if (x < 0 || y < 0 || x >= width || y >= pixels.length / 3 / width) return;
  pixels.set(rgb, (y * width + x) * 3);
}

/** Bresenham's line. */
function drawLine(pixels: Buffer, width: number, from: [number, number], to: [number, number], rgb: [number, number, number]): void {
  let [x0, y0] = from;
  const [x1, y1] = to;
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const [sx, sy] = [x0 < x1 ? 1 : -1, y0 < y1 ? 1 : -1];
  let error = dx + dy;
  for (;;) {
    setPixel(pixels, width, x0, y0, rgb);
    if (x0 === x1 && y0 === y1) return;
    const twice = 2 * error;
    if (twice >= dy) ((error += dy), (x0 += sx));
    if (twice <= dx) ((error += dx), (y0 += sy));
  }
}

export function renderPlotPixels(result: LrFindResult, width = 640, height = 400): Buffer {
  const pixels = Buffer.alloc(width * height * 3, 255);
  const margin = 40;
  const frame = frameOf(result);
  const toPixel = (lr: number, loss: number): [number, number] => [
    Math.round(margin + ((Math.log10(lr) - frame.xMin) / (frame.xMax - frame.xMin || 1)) * (width - 2 * margin)),
    Math.round(height - margin - ((Math.min(Math.max(loss, frame.yMin), frame.yMax) - frame.yMin) / (frame.yMax - frame.yMin)) * (height - 2 * margin)),
  ];
  const grey: [number, number, number] = [120, 120, 120];
  drawLine(pixels, width, [margin, height - margin], [width - margin, height - margin], grey);
  drawLine(pixels, width, [margin, margin], [margin, height - margin], grey);
  // A tick per decade of learning rate.
  for (let decade = Math.ceil(frame.xMin); decade <= Math.floor(frame.xMax); decade++) {
    const [x] = toPixel(10 ** decade, frame.yMin);
    drawLine(pixels, width, [x, height - margin], [x, height - margin + 6], grey);
  }
  const points = result.lrs
    .map((lr, i) => [lr, result.losses[i]!] as const)
    .filter(([, loss]) => Number.isFinite(loss))
    .map(([lr, loss]) => toPixel(lr, loss));
  for (let i = 1; i < points.length; i++) drawLine(pixels, width, points[i - 1]!, points[i]!, [31, 119, 180]);
  for (const suggestion of Object.values(result.suggestions)) {
    const [cx, cy] = toPixel(suggestion.point[0], suggestion.point[1]);
    for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) if (dx * dx + dy * dy <= 16) setPixel(pixels, width, cx + dx, cy + dy, [214, 39, 40]);
  }
  return pixels;
}

export async function writePlotPng(result: LrFindResult, path: string, width = 640, height = 400): Promise<void> {
  await sharp(renderPlotPixels(result, width, height), { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
}
