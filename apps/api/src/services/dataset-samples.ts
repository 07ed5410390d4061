/** Dataset.samples: a few images per class for the dataset page, as GraphQL sees them. */
import { badInput, type DatasetRecord } from "@runboard/db";
import { z } from "zod";
import type { ApiContext } from "../server/context.ts";
import { parseArgs } from "../validation.ts";
import { DatasetFileError, datasetSamples, type DatasetSample } from "./dataset-files.ts";

const samplesArgs = z.object({
  perClass: z.number().int({ message: "must be a whole number" }).min(1, { message: "must be ≥ 1" }).max(32, { message: "must be ≤ 32" }).default(4),
});

export async function datasetSampleList(ctx: Pick<ApiContext, "launch">, dataset: DatasetRecord, args: unknown): Promise<DatasetSample[]> {
  const { perClass } = parseArgs(samplesArgs, args);
  try {
    return await datasetSamples(dataset, ctx.launch, perClass);
  } catch (error) {
    if (!(error instanceof DatasetFileError)) throw error;
    // A folder that is gone (or a sourceUri registered by hand that was never one) has no samples to show.
    if (error.status === 404) return [];
    throw badInput("sourceUri", error.message);
  }
}
