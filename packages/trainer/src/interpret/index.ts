/** Interpreting a classifier: confusion matrix, most confused pairs, top losses, Grad-CAM, and their PNGs. */
export { type ResolvedPredictions, resolvePredictions, type ValidationPredictions } from "./predictions.ts";
export { accuracyOf, type ClassMetrics, classMetrics, type ConfusedPair, type ConfusionMatrix, confusionMatrix, mostConfused } from "./confusion.ts";
export { type TopLoss, type TopLossOptions, topLosses } from "./top-losses.ts";
export { type ColormapName, colorAt } from "./colormap.ts";
export { type ConfusionPlotOptions, type RenderedImage, renderConfusionMatrix } from "./render-confusion.ts";
export { renderTopLosses, type TopLossGridOptions } from "./render-top-losses.ts";
export { textRenders } from "./svg-text.ts";
export { buildGradCamGraph, type GradCamGraph, type GradCamGraphOptions } from "./grad-cam-graph.ts";
export { camFrom, type ClassActivationMap, GradCam, type GradCamOptions, type ImageBatch } from "./grad-cam.ts";
export { blendHeatMap, type HeatMap, type OverlayOptions, renderGradCam, upsample } from "./grad-cam-render.ts";
export { type FileActivationMap, gradCamForFiles } from "./grad-cam-file.ts";
export {
  type GradCamEntry,
  type GradCamReportOptions,
  type InterpretationReportOptions,
  type InterpretationSummary,
  REPORT_FILES,
  writeInterpretationReport,
} from "./report.ts";
export { formatConfusionMatrix, formatMostConfused } from "./report-text.ts";
export { type ExportedPredictions, exportedModelPredictions, type LabelledFile } from "./exported.ts";
