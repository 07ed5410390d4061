/**
 * runboard-train train <data>: runs a training spec (--recipe, AUTO by default: it chooses
 * between the linear probe and fine-tuning on the training split alone, within --budget).
 * Progress and what the recipe does on stderr, the final validation metrics beside the linear
 * probe's on stdout; --out writes model.onnx, a checkpoint, history.json and run.json (what
 * export and interpret need), --interpret the interpretation report too.
 */
import { join, resolve } from "node:path";
import { AbortCallback, accuracy, EarlyStopping, type Callback, type EpochRecord, ProgressCallback } from "../learner/index.ts";
import { resolveNormalization, splitTrainValid } from "../data/index.ts";
import { loadBackbone, zooNames } from "./arch.ts";
import { exportClassifier } from "./export-model.ts";
import { findConversion } from "../convert/dataset.ts";
import { describeInterpretation, interpretModel } from "./interpretation.ts";
import { catchInterrupts, exitCodeOf, Interrupted, writeRunFolder } from "./output-folder.ts";
import { recordedSplit, RUN_FILES, RUN_FORMAT, type RunHead, writeFileAtomically, writeRunRecord } from "./run-record.ts";
import { type FlagValues, numberFlag, RUNTIME_USAGE, optionalNumberFlag, parseFlags, stringFlag, UsageError } from "./options.ts";
import { COMMON_FLAGS, type LearnerSession, metricsOf, readDataset, sessionSettings } from "./session.ts";
import {
  parseByteSize,
  parseDuration,
  PROBE_FEATURE_DESCRIPTIONS,
  PROBE_FEATURES,
  RECIPE_DESCRIPTIONS,
  RECIPES,
  type RecipeName,
  resolveTrainingSpec,
  SpecError,
  type Stage,
  TRAINING_DEFAULTS,
  type TrainingOutcome,
  trainWithSpec,
  type TrainingSpec,
} from "../recipes/index.ts";

const RECIPE_LINES = RECIPES.map((r) => `                       ${r}: ${RECIPE_DESCRIPTIONS[r]}`).join("\n");
const PROBE_FEATURE_LINES = PROBE_FEATURES.map((f) => `                       ${f}: ${PROBE_FEATURE_DESCRIPTIONS[f]}`).join("\n");

export const TRAIN_USAGE = `runboard-train train <data-folder-or-csv> [--arch <zoo name|file.onnx|file.tflite>] [options]
  --arch A             backbone: a zoo name (default mobilenet-v2-imagenet, bundled), catalog:NAME (after models pull), an .onnx or .tflite file
  --recipe R           how to train (default AUTO):
${RECIPE_LINES}
  --budget T           AUTO's time budget for choosing and training, e.g. 90s, 5m (default ${TRAINING_DEFAULTS.budgetSeconds / 60}m)
  --views K            cached feature views per training image for the probe and frozen phases (default ${TRAINING_DEFAULTS.views}: the centre crop)
  --features F         what the probe head reads (LINEAR_PROBE, LP_FT; AUTO chooses by cross-validation unless given):
${PROBE_FEATURE_LINES}
  --epochs N           epochs after unfreezing (FINE_TUNE, LP_FT) or in total (default ${TRAINING_DEFAULTS.epochs})
  --lr X               peak learning rate (FINE_TUNE: base rate 2e-3; LP_FT 1e-4; FIT_ONE_CYCLE, FROZEN_HEAD 1e-3)
  --freeze-epochs N    head-only epochs before unfreezing (FINE_TUNE, default ${TRAINING_DEFAULTS.freezeEpochs})
  --one-cycle          same as --recipe FIT_ONE_CYCLE
  --frozen             same as --recipe FROZEN_HEAD
  --bs N               batch size (default ${TRAINING_DEFAULTS.batchSize}); lowered to fit --max-memory
  --max-memory S       memory budget of training, e.g. 512m, 4g, 4GB (powers of 1024; default half of this
                       machine's memory): the batch is lowered to the largest whose estimated peak fits
  --size N | HxW       image size (default: the backbone's own)
  --valid-pct X        validation fraction when the data has no train/valid split (default ${TRAINING_DEFAULTS.validPct})
  --seed N             seed for split, shuffling, augmentation and head init (default ${TRAINING_DEFAULTS.seed})
  --metrics a,b        accuracy, error_rate, top_<k>_accuracy, f1_macro, per_class (default accuracy)
  --label-smoothing E  LabelSmoothingCrossEntropy with ε = E (fastai uses 0.1)
  --mixup ALPHA        MixUp with Beta(ALPHA, ALPHA) (fastai uses 0.4)
  --patience N         stop after N epochs without a better valid_loss
  --tta                also report test-time-augmented accuracy at the end
  --out DIR            write model.onnx, checkpoint.safetensors, history.json and run.json there
  --interpret          also write the interpretation (confusion.png, top-losses.png, grad-cam/,
                       interpretation.json) to DIR/interpretation; needs --out
  --workers N          image decoding threads; --quiet no progress
  ${RUNTIME_USAGE}`;

