/**
 * Semantic segmentation: the model (an encoder cut at its stages + a U-Net-style decoder), losses
 * as ONNX graph pieces, metrics over class maps, and learner data over a segmentation data set.
 * Decoding and augmentation of image/mask pairs are in data/segmentation.
 */
export { emitSegmentationLoss, type SegmentationLossKind, type SegmentationLossOptions, validateSegmentationLoss } from "./loss.ts";
export { argmaxClassMap, PixelConfusion, segmentationMetricRecord, type SegmentationMetrics, segmentationMetrics } from "./metrics.ts";
export {
  errorMap,
  interpretSegmentation,
  renderIouBars,
  type SegmentationInterpretation,
  type SegmentationInterpretationOptions,
  type WorstImage,
} from "./interpretation.ts";
export { segmentationLearnerData, SegmentationBatchSource, type SegmentationBatchSourceOptions, type SegmentationDataOptions } from "./data.ts";
export {
  createSegmenter,
  type DecoderOptions,
  SEGMENTER_OUTPUT,
  type Segmenter,
  type SegmenterOptions,
  type Upsampling,
} from "../models/segmentation/index.ts";
