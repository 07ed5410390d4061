import type { DatasetRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";
import { datasetSampleList } from "../services/dataset-samples.ts";
import { suggestedImageSize } from "../services/conversion-source.ts";
import type { ConversionSummaryRecord } from "../services/import-converted.ts";

/** A converted dataset's conversion column: the record (kind, format, options) plus the import's summary. */
type StoredConversion = Record<string, unknown> & { summary?: ConversionSummaryRecord };

export const Dataset = {
  team: (dataset: DatasetRecord, _: unknown, ctx: ApiContext) => ctx.loaders.team.load(dataset.teamId),
  samples: (dataset: DatasetRecord, args: unknown, ctx: ApiContext) => datasetSampleList(ctx, dataset, args),
  conversion: (dataset: DatasetRecord) => {
    if (dataset.conversion === null || typeof dataset.conversion !== "object") return dataset.conversion;
    const { summary: _summary, ...record } = dataset.conversion as StoredConversion;
    return record;
  },
  conversionSummary: (dataset: DatasetRecord) => {
    const summary = (dataset.conversion as StoredConversion | null)?.summary;
    // Only importDataset writes a summary; one registered by hand (registerDataset's free JSON) is not shown.
    if (typeof summary !== "object" || summary === null || !Array.isArray(summary.imageShape)) return null;
    return { ...summary, suggestedImageSize: suggestedImageSize(summary.imageShape) };
  },
};