export const TRAIN_FLAGS = {
  ...COMMON_FLAGS,
  recipe: { type: "string" },
  budget: { type: "string" },
  "max-memory": { type: "string" },
  views: { type: "string" },
  features: { type: "string" },
  epochs: { type: "string" },
  lr: { type: "string" },
  "freeze-epochs": { type: "string" },
  "one-cycle": { type: "boolean" },
  frozen: { type: "boolean" },
  patience: { type: "string" },
  tta: { type: "boolean" },
  out: { type: "string" },
  interpret: { type: "boolean" },
} as const;

/** The spec from the flags, every value checked before any file is read. */
function specOf(values: FlagValues): TrainingSpec {
  if (values["one-cycle"] && values.frozen) throw new UsageError("--one-cycle and --frozen exclude each other");
  const named = stringFlag(values, "recipe");
  const alias: RecipeName | undefined = values["one-cycle"] ? "FIT_ONE_CYCLE" : values.frozen ? "FROZEN_HEAD" : undefined;
  if (named && alias) throw new UsageError(`--recipe ${named} and --${values["one-cycle"] ? "one-cycle" : "frozen"} exclude each other`);
  const recipe = alias ?? named?.toUpperCase().replaceAll("-", "_");
  const settings = sessionSettings(values);
  const budget = stringFlag(values, "budget");
  const maxMemory = stringFlag(values, "max-memory");
  try {
    return resolveTrainingSpec({
      recipe,
      epochs: numberFlag(values, "epochs", TRAINING_DEFAULTS.epochs, { integer: true, min: 1, max: 10_000 }),
      freezeEpochs: numberFlag(values, "freeze-epochs", TRAINING_DEFAULTS.freezeEpochs, { integer: true, min: 0, max: 10_000 }),
      learningRate: optionalNumberFlag(values, "lr", { min: 0, exclusiveMin: true, max: 100 }),
      views: numberFlag(values, "views", TRAINING_DEFAULTS.views, { integer: true, min: 1, max: 64 }),
      features: stringFlag(values, "features")?.toUpperCase().replaceAll("-", "_"),
      budgetSeconds: budget === undefined ? undefined : parseDuration(budget, "--budget"),
      maxMemoryBytes: maxMemory === undefined ? undefined : parseByteSize(maxMemory, "--max-memory"),
      patience: optionalNumberFlag(values, "patience", { integer: true, min: 1 }),
      batchSize: settings.batchSize,
      seed: settings.seed,
      validPct: settings.validPct,
      labelSmoothing: settings.smoothing,
      mixup: settings.mixup,
    });
  } catch (error) {
    if (error instanceof SpecError) {
      if (error.field === "recipe") throw new UsageError(`--recipe must be one of ${RECIPES.join(", ")}, got '${named}'`);
      if (error.field === "maxMemoryBytes") throw new UsageError(`--max-memory must be between 1m and 1024t, got '${maxMemory}'`);
      if (error.field === "features") throw new UsageError(`--features must be one of ${PROBE_FEATURES.join(", ")}, got '${stringFlag(values, "features")}'`);
      throw new UsageError(error.message);
    }
    throw error;
  }
}

