/** New classifier heads on pretrained backbones (fastai's create_head and cnn_learner cut). */
export { CLASSIFIER_INPUT, cutBackbone, type CutBackbone, findFeatureTensor, stageTaps } from "./backbone.ts";
export { appendHead, appendHeadLayers, type FeatureTap, type HeadOptions, pooledSize, type ResolvedHeadOptions, resolveHeadOptions } from "./head.ts";
export { type Classifier, CLASSIFIER_OUTPUT, type ClassifierOptions, createClassifier, FEATURES } from "./classifier.ts";
