/**
 * runboard-train segment <data>: semantic segmentation from the command line. Reads an image
 * folder + mask folder (or a CSV image,mask[,split]), cuts the backbone at its stages, adds the
 * U-Net-style decoder (or LR-ASPP) and trains it with fastai's fine_tune (the decoder alone for
 * --freeze-epochs, then every layer at discriminative rates), printing the validation pixel
 * accuracy and mean IoU after each epoch and the per-class IoU at the end.
 */
import { join, resolve } from "node:path";
import { camvidClasses, readSegmentationCsv, readSegmentationFolder, type SegmentationDataset } from "../data/segmentation/index.ts";
import { formatSegmentationSummary, splitSegmentation, summarizeSegmentation } from "../data/segmentation/index.ts";
import { type Callback, type FitState, Learner } from "../learner/index.ts";
import { createSegmenter } from "../models/segmentation/index.ts";
import type { SegmentationLossKind } from "../segmentation/loss.ts";
import { segmentationLearnerData } from "../segmentation/data.ts";
import { exportSegmentationModel, saveInferenceModel } from "../export/index.ts";
import type { Segmenter } from "../models/segmentation/index.ts";
import type { SegmentationSummary } from "../data/segmentation/index.ts";
import { resolveNormalization } from "../data/index.ts";
import { loadBackbone } from "./arch.ts";
import { writeRunFolder } from "./output-folder.ts";
import { interpretSegmentation } from "../segmentation/interpretation.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { RUN_FILES, RUN_FORMAT, writeFileAtomically } from "./run-record.ts";
import {
  type FlagValues,
  listFlag,
  numberFlag,
  parseFlags,
  RUNTIME_FLAGS,
  RUNTIME_USAGE,
  sessionOptionsOf,
  sizeFlag,
  stringFlag,
  UsageError,
} from "./options.ts";

export const SEGMENT_USAGE = `runboard-train segment <data-folder-or-csv> [--arch <zoo name|file.onnx|file.tflite>] [options]
  trains a segmentation model: the backbone as encoder, a U-Net-style decoder on its stages
  data: a folder with an image folder and a mask folder (images/ + labels/, optionally under
  train/ and valid/), or a CSV image,mask[,split]; masks hold class indices
  --classes C          camvid, or a classes.json / codes.txt file (default: the one in the folder, else from the masks)
  --arch A             backbone (default mobilenet-v2-imagenet)
  --epochs N           epochs with every layer training (default 5)
  --freeze-epochs N    decoder-only epochs first (default 1)
  --lr X               base learning rate of fine_tune (default 2e-3)
  --loss L             cross-entropy (default), dice or cross-entropy+dice
  --decoder D          unet (default: fastai's unet_learner shape) or lraspp (LR-ASPP, lighter)
  --decoder-channels a,b,c  widths of the decoder steps, deepest first (default 128, 64, 32, …; lraspp: one, 128)
  --bs N               batch size (default 8)
  --size N | HxW       training image size (default: the backbone's own)
  --no-augment         no flips, rotations, zoom, warp or lighting on training pairs
  --valid-pct X        validation fraction when the data has no split (default 0.2)
  --seed N             seed for split, shuffling, augmentation and decoder init (default 42)
  --out DIR            write model.onnx (image in; class_map and probabilities out; classes and
                       colours in its metadata), checkpoint.safetensors, history.json and run.json
  --interpret          also write DIR/interpretation: iou.png (IoU per class), confusion.png (pixels),
                       worst.png (the --worst N validation images with the lowest mean IoU, default 6:
                       image / truth / prediction / error) and interpretation.json; needs --out
  ${RUNTIME_USAGE}`;

const LOSSES: Record<string, SegmentationLossKind> = { "cross-entropy": "crossEntropy", dice: "dice", "cross-entropy+dice": "crossEntropyDice" };

async function readData(path: string, values: FlagValues): Promise<SegmentationDataset> {
  const classesFlag = stringFlag(values, "classes");
  const classes = classesFlag === undefined ? undefined : classesFlag === "camvid" ? camvidClasses : resolve(classesFlag);
  const options = classes === undefined ? {} : { classes };
  return path.toLowerCase().endsWith(".csv") ? readSegmentationCsv(path, options) : readSegmentationFolder(path, options);
}

