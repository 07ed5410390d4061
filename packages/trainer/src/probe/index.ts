/**
 * The linear probe: multinomial logistic regression on cached features of a frozen body (the
 * role of scikit-learn's LogisticRegressionCV).
 *
 *   fitProbe     one fit at a given l2, trained to convergence with L-BFGS (lbfgs.ts)
 *   selectProbe  l2 chosen by stratified k-fold cross-validation by group, then a refit on all rows
 *   probeLogits, probeAccuracy  scoring raw feature rows (plain JS, synchronous)
 *
 * Objective: mean softmax cross-entropy + (l2/2)·‖W‖² on standardized features, bias not
 * regularized; scikit-learn's C = 1/(l2·n) (probe.ts). The standardization z = (x − mean)/std is
 * part of the probe, for a BatchNormalization in front of a Linear layer. The two matrix products
 * of each iteration run on ONNX Runtime (gemm.ts), so fitting is asynchronous.
 */
export { type FeatureSet, STD_FLOOR, validateFeatureSet } from "./feature-set.ts";
export { type FitOptions, fitProbe, type LinearProbe, PROBE_DEFAULTS, probeAccuracy, probeLogits, rawAffine } from "./probe.ts";
export { DEFAULT_GRID, type ProbeScore, type ProbeSelection, selectProbe, type SelectOptions } from "./select.ts";
export { type GroupFolds, stratifiedGroupFolds } from "./folds.ts";
export type { StopReason } from "./lbfgs.ts";
