/** PDF rendering parameters, validated and fully resolved (stored in conversion.json). */
export interface PdfRenderOptions {
  pages: "first" | "all";
  /** With pages "all", at most this many pages of one document. */
  maxPages: number;
  /** Target size in pixels; see renderPdf for how width and height combine. Both null: 72 dpi. */
  width: number | null;
  height: number | null;
  color: "rgb" | "gray";
}

export const defaultPdfRenderOptions: PdfRenderOptions = { pages: "first", maxPages: 50, width: 512, height: null, color: "gray" };

function fail(field: string, rule: string, value: unknown): never {
  throw new Error(`pdf option ${field} ${rule}, got ${JSON.stringify(value)}`);
}

function validateSize(field: string, value: number | null): void {
  if (value !== null && !(Number.isInteger(value) && value >= 8 && value <= 8192)) fail(field, "must be null or an integer from 8 to 8192", value);
}

export function resolvePdfRenderOptions(overrides: Partial<PdfRenderOptions> = {}): PdfRenderOptions {
  for (const key of Object.keys(overrides)) if (!(key in defaultPdfRenderOptions)) fail(key, "is not a pdf option", key);
  const options: PdfRenderOptions = { ...defaultPdfRenderOptions, ...overrides };
  if (options.pages !== "first" && options.pages !== "all") fail("pages", 'must be "first" or "all"', options.pages);
  if (!Number.isInteger(options.maxPages) || options.maxPages < 1) fail("maxPages", "must be a positive integer", options.maxPages);
  validateSize("width", options.width);
  validateSize("height", options.height);
  if (options.color !== "rgb" && options.color !== "gray") fail("color", 'must be "rgb" or "gray"', options.color);
  return options;
}