/**
 * One line per epoch: stage, losses, pixel accuracy, mean IoU, seconds. fine_tune runs two
 * fits, the frozen one first: the fit's ordinal names the stage.
 */
export class SegmentationEpochLines implements Callback {
  readonly name = "segmentation-epochs";
  readonly order = 60;
  private fits = 0;
  private done = 0;
  /** Every epoch so far, numbered across the fits (history.json). */
  readonly history: SegmentationHistoryEpoch[] = [];

  constructor(
    private readonly write: (line: string) => void,
    private readonly stages: readonly string[] = ["frozen", "unfrozen"],
  ) {}

  beforeFit(): void {
    this.fits++;
  }

  afterEpoch(state: FitState): void {
    this.done++;
    const metrics = state.validation?.metrics ?? {};
    this.history.push({
      epoch: this.done - 1,
      stage: this.stages[this.fits - 1] ?? `fit ${this.fits}`,
      epochInStage: state.epoch,
      trainLoss: state.trainLoss,
      validLoss: state.validation?.loss ?? Number.NaN,
      metrics: { ...metrics },
      seconds: (Date.now() - state.epochStart) / 1000,
    });
    const format = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "-" : value.toFixed(4));
    this.write(
      `epoch ${this.done} (${this.stages[this.fits - 1] ?? `fit ${this.fits}`} ${state.epoch + 1}/${state.epochs})  train_loss ${format(state.trainLoss)}  valid_loss ${format(state.validation?.loss)}  ` +
        `pixel_accuracy ${format(metrics.pixel_accuracy)}  mean_iou ${format(metrics.mean_iou)}  ${((Date.now() - state.epochStart) / 1000).toFixed(1)}s`,
    );
  }
}

export interface SegmentationHistoryEpoch {
  epoch: number;
  stage: string;
  epochInStage: number;
  trainLoss: number;
  validLoss: number;
  metrics: Record<string, number>;
  seconds: number;
}

/**
 * run.json of a segment --out folder: the settings that rebuild the segmenter from the
 * checkpoint (backbone, decoder, input size, normalization, classes) and recompute its split.
 * `task: "segmentation"` tells it from a classifier's run (export and interpret refuse it).
 */
export interface SegmentationRunRecord {
  format: typeof RUN_FORMAT;
  task: "segmentation";
  arch: string;
  classes: string[];
  colours: [number, number, number][];
  ignoreIndex: number;
  /** [height, width]. */
  inputSize: [number, number];
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  decoder: { kind: string; channels: number[]; seed: number; strides: number[]; feature: string };
  loss: SegmentationLossKind;
  data: { path: string; contentHash: string; seed: number; validCount: number } & ({ split: "folders" } | { split: "validPct"; validPct: number });
  createdAt: string;
}

interface SegmentOutputs {
  learner: Learner;
  segmenter: Segmenter;
  dataset: SegmentationDataset;
  summary: SegmentationSummary;
  backboneName: string;
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  record: Omit<SegmentationRunRecord, "format" | "task" | "createdAt">;
  history: SegmentationHistoryEpoch[];
  final: { loss: number; metrics: Record<string, number> };
  /** Write DIR/interpretation over these validation items, showing the `worst` lowest-IoU images. */
  interpret?: { items: SegmentationDataset["items"]; worst: number; session: SessionOptions };
}

