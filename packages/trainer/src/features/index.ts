/** Pooled features of a frozen body, per image and augmented view, cached for head training and the probe. */
export { extractFeatures, type ExtractOptions, type FeatureSet, selectGroups, selectViews, viewCount } from "./extract.ts";
export { FeatureCache, featureCacheKey, modelFingerprint } from "./cache.ts";
export { headLrFind, type HeadLrFindOptions, trainHeadOnFeatures, type HeadTrainingOptions } from "./head-training.ts";
export { frozenLrFind, type FrozenLrFindOptions } from "./lr-find.ts";
