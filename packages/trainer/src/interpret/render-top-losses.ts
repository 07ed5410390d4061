/**
 * fastai's plot_top_losses as one PNG: a grid of the images with "predicted / actual / loss /
 * probability" under each. Files that cannot be read become grey tiles, so one bad file does
 * not lose the whole picture.
 */
import sharp, { type OverlayOptions } from "sharp";
import type { RenderedImage } from "./render-confusion.ts";
import { clip, svgDocument, svgText, textRenders } from "./svg-text.ts";
import type { TopLoss } from "./top-losses.ts";

export interface TopLossGridOptions {
  /** Edge of each image tile in pixels (default 160). */
  tileSize?: number;
  /** Tiles per row; default about the square root of the count. */
  columns?: number;
}

const CAPTION_LINES = 2;

async function tile(path: string | undefined, size: number): Promise<Buffer> {
  if (path !== undefined) {
    try {
      return await sharp(path).rotate().removeAlpha().resize(size, size, { fit: "cover" }).png().toBuffer();
    } catch {
      // Fall through to a placeholder; the caption still names the item.
    }
  }
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: 200, b: 200 } } })
    .png()
    .toBuffer();
}

function caption(item: TopLoss, x: number, y: number, size: number, font: number): string {
  const chars = Math.floor(size / (font * 0.6));
  const colour = item.predicted === item.actual ? "#1a7f37" : "#b42318";
  return (
    svgText(x + size / 2, y + font + 2, clip(`${item.predicted} / ${item.actual}`, chars), { size: font, anchor: "middle", fill: colour, weight: "bold" }) +
    svgText(x + size / 2, y + 2 * font + 6, clip(`${item.loss.toFixed(2)} / ${item.probability.toFixed(2)}`, chars), { size: font, anchor: "middle" })
  );
}

export async function renderTopLosses(items: readonly TopLoss[], options: TopLossGridOptions = {}): Promise<RenderedImage> {
  if (items.length === 0) throw new Error("items: need at least one top loss to render");
  const size = options.tileSize ?? 160;
  if (!Number.isInteger(size) || size < 32 || size > 1024) throw new Error(`tileSize must be an integer from 32 to 1024, got ${size}`);
  const columns = options.columns ?? Math.ceil(Math.sqrt(items.length));
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`columns must be a positive integer, got ${columns}`);
  const font = Math.max(10, Math.round(size / 13));
  const gap = 8;
  const title = font * 2 + 4;
  const cellHeight = size + CAPTION_LINES * (font + 4) + gap;
  const rows = Math.ceil(items.length / columns);
  const width = columns * (size + gap) + gap;
  const height = title + rows * cellHeight;
  const tiles = await Promise.all(items.map((item) => tile(item.path, size)));
  const labelled = await textRenders();
  const layers: OverlayOptions[] = [];
  const texts = [svgText(width / 2, font * 1.5, "predicted / actual / loss / probability", { size: font, anchor: "middle", weight: "bold" })];
  items.forEach((item, i) => {
    const left = gap + (i % columns) * (size + gap);
    const top = title + Math.floor(i / columns) * cellHeight;
    layers.push({ input: tiles[i]!, left, top });
    texts.push(caption(item, left, top + size, size, font));
  });
  if (labelled) layers.push({ input: svgDocument(width, height, texts.join("")), left: 0, top: 0 });
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(layers)
    .png()
    .toBuffer();
  return { png, width, height, labelled };
}
