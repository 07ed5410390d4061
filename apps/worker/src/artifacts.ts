/**
 * The run's outputs at the end: the exported inference model, the best checkpoint, the
 * validation predictions and their interpretation (confusion matrix, top losses, Grad-CAM),
 * the lr_find curve. Each file is written under the run's folder of the artifact root and
 * recorded with its size and sha256 (in the training process: the record goes to the
 * supervisor, which stores it).
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runArtifactDir } from "@runboard/queue";
import { exportClassifier, writePlotPng } from "@runboard/trainer";
import type { Conversion } from "@runboard/trainer/convert";
import { resolvePipeline } from "@runboard/trainer/data";
import {
  confusionMatrix,
  GradCam,
  gradCamForFiles,
  renderConfusionMatrix,
  renderTopLosses,
  resolvePredictions,
  type ResolvedPredictions,
  topLosses,
} from "@runboard/trainer/interpret";
import { type Learner, type LrFindResult, softmaxRows } from "@runboard/trainer/learner";
import type { StoredArtifact } from "./run-store.ts";

export class ArtifactWriter {
  readonly dir: string;
  constructor(
    root: string,
    private readonly runId: string,
    private readonly recordArtifact: (artifact: StoredArtifact) => void,
  ) {
    this.dir = join(root, runArtifactDir(runId));
    mkdirSync(this.dir, { recursive: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Records a file already written at path(name). */
  async record(kind: string, name: string): Promise<void> {
    const bytes = readFileSync(this.path(name));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    this.recordArtifact({ kind, name, uri: `${runArtifactDir(this.runId)}/${name}`, bytes: bytes.length, sha256 });
  }

  async write(kind: string, name: string, content: Buffer | string): Promise<void> {
    writeFileSync(this.path(name), content);
    await this.record(kind, name);
  }
}

/** The trained classifier and what its export and interpretation need. */
export interface TrainedModel {
  learner: Learner;
  classes: string[];
  inputSize: [number, number];
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  backboneName: string;
  /** The backbone's feature map the head reads (Grad-CAM of the exported model). */
  feature: string;
  conversion: Conversion | undefined;
  validPaths: string[];
}

export async function writeLrFind(writer: ArtifactWriter, result: LrFindResult): Promise<void> {
  await writer.write("lr_find", "lr_find.json", JSON.stringify(result));
  await writePlotPng(result, writer.path("lr_find.png"));
  await writer.record("lr_find", "lr_find.png");
}

async function validationPredictions(trained: TrainedModel): Promise<ResolvedPredictions> {
  const { predictions } = await trained.learner.predictions();
  const probabilities = softmaxRows(predictions.scores, predictions.classes);
  return resolvePredictions({ classes: trained.classes, probabilities, targets: predictions.labels, paths: trained.validPaths });
}

function predictionsCsv(resolved: ResolvedPredictions): string {
  const k = resolved.classes.length;
  const header = ["path", "actual", "predicted", "loss", ...resolved.classes.map((c) => `p_${c}`)];
  const rows = Array.from({ length: resolved.count }, (_, n) =>
    [
      JSON.stringify(resolved.paths?.[n] ?? ""),
      resolved.classes[resolved.targets[n]!],
      resolved.classes[resolved.predicted[n]!],
      resolved.losses[n]!.toFixed(6),
      ...Array.from(resolved.probabilities.subarray(n * k, (n + 1) * k), (p) => p.toFixed(6)),
    ].join(","),
  );
  return `${[header.join(","), ...rows].join("\n")}\n`;
}

async function writeGradCam(writer: ArtifactWriter, trained: TrainedModel, resolved: ResolvedPredictions): Promise<void> {
  const worst = topLosses(resolved, { count: Math.min(4, resolved.count) }).flatMap((item) => (item.path ? [item.path] : []));
  if (worst.length === 0) return;
  const gradCam = await GradCam.create(trained.learner.exportModel(), { session: { intraOpNumThreads: 1 } });
  const pipeline = resolvePipeline({ size: { height: trained.inputSize[0], width: trained.inputSize[1] }, normalization: trained.normalization });
  const maps = await gradCamForFiles(gradCam, worst, pipeline);
  for (const [i, map] of maps.entries()) await writer.write("grad_cam", `grad_cam_${i}.png`, map.png);
}

/** Everything at the end of a successful run; returns the final validation loss and metrics. */
export async function writeFinalArtifacts(writer: ArtifactWriter, trained: TrainedModel, bestCheckpoint: string | null): Promise<void> {
  // The export/ format (predictFiles, Predictor); with the dataset's conversion, predict takes raw .wav/series/.pdf files.
  await exportClassifier(trained.learner.exportModel(), writer.path("model.onnx"), {
    classes: trained.classes,
    inputSize: trained.inputSize,
    normalization: trained.normalization,
    architecture: trained.backboneName,
    feature: trained.feature,
    conversion: trained.conversion,
  });
  await writer.record("model", "model.onnx");
  if (bestCheckpoint !== null && existsSync(bestCheckpoint)) copyFileSync(bestCheckpoint, writer.path("best.safetensors"));
  else trained.learner.trainer.saveCheckpoint(writer.path("best.safetensors"));
  await writer.record("checkpoint", "best.safetensors");
  const resolved = await validationPredictions(trained);
  await writer.write("predictions", "predictions.csv", predictionsCsv(resolved));
  const matrix = confusionMatrix(resolved);
  await writer.write("confusion_matrix", "confusion_matrix.png", (await renderConfusionMatrix(matrix)).png);
  await writer.write("confusion_matrix", "confusion_matrix.json", JSON.stringify(matrix));
  const top = topLosses(resolved, { count: Math.min(9, resolved.count) });
  await writer.write("top_losses", "top_losses.json", JSON.stringify(top));
  await writer.write("top_losses", "top_losses.png", (await renderTopLosses(top)).png);
  await writeGradCam(writer, trained, resolved);
}
