/**
 * PDF pages to images with pdfjs-dist (its Node build) drawing into @napi-rs/canvas. Pages are
 * drawn on white at the scale that fits the target box: only a width or only a height scales
 * the page to it keeping its aspect ratio; both make a width×height image with the page
 * fitted inside and centered (white margins), so every page of a dataset has one size.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { type ChannelScale, type FeatureImage, createFeatureImage } from "../image.ts";
import { type PdfRenderOptions } from "./options.ts";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type PdfDocument = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
type PdfPage = Awaited<ReturnType<PdfDocument["getPage"]>>;

export class PdfError extends Error {
  constructor(
    readonly file: string,
    rule: string,
  ) {
    super(`${file}: ${rule}`);
    this.name = "PdfError";
  }
}

let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = (): Promise<PdfJs> => (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

function assetDir(name: string): string {
  const packageJson = createRequire(import.meta.url).resolve("pdfjs-dist/package.json");
  return join(dirname(packageJson), name) + "/";
}

function describeLoadError(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "PasswordException") return "is encrypted with a password; decrypt it first (qpdf --decrypt) or remove it from the dataset";
  if (name === "InvalidPDFException") return `is not a valid PDF (${message})`;
  return `could not be opened as a PDF (${name || "error"}: ${message})`;
}

async function openDocument(bytes: Uint8Array, file: string): Promise<PdfDocument> {
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(bytes), // pdfjs takes ownership of (detaches) the buffer it is given
    verbosity: 0,
    isEvalSupported: false,
    standardFontDataUrl: assetDir("standard_fonts"),
    cMapUrl: assetDir("cmaps"),
    cMapPacked: true,
    wasmUrl: assetDir("wasm"),
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy();
    throw new PdfError(file, describeLoadError(error));
  }
}

function renderPlan(pageWidth: number, pageHeight: number, options: PdfRenderOptions) {
  const { width, height } = options;
  if (width !== null && height !== null) {
    const scale = Math.min(width / pageWidth, height / pageHeight);
    return { scale, canvasWidth: width, canvasHeight: height, offsetX: (width - pageWidth * scale) / 2, offsetY: (height - pageHeight * scale) / 2 };
  }
  const scale = width !== null ? width / pageWidth : height !== null ? height / pageHeight : 1;
  return { scale, canvasWidth: Math.max(1, Math.round(pageWidth * scale)), canvasHeight: Math.max(1, Math.round(pageHeight * scale)), offsetX: 0, offsetY: 0 };
}

async function renderPage(page: PdfPage, options: PdfRenderOptions): Promise<FeatureImage> {
  const base = page.getViewport({ scale: 1 });
  const plan = renderPlan(base.width, base.height, options);
  const viewport = page.getViewport({ scale: plan.scale, offsetX: plan.offsetX, offsetY: plan.offsetY });
  const canvas = createCanvas(plan.canvasWidth, plan.canvasHeight);
  const context = canvas.getContext("2d");
  context.fillStyle = "white";
  context.fillRect(0, 0, plan.canvasWidth, plan.canvasHeight);
  // pdfjs's types name the DOM canvas; @napi-rs/canvas implements the same 2D API.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
  const rgba = context.getImageData(0, 0, plan.canvasWidth, plan.canvasHeight).data;
  return rgbaToImage(rgba, plan.canvasWidth, plan.canvasHeight, options.color);
}

function rgbaToImage(rgba: Uint8ClampedArray, width: number, height: number, color: "rgb" | "gray"): FeatureImage {
  const image = createFeatureImage(color === "rgb" ? 3 : 1, height, width);
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    const [r, g, b] = [rgba[4 * i]! / 255, rgba[4 * i + 1]! / 255, rgba[4 * i + 2]! / 255];
    if (color === "gray") image.data[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else [image.data[i], image.data[plane + i], image.data[2 * plane + i]] = [r, g, b];
  }
  return image;
}

/** The pages the options ask for, as float CHW images with values in [0, 1] (1 is white). */
export async function renderPdf(bytes: Uint8Array, file: string, options: PdfRenderOptions): Promise<FeatureImage[]> {
  const document = await openDocument(bytes, file);
  try {
    const count = options.pages === "first" ? 1 : Math.min(document.numPages, options.maxPages);
    const images: FeatureImage[] = [];
    for (let number = 1; number <= count; number++) {
      try {
        images.push(await renderPage(await document.getPage(number), options));
      } catch (error) {
        throw new PdfError(file, `page ${number} could not be rendered (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    return images;
  } finally {
    await document.destroy();
  }
}

export function pdfChannelScales(options: PdfRenderOptions): ChannelScale[] {
  const unit: ChannelScale = { kind: "fixed", min: 0, max: 1 };
  return options.color === "rgb" ? [unit, unit, unit] : [unit];
}
