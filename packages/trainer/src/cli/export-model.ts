/** The trained classifier as one inference ONNX file: softmax output, class names and preprocessing in its metadata. */
import { mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import type { Learner } from "../learner/index.ts";
import { writePreprocessing } from "../models/import/preprocessing.ts";
import { saveModel } from "../onnx/serialize.ts";
import type { Model } from "../onnx/ir.ts";
import type { Conversion } from "../convert/conversion.ts";
import { exportInferenceModel, saveInferenceModel as writeExportedModel } from "../export/index.ts";

export const CLASSES_KEY = "runboard.classes";

export function saveInferenceModel(
  learner: Learner,
  path: string,
  info: { inputSize: [number, number]; normalization: { mean: [number, number, number]; std: [number, number, number] }; arch: string },
): void {
  const model = learner.exportModel();
  model.metadata = { ...model.metadata, [CLASSES_KEY]: JSON.stringify(learner.data.classes), "runboard.arch": info.arch };
  writePreprocessing(model, { input: "input", size: info.inputSize, ...info.normalization });
  mkdirSync(dirname(path), { recursive: true });
  // Written aside and renamed, so a failure leaves no half-written model behind.
  const partial = `${path}.partial`;
  saveModel(model, partial);
  renameSync(partial, path);
}

/** Where Grad-CAM should look: the backbone's feature map the head reads (see interpret/). */
export const FEATURE_KEY = "runboard.feature";

export interface ClassifierExport {
  classes: readonly string[];
  inputSize: [number, number];
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  architecture: string;
  feature: string;
  /** The dataset's conversion (findConversion), so predict accepts raw .wav/series/.pdf files. */
  conversion?: Conversion | undefined;
}

/**
 * The export/ format (what Predictor and predictFiles read): softmax output, classes and the
 * validation preprocessing in the metadata, plus the Grad-CAM feature map. Written atomically.
 */
export async function exportClassifier(model: Model, path: string, info: ClassifierExport): Promise<Model> {
  const [height, width] = info.inputSize;
  const exported = await exportInferenceModel(model, {
    classes: info.classes,
    preprocessing: { size: { height, width }, normalization: info.normalization },
    architecture: info.architecture,
    ...(info.conversion ? { conversion: info.conversion } : {}),
  });
  exported.metadata[FEATURE_KEY] = info.feature;
  mkdirSync(dirname(path), { recursive: true });
  await writeExportedModel(exported, path);
  return exported;
}
