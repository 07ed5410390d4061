/**
 * Validation predictions from an exported model file (export/'s Predictor): every class's
 * probability for each labelled file, targets mapped onto the model's class order by name.
 */
import type { Predictor } from "../export/index.ts";
import type { ValidationPredictions } from "./predictions.ts";

export interface LabelledFile {
  path: string;
  /** The true class, by name. */
  className: string;
}

export interface ExportedPredictions {
  predictions: ValidationPredictions & { paths: string[] };
  /** Files the model could not read: left out of the predictions. */
  failures: { path: string; reason: string }[];
}

export async function exportedModelPredictions(predictor: Predictor, files: readonly LabelledFile[], batchSize = 16): Promise<ExportedPredictions> {
  const classes = predictor.metadata.classes;
  const classIndex = new Map(classes.map((name, i) => [name, i]));
  for (const file of files) {
    if (!classIndex.has(file.className))
      throw new Error(`data: class '${file.className}' (${file.path}) is not one of the model's classes (${classes.join(", ")})`);
  }
  const labelOf = new Map(files.map((file) => [file.path, classIndex.get(file.className)!]));
  const result = await predictor.predict(
    files.map((file) => file.path),
    { topK: classes.length, batchSize },
  );
  const probabilities: number[][] = [];
  const targets: number[] = [];
  const paths: string[] = [];
  for (const prediction of result.predictions) {
    const row = new Array<number>(classes.length).fill(0);
    for (const entry of prediction.top) row[entry.classIndex] = entry.probability;
    probabilities.push(row);
    targets.push(labelOf.get(prediction.path)!);
    paths.push(prediction.path);
  }
  return { predictions: { classes, probabilities, targets, paths }, failures: result.failures };
}