/** model.onnx, the checkpoint, history.json and run.json, under the folder's INCOMPLETE marker. */
async function writeSegmentOutputs(dir: string, out: SegmentOutputs): Promise<void> {
  const [height, width] = out.segmenter.inputSize;
  const history = {
    task: "segmentation",
    arch: out.backboneName,
    classes: out.dataset.classes.names,
    contentHash: out.dataset.contentHash,
    split: { ...out.record.data, train: out.summary.train, valid: out.summary.valid },
    summary: { valid_loss: out.final.loss, ...out.final.metrics },
    epochs: out.history,
  };
  await writeRunFolder(dir, [
    async () =>
      saveInferenceModel(
        await exportSegmentationModel(out.learner.exportModel(), {
          classes: out.dataset.classes,
          preprocessing: { size: { height, width }, normalization: out.normalization },
          architecture: `${out.backboneName} + ${out.segmenter.decoderKind === "unet" ? "U-Net decoder" : "LR-ASPP head"}`,
        }),
        join(dir, RUN_FILES.model),
      ),
    () => out.learner.trainer.saveCheckpoint(join(dir, RUN_FILES.checkpoint)),
    () => writeFileAtomically(join(dir, RUN_FILES.history), `${JSON.stringify(history, null, 2)}\n`),
    () =>
      writeFileAtomically(
        join(dir, RUN_FILES.record),
        `${JSON.stringify({ format: RUN_FORMAT, task: "segmentation", ...out.record, createdAt: new Date().toISOString() } satisfies SegmentationRunRecord, null, 2)}\n`,
      ),
    () => process.stderr.write(`wrote ${join(dir, RUN_FILES.model)}, ${RUN_FILES.checkpoint}, ${RUN_FILES.history} and ${RUN_FILES.record}\n`),
    ...(out.interpret ? [() => writeSegmentationInterpretation(dir, out.dataset, out.interpret!)] : []),
  ]);
}

async function writeSegmentationInterpretation(dir: string, dataset: SegmentationDataset, options: NonNullable<SegmentOutputs["interpret"]>): Promise<void> {
  const outDir = join(dir, "interpretation");
  const result = await interpretSegmentation({
    modelPath: join(dir, RUN_FILES.model),
    items: options.items,
    classes: dataset.classes,
    outDir,
    worst: options.worst,
    session: options.session,
  });
  process.stderr.write(
    `interpretation of ${result.images} validation images at their own size: mean IoU ${result.meanIou.toFixed(4)}, pixel accuracy ${result.pixelAccuracy.toFixed(4)}; ` +
      `wrote ${result.files.join(", ")} to ${outDir}${result.labelled ? "" : " (no font here: the images carry no labels)"}\n`,
  );
}