export async function trainCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, TRAIN_FLAGS);
  if (positionals.length > 1) throw new UsageError(`train takes one data set, got ${positionals.length}: ${positionals.join(" ")}`);
  const spec = specOf(values);
  const out = stringFlag(values, "out");
  if (values.interpret && !out) throw new UsageError("--interpret needs --out (the interpretation is written to DIR/interpretation)");
  const settings = sessionSettings(values);
  const dataset = await readDataset(positionals[0]);
  const metrics = metricsOf(values, dataset.classes);
  const backbone = loadBackbone(settings.arch);
  const split = splitTrainValid(dataset.items, { validPct: spec.validPct, seed: spec.seed });
  const history: HistoryEpoch[] = [];
  let stage: Stage | undefined;
  const interrupt = new AbortController();
  // The recipe stops at its next batch or stage and throws this; nothing has been written yet,
  // so a second signal need not wait for it.
  const release = catchInterrupts((signal) => {
    if (interrupt.signal.aborted) process.exit(exitCodeOf(signal));
    interrupt.abort(new Interrupted(signal, `interrupted by ${signal} during training; nothing was written`));
  });
  const progress = values.quiet ? [] : [new ProgressCallback()];
  const stopper = spec.patience === undefined ? [] : [new EarlyStopping({ patience: spec.patience })];
  const log = (line: string) => void (values.quiet ? undefined : process.stderr.write(`${line}\n`));
  let outcome: TrainingOutcome;
  try {
    outcome = await trainWithSpec(
      {
        dataset,
        split,
        backbone: backbone.model,
        normalization: backbone.normalization,
        metrics,
        log,
        callbacks: [historyOf(history, () => stage), new AbortCallback(interrupt.signal), ...progress, ...stopper],
        trialCallbacks: [new AbortCallback(interrupt.signal), ...progress],
        session: settings.session,
        signal: interrupt.signal,
        ...(settings.size ? { inputSize: settings.size } : {}),
        ...(settings.workers === undefined ? {} : { workers: settings.workers }),
      },
      spec,
      { hooks: { beforeStage: (next) => void (stage = next) } },
    );
  } finally {
    release();
  }
  const session: LearnerSession = {
    learner: outcome.learner,
    dataset,
    data: outcome.data,
    backboneName: backbone.name,
    inputSize: outcome.classifier.inputSize,
    normalization: resolveNormalization(backbone.normalization),
    classifier: outcome.classifier,
    dataPath: resolve(positionals[0]!),
    session: settings.session,
    split: { validPct: spec.validPct, seed: spec.seed },
    close: outcome.close,
  };
  try {
    const { learner } = session;
    const result = await learner.validate();
    const summary: Record<string, number> = { valid_loss: result.loss, ...result.metrics, probe_accuracy: outcome.probe.validAccuracy };
    if (values.tta) summary.tta_accuracy = accuracy.compute(await learner.tta()) as number;
    const recipe = outcome.recipe + (spec.recipe === "AUTO" ? " (chosen by AUTO)" : "");
    process.stdout.write(
      `${Object.entries(summary)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join("  ")}  (${recipe}, ${outcome.seconds.toFixed(1)} s, ${dataset.classes.length} classes)\n`,
    );
    if (out) await writeOutputs(resolve(out), session, { summary, epochs: history, outcome, interpret: values.interpret === true });
  } finally {
    await session.close();
  }
}

/** One epoch in history.json: numbered across the stages of the final run, with its stage and its number within it. */
type HistoryEpoch = EpochRecord & { stage: Stage["phase"] | undefined; epochInStage: number };

