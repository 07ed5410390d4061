import { describe, expect, it } from "vitest";
import { channelView, type FeatureImage } from "../image.ts";
import { writePdf } from "../testing/pdf-writer.ts";
import { resolvePdfRenderOptions } from "./options.ts";
import { PdfError, renderPdf } from "./pdf.ts";

/** Mean darkness (1 − value) of a box of image rows and columns. */
function ink(image: FeatureImage, top: number, left: number, bottom: number, right: number): number {
  const plane = channelView(image, 0);
  let sum = 0;
  for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) sum += 1 - plane[y * image.width + x]!;
  return sum / ((bottom - top) * (right - left));
}

// A 200×100 pt page: a black box at x 20-80, y 20-50 (PDF y runs up), and a word at the right.
const page = { width: 200, height: 100, content: "0 0 0 rg 20 20 60 30 re f BT /F1 24 Tf 110 60 Td (Ink) Tj ET" };
const secondPage = { width: 200, height: 100, content: "0 0 0 rg 150 10 40 80 re f" };

async function failure(promise: Promise<unknown>): Promise<PdfError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PdfError) return error;
    throw error;
  }
  throw new Error("renderPdf accepted the file");
}

describe("renderPdf", () => {
  it("draws the first page at the target width with ink exactly where the page has it", async () => {
    const [image, ...rest] = await renderPdf(writePdf([page, secondPage]), "doc.pdf", resolvePdfRenderOptions({ width: 400 }));
    expect(rest).toHaveLength(0);
    expect(image).toMatchObject({ channels: 1, width: 400, height: 200 });
    // Scale 2; the box spans image x 40-160 and image y (100-50)·2 = 100 to (100-20)·2 = 160.
    expect(ink(image!, 105, 45, 155, 155)).toBeGreaterThan(0.99);
    expect(ink(image!, 0, 0, 95, 35)).toBe(0);
    expect(ink(image!, 165, 0, 200, 400)).toBe(0);
    // Helvetica text (from pdfjs's bundled standard fonts) around x 220-300, baseline y 80.
    expect(ink(image!, 30, 215, 82, 300)).toBeGreaterThan(0.1);
  });

  it("renders every page with pages 'all', fitted into a width×height box", async () => {
    const images = await renderPdf(writePdf([page, secondPage]), "doc.pdf", resolvePdfRenderOptions({ pages: "all", width: 100, height: 100, color: "rgb" }));
    expect(images).toHaveLength(2);
    for (const image of images) expect(image).toMatchObject({ channels: 3, width: 100, height: 100 });
    // Scale 0.5, page 100×50 centered: white margins of 25 rows above and below.
    expect(ink(images[1]!, 0, 0, 24, 100)).toBe(0);
    expect(ink(images[1]!, 32, 77, 67, 93)).toBeGreaterThan(0.99); // the tall box of page 2
  });

  it("names the file of a broken PDF", async () => {
    const error = await failure(renderPdf(Buffer.from("%PDF-1.4\nthis is not a pdf body"), "scans/broken.pdf", resolvePdfRenderOptions()));
    expect(error.message).toMatch(/^scans\/broken\.pdf: is not a valid PDF/);
  });

  it("names the file of a password-protected PDF", async () => {
    const encrypted = writePdf([page], { userPassword: "secret" });
    const error = await failure(renderPdf(encrypted, "scans/locked.pdf", resolvePdfRenderOptions()));
    expect(error.message).toMatch(/^scans\/locked\.pdf: is encrypted with a password/);
  });

  it("rejects bad options naming the field", () => {
    expect(() => resolvePdfRenderOptions({ pages: "some" as never })).toThrow(/pages must be "first" or "all"/);
    expect(() => resolvePdfRenderOptions({ width: 3 })).toThrow(/width must be null or an integer from 8 to 8192/);
  });
});
