/** Data sets, decoding, augmentation and batching for image classification. */
export { applyAugment, affineOf, type AugmentDraw, type AugmentOptions, defaultAugmentOptions, drawAugment, identityDraw } from "./augment.ts";
export { BatchItemError, type BatchJob, prepareBatch } from "./batch-job.ts";
export { contentHash, describeSkipped } from "./build-dataset.ts";
export { readImageCsv } from "./csv-source.ts";
export { defaultFileLimits, type FileLimits, type ImageDataset, type ImageItem, imageExtensions, type SkippedFile, type SplitName } from "./dataset.ts";
export { type AlphaMode, decodeImage, type DecodeOptions, type FloatImage } from "./decode.ts";
export { checkImageFile, type FileCheck } from "./file-check.ts";
export { readImageFolder } from "./folder-source.ts";
export { applyLighting, type Lighting, neutralLighting } from "./lighting.ts";
export { type Batch, DataLoader, type DataLoaderOptions } from "./loader.ts";
export { type Normalization, type NormalizationName, normalizations, resolveNormalization, writeNormalized } from "./normalize.ts";
export { type Pipeline, type PipelineOptions, prepareImage, prepareImageFile, resolvePipeline } from "./pipeline.ts";
export { itemSeed, mixSeed, Random, shuffledIndices } from "./random.ts";
export { findRepoRoot, findSharedDataset, sharedDatasetsDir } from "./repo-paths.ts";
export { type Box, defaultResizeOptions, type PadMode, planResize, type ResizeMethod, type ResizeOptions, type ResizePlan, type Size } from "./resize-plan.ts";
export { type DatasetSummary, formatDatasetSummary, summarizeDataset } from "./summary.ts";
export { countPerClass, type Split, splitCounts, type SplitOptions, splitTrainValid, stratifiedKFold } from "./split.ts";
export { type Affine, type SamplePadMode, type WarpCorners, warpImage } from "./warp.ts";
