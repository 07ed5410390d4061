/** Exporting a fine-tuned classifier as one inference ONNX file, and predicting with that file alone. */
export { EXPORT_INPUT, EXPORT_OUTPUT, exportInferenceModel, type ExportOptions, MAX_EXPORT_OPSET, saveInferenceModel } from "./export-model.ts";
export { type ExportMetadata, METADATA_FORMAT, METADATA_KEYS, metadataEntries, pipelineOf, readExportMetadata } from "./metadata.ts";
export { convertRawInput, isRawInput, type RawImage, rawExtensions } from "./raw-inputs.ts";
export {
  type ClassProbability,
  type FileFailure,
  type FilePrediction,
  listImageFiles,
  predictFiles,
  type PredictOptions,
  Predictor,
  type PredictResult,
} from "./predict.ts";
export {
  CLASS_MAP_OUTPUT,
  colourMask,
  exportSegmentationModel,
  isSegmentationExport,
  overlayMask,
  readSegmentationMetadata,
  SEGMENTATION_METADATA_FORMAT,
  SEGMENTATION_METADATA_KEYS,
  SEGMENTATION_PROBABILITIES,
  type SegmentationExportMetadata,
  type SegmentationExportOptions,
  type SegmentationPrediction,
  SegmentationPredictor,
  segmentationMetadataEntries,
  sourceToModelPixels,
  writePredictionPngs,
} from "./segmentation.ts";
