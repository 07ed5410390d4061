/**
 * The raw source of a conversion import, checked before any work: the right kind of path, and
 * small enough to convert within one request. The converted images' shape, read back from the
 * first PNG's header, gives the launch form its size suggestion.
 */
import { open, stat } from "node:fs/promises";
import { badInput } from "@runboard/db";
import { listLabeledFiles } from "@runboard/trainer/convert/dataset-sources";
import type { ConversionPlan } from "./conversion-options.ts";

/** importDataset converts within the request; these keep one request to a few minutes at most. */
export const conversionLimits = { maxInputs: 5_000, maxBytes: 512 * 1024 ** 2, maxSeriesFileBytes: 64 * 1024 ** 2 };

const mebibytes = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MiB`;

async function checkSeriesFile(path: string): Promise<void> {
  const info = await stat(path);
  if (!info.isFile()) throw badInput("input.path", "must be a file (UCR or long CSV) for kind TIME_SERIES");
  if (info.size > conversionLimits.maxSeriesFileBytes) {
    throw badInput(
      "input.path",
      `is ${mebibytes(info.size)}; a series file may hold at most ${mebibytes(conversionLimits.maxSeriesFileBytes)} here (convert it with the CLI and import the image folder)`,
    );
  }
}

async function checkFileFolder(path: string, plan: Extract<ConversionPlan, { kind: "audio" | "document" }>): Promise<void> {
  if (!(await stat(path)).isDirectory()) throw badInput("input.path", `must be a folder of .${plan.kind === "audio" ? "wav" : "pdf"} files`);
  let listing;
  try {
    listing = await listLabeledFiles(path, plan.kind === "audio" ? ".wav" : ".pdf", plan.labels ?? "auto");
  } catch (error) {
    throw badInput("input.path", error instanceof Error ? error.message : String(error));
  }
  if (listing.files.length > conversionLimits.maxInputs) {
    throw badInput(
      "input.path",
      `holds ${listing.files.length} files; at most ${conversionLimits.maxInputs} are converted in one request (convert with the CLI and import the image folder)`,
    );
  }
  let bytes = 0;
  for (const file of listing.files) bytes += (await stat(file.path)).size;
  if (bytes > conversionLimits.maxBytes)
    throw badInput("input.path", `holds ${mebibytes(bytes)}; at most ${mebibytes(conversionLimits.maxBytes)} are converted in one request`);
}

/** The source is a file (time series) or a folder (audio, documents) within the request limits. */
export async function checkConversionSource(path: string, plan: ConversionPlan): Promise<void> {
  if (plan.kind === "timeseries") await checkSeriesFile(path);
  else await checkFileFolder(path, plan);
}

const pngChannels: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

/** [channels, height, width] from a PNG's IHDR chunk (bytes 16-25). */
export async function pngShape(path: string): Promise<[number, number, number]> {
  const file = await open(path);
  try {
    const header = Buffer.alloc(26);
    await file.read(header, 0, 26, 0);
    if (header.toString("latin1", 12, 16) !== "IHDR") throw new Error(`${path} is not a PNG`);
    return [pngChannels[header[25]!] ?? 3, header.readUInt32BE(20), header.readUInt32BE(16)];
  } finally {
    await file.close();
  }
}

/** The longer side rounded up to a multiple of 32 (what strided backbones divide evenly), 32 to 512. */
export function suggestedImageSize(shape: readonly number[]): number {
  const longer = Math.max(shape[1] ?? 0, shape[2] ?? 0);
  return Math.min(512, Math.max(32, Math.ceil(longer / 32) * 32));
}
