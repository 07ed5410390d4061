/**
 * Text on rendered PNGs goes through an SVG overlay that sharp rasterizes with librsvg. librsvg
 * needs a system font (fontconfig); without one the text is silently blank, so we probe once and
 * report it instead of pretending the labels are there.
 */
import sharp from "sharp";

export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

let probe: Promise<boolean> | undefined;

/** True when librsvg draws text on this machine (some dark pixel appears for a black glyph). */
export function textRenders(): Promise<boolean> {
  probe ??= (async () => {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#fff"/>` +
      `<text x="2" y="16" font-family="${FONT_FAMILY}" font-size="16" fill="#000">Hg</text></svg>`;
    try {
      const { data } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return data.some((v) => v < 128);
    } catch {
      return false;
    }
  })();
  return probe;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Shortens a label to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

export interface TextOptions {
  size: number;
  fill?: string;
  anchor?: "start" | "middle" | "end";
  weight?: "normal" | "bold";
  /** Degrees, around (x, y). */
  rotate?: number;
}

export function svgText(x: number, y: number, text: string, options: TextOptions): string {
  const rotate = options.rotate ? ` transform="rotate(${options.rotate} ${x} ${y})"` : "";
  return (
    `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${options.size}" fill="${options.fill ?? "#000"}"` +
    ` text-anchor="${options.anchor ?? "start"}" font-weight="${options.weight ?? "normal"}"${rotate}>${escapeXml(text)}</text>`
  );
}

export function svgDocument(width: number, height: number, body: string): Buffer {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`);
}
