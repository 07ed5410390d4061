/** Other data as images: audio to log-mel spectrograms, time series to GAF/MTF/recurrence plots, PDF pages. */
export * from "./audio/index.ts";
export * from "./timeseries/index.ts";
export * from "./document/index.ts";
export { type ChannelScale, type FeatureImage, encodePng, stackChannels } from "./image.ts";
export { type Conversion, type ConversionKind, type ConvertedImage, convertInput, parseConversion } from "./conversion.ts";
export {
  type ConversionProgress,
  type ConversionReport,
  type ConvertDatasetRequest,
  conversionFileName,
  convertDataset,
  findConversion,
  readConversion,
} from "./dataset.ts";
export { type LabelSource } from "./dataset-sources.ts";
