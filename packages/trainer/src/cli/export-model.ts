/** The trained classifier as one inference ONNX file: softmax output, class names and preprocessing in its metadata. */
import { mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import type { Learner } from "../learner/index.ts";
import { writePreprocessing } from "../models/import/preprocessing.ts";
import { saveModel } from "../onnx/serialize.ts";

export const CLASSES_KEY = "runboard.classes";

export function saveInferenceModel(learner: Learner, path: string, info: { inputSize: [number, number]; normalization: { mean: [number, number, number]; std: [number, number, number] }; arch: string }): void {
  const model = learner.exportModel();
  model.metadata = { ...model.metadata, [CLASSES_KEY]: JSON.stringify(learner.data.classes), "runboard.arch": info.arch };
  writePreprocessing(model, { input: "input", size: info.inputSize, ...info.normalization });
  mkdirSync(dirname(path), { recursive: true });
  // Written aside and renamed, so a failure leaves no half-written model behind.
  const partial = `${path}.partial`;
  saveModel(model, partial);
  renameSync(partial, path);
}