/** Every epoch of every stage of the final run (the learner's recorder keeps only the last fit, numbered from 0). */
function historyOf(history: HistoryEpoch[], currentStage: () => Stage | undefined): Callback {
  return {
    name: "history",
    order: 55,
    afterEpoch: (state) => {
      const record = state.learner.recorder.epochs.at(-1)!;
      history.push({ ...record, epoch: history.length, stage: currentStage()?.phase, epochInStage: record.epoch });
    },
  };
}

interface RunOutputs {
  summary: Record<string, number>;
  epochs: HistoryEpoch[];
  outcome: TrainingOutcome;
  /** Also write DIR/interpretation. */
  interpret: boolean;
}

/** model.onnx, the checkpoint, history.json and run.json (and the interpretation), under the folder's INCOMPLETE marker. */
async function writeOutputs(dir: string, session: LearnerSession, outputs: RunOutputs): Promise<void> {
  const { classifier, dataset } = session;
  const head = JSON.parse(classifier.model.metadata["runboard.head"] ?? "{}") as RunHead & { classes?: number };
  delete head.classes;
  const validCount = splitTrainValid(dataset.items, session.split).valid.length;
  // The split that was used: the data set's train/valid folders when it has them, else validPct.
  const used = recordedSplit(dataset.items, session.split.validPct);
  const { outcome } = outputs;
  const training = { recipe: outcome.recipe, settings: outcome.settings, probe: outcome.probe, ...(outcome.auto ? { auto: outcome.auto } : {}) };
  const history = {
    arch: session.backboneName,
    classes: dataset.classes,
    contentHash: dataset.contentHash,
    split: { ...used, seed: session.split.seed, train: dataset.items.length - validCount, valid: validCount },
    training,
    summary: outputs.summary,
    epochs: outputs.epochs,
  };
  const steps = [
    async () =>
      exportClassifier(session.learner.exportModel(), join(dir, RUN_FILES.model), {
        classes: dataset.classes,
        inputSize: session.inputSize,
        normalization: session.normalization,
        architecture: session.backboneName,
        feature: classifier.feature,
        // Data made by `convert`: the model replays the conversion, so predict takes raw files.
        conversion: await findConversion(session.dataPath),
      }),
    () => session.learner.trainer.saveCheckpoint(join(dir, RUN_FILES.checkpoint)),
    () => writeFileAtomically(join(dir, RUN_FILES.history), `${JSON.stringify(history, null, 2)}\n`),
    () =>
      writeRunRecord(dir, {
        format: RUN_FORMAT,
        arch: recordedArch(session.backboneName),
        classes: dataset.classes,
        inputSize: session.inputSize,
        normalization: session.normalization,
        head: { ...head, feature: classifier.feature },
        data: { path: session.dataPath, contentHash: dataset.contentHash, ...used, seed: session.split.seed, validCount },
        createdAt: new Date().toISOString(),
      }),
    () => process.stderr.write(`wrote ${join(dir, RUN_FILES.model)}, ${RUN_FILES.checkpoint}, ${RUN_FILES.history} and ${RUN_FILES.record}\n`),
    ...(outputs.interpret ? [() => writeInterpretation(dir, session)] : []),
  ];
  await writeRunFolder(dir, steps);
}

/** Zoo names as they are; backbone files by absolute path, so the run folder works from anywhere. */
function recordedArch(arch: string): string {
  return zooNames().includes(arch) ? arch : resolve(arch);
}

async function writeInterpretation(dir: string, session: LearnerSession): Promise<void> {
  const outDir = join(dir, "interpretation");
  const split = splitTrainValid(session.dataset.items, session.split);
  const summary = await interpretModel({
    modelPath: join(dir, RUN_FILES.model),
    dataset: session.dataset,
    split,
    outDir,
    top: 9,
    gradCam: 4,
    session: session.session,
  });
  process.stderr.write(`${describeInterpretation(summary, outDir)}\n`);
}
