/** Semantic segmentation data: image + mask data sets, exact mask geometry, joint augmentation, pixel statistics. */
export {
  camvidClasses,
  type ClassList,
  classListOf,
  type Colour,
  defaultColour,
  defaultIgnoreColour,
  defaultIgnoreIndex,
  parseClassList,
  parseCodes,
  readClassList,
  validateClassList,
} from "./classes.ts";
export { readSegmentationCsv, type SegmentationCsvOptions } from "./csv.ts";
export type { SegmentationDataset, SegmentationItem } from "./dataset.ts";
export { classFileNames, imageFolderNames, maskFolderNames, readSegmentationFolder, type SegmentationFolderOptions } from "./folder.ts";
export { decodeMask, invalidValues, type Mask, type MaskDecodeOptions, maskHistogram } from "./mask.ts";
export { cropMask, padMask, resizeMaskNearest, resizeMaskWithPlan, warpMask } from "./mask-geometry.ts";
export {
  augmentPair,
  preparePair,
  preparePairFiles,
  prepareSegmentationBatch,
  resolveSegmentationPipeline,
  type SegmentationBatch,
  type SegmentationPair,
  type SegmentationPipeline,
  type SegmentationPipelineOptions,
} from "./pipeline.ts";
export { type ClassPixelStats, formatSegmentationSummary, type SegmentationSummary, splitSegmentation, summarizeSegmentation } from "./summary.ts";