export async function segmentCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    ...RUNTIME_FLAGS,
    classes: { type: "string" },
    arch: { type: "string" },
    epochs: { type: "string" },
    "freeze-epochs": { type: "string" },
    lr: { type: "string" },
    loss: { type: "string" },
    decoder: { type: "string" },
    "decoder-channels": { type: "string" },
    bs: { type: "string" },
    size: { type: "string" },
    "no-augment": { type: "boolean" },
    "valid-pct": { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    interpret: { type: "boolean" },
    worst: { type: "string" },
  });
  if (positionals.length !== 1)
    throw new UsageError(`segment takes one data set (a folder or a CSV), got ${positionals.length}${positionals.length ? `: ${positionals.join(" ")}` : ""}`);
  const epochs = numberFlag(values, "epochs", 5, { integer: true, min: 0, max: 10_000 });
  const freezeEpochs = numberFlag(values, "freeze-epochs", 1, { integer: true, min: 0, max: 10_000 });
  const baseLr = numberFlag(values, "lr", 2e-3, { min: 0, exclusiveMin: true });
  const batchSize = numberFlag(values, "bs", 8, { integer: true, min: 1, max: 4096 });
  const validPct = numberFlag(values, "valid-pct", 0.2, { min: 0, max: 1, exclusiveMin: true });
  const seed = numberFlag(values, "seed", 42, { integer: true, min: 0 });
  const lossName = stringFlag(values, "loss") ?? "cross-entropy";
  const criterion = LOSSES[lossName];
  if (!criterion) throw new UsageError(`--loss must be one of ${Object.keys(LOSSES).join(", ")}, got '${lossName}'`);
  const channels = values["decoder-channels"] === undefined ? undefined : listFlag(values, "decoder-channels", []).map(Number);
  if (channels?.some((c) => !Number.isInteger(c) || c < 1 || c > 4096)) {
    throw new UsageError(`--decoder-channels must be a comma-separated list of integers from 1 to 4096, got '${stringFlag(values, "decoder-channels")}'`);
  }
  const decoder = stringFlag(values, "decoder") ?? "unet";
  if (decoder !== "unet" && decoder !== "lraspp") throw new UsageError(`--decoder must be unet or lraspp, got '${decoder}'`);
  const size = sizeFlag(values, "size");
  const worst = numberFlag(values, "worst", 6, { integer: true, min: 0, max: 100 });
  if (values.interpret && !stringFlag(values, "out")) throw new UsageError("--interpret needs --out (the interpretation is written to DIR/interpretation)");
  const session = sessionOptionsOf(values);
  const path = resolve(positionals[0]!);

  const dataset = await readData(path, values);
  if (dataset.items.length === 0)
    throw new Error(`${path}: no image with a mask found${dataset.skipped.length ? ` (${dataset.skipped.length} files skipped)` : ""}`);
  const split = splitSegmentation(dataset, { validPct, seed });
  const summary = summarizeSegmentation(dataset, split);
  process.stderr.write(`${formatSegmentationSummary(summary)}\n`);
  const backbone = loadBackbone(stringFlag(values, "arch"));
  const segmenter = createSegmenter(backbone.model, {
    classes: dataset.classes.names.length,
    decoder,
    seed,
    ...(size ? { inputSize: size } : {}),
    ...(channels ? { channels } : {}),
  });
  const [height, width] = segmenter.inputSize;
  const data = segmentationLearnerData(dataset, {
    size: { height, width },
    batchSize,
    split,
    seed,
    normalization: backbone.normalization,
    ...(values["no-augment"] ? { augment: false as const } : {}),
  });
  process.stderr.write(
    `model: ${backbone.name} cut at strides ${segmenter.strides.join(", ")}, ${decoder === "unet" ? "U-Net decoder" : "LR-ASPP head"} (${segmenter.decoder.channels.join(", ")} channels), ` +
      `${height}×${width} (height×width), ${dataset.classes.names.length} classes\n`,
  );
  const lines = new SegmentationEpochLines((line) => process.stdout.write(`${line}\n`));
  const learner = new Learner({ data, model: segmenter, loss: { kind: "segmentation", criterion }, callbacks: [lines], session });
  try {
    await learner.fineTune(epochs, { baseLr, freezeEpochs });
    const final = await learner.validate();
    process.stdout.write(
      `valid_loss ${final.loss.toFixed(4)}  pixel_accuracy ${final.metrics.pixel_accuracy!.toFixed(4)}  mean_iou ${final.metrics.mean_iou!.toFixed(4)}\n`,
    );
    for (const name of dataset.classes.names) {
      const iou = final.metrics[`iou/${name}`];
      process.stdout.write(`  iou ${name}: ${iou === undefined || Number.isNaN(iou) ? "- (absent)" : iou.toFixed(4)}\n`);
    }
    const out = stringFlag(values, "out");
    if (out) {
      const { mean, std } = resolveNormalization(backbone.normalization);
      const normalization = { mean: [...mean] as [number, number, number], std: [...std] as [number, number, number] };
      const byFolders = dataset.items.length > 0 && dataset.items.every((item) => item.split !== undefined);
      await writeSegmentOutputs(resolve(out), {
        learner,
        segmenter,
        dataset,
        summary,
        backboneName: backbone.name,
        normalization,
        history: lines.history,
        final,
        ...(values.interpret ? { interpret: { items: split.valid.map((i) => dataset.items[i]!), worst, session } } : {}),
        record: {
          // Backbone files by absolute path, so the run folder works from anywhere; names as they are.
          arch: /\.(onnx|tflite)$/i.test(backbone.name) ? resolve(backbone.name) : backbone.name,
          classes: dataset.classes.names,
          colours: dataset.classes.colours,
          ignoreIndex: dataset.classes.ignoreIndex,
          inputSize: [height, width],
          normalization,
          decoder: { kind: decoder, channels: segmenter.decoder.channels, seed, strides: segmenter.strides, feature: segmenter.feature },
          loss: criterion,
          data: {
            path,
            contentHash: dataset.contentHash,
            seed,
            validCount: split.valid.length,
            ...(byFolders ? { split: "folders" as const } : { split: "validPct" as const, validPct }),
          },
        },
      });
    }
  } finally {
    await learner.release();
    await data.close?.();
  }
}
