/** Reverse-mode autodiff over the ONNX graph IR: backward graphs built from standard ONNX ops. */
export { buildBackward, type BackwardOptions, type BackwardResult } from "./walker.ts";
export type { DepthwiseWeightGradient } from "./builder.ts";
export { UnsupportedOpError, NO_GRADIENT, type GradientRule, type InputGradient } from "./rule.ts";
export { gradientRules } from "./rules/registry.ts";
export { softmaxCrossEntropyWithLabelSmoothing, type SmoothedCrossEntropyOptions } from "./losses.ts";
