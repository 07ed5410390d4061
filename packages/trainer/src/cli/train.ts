/**
 * runboard-train train <data> --arch <name|file>: fine_tune by default (fastai's recipe),
 * --one-cycle (everything trains) or --frozen (the head only). Progress on stderr, the final
 * validation metrics on stdout; --out writes model.onnx, a checkpoint, history.json and run.json
 * (what export and interpret need), --interpret the interpretation report too.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AbortCallback, accuracy, EarlyStopping, type Callback, type EpochRecord, type Learner } from "../learner/index.ts";
import { splitTrainValid } from "../data/index.ts";
import { zooNames } from "./arch.ts";
import { exportClassifier } from "./export-model.ts";
import { findConversion } from "../convert/dataset.ts";
import { describeInterpretation, interpretModel } from "./interpretation.ts";
import { RUN_FILES, RUN_FORMAT, type RunHead, writeRunRecord } from "./run-record.ts";
import { type FlagValues, numberFlag, RUNTIME_USAGE, optionalNumberFlag, parseFlags, stringFlag, UsageError } from "./options.ts";
import { COMMON_FLAGS, type LearnerSession, openSession } from "./session.ts";

export const TRAIN_USAGE = `runboard-train train <data-folder-or-csv> [--arch <zoo name|file.onnx|file.tflite>] [options]
  --arch A             backbone: a zoo name (default mobilenet-v2-imagenet, bundled), an .onnx or .tflite file
  --epochs N           epochs after unfreezing (fine_tune) or in total (default 1)
  --lr X               base learning rate (fine_tune default 2e-3; --one-cycle/--frozen 1e-3)
  --freeze-epochs N    frozen epochs before unfreezing (fine_tune, default 1)
  --one-cycle          fit_one_cycle with every layer training
  --frozen             fit_one_cycle of the new head only (backbone frozen)
  --bs N               batch size (default 64)
  --size N | HxW       image size (default: the backbone's own)
  --valid-pct X        validation fraction when the data has no train/valid split (default 0.2)
  --seed N             seed for split, shuffling, augmentation and head init (default 42)
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

export async function trainCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, TRAIN_FLAGS);
  if (positionals.length > 1) throw new UsageError(`train takes one data set, got ${positionals.length}: ${positionals.join(" ")}`);
  if (values["one-cycle"] && values.frozen) throw new UsageError("--one-cycle and --frozen exclude each other");
  const epochs = numberFlag(values, "epochs", 1, { integer: true, min: 1, max: 10_000 });
  const freezeEpochs = numberFlag(values, "freeze-epochs", 1, { integer: true, min: 0, max: 10_000 });
  const lr = optionalNumberFlag(values, "lr", { min: 0, exclusiveMin: true, max: 100 });
  const patience = optionalNumberFlag(values, "patience", { integer: true, min: 1 });
  const out = stringFlag(values, "out");
  if (values.interpret && !out) throw new UsageError("--interpret needs --out (the interpretation is written to DIR/interpretation)");
  const session = await openSession(positionals[0], values);
  try {
    const { learner } = session;
    const { history, seconds } = await train(values, { epochs, freezeEpochs, lr, patience }, learner);
    const result = await learner.validate();
    const summary: Record<string, number> = { valid_loss: result.loss, ...result.metrics };
    if (values.tta) summary.tta_accuracy = accuracy.compute(await learner.tta()) as number;
    process.stdout.write(`${Object.entries(summary).map(([k, v]) => `${k} ${v.toFixed(4)}`).join("  ")}  (${seconds.toFixed(1)} s, ${session.dataset.classes.length} classes)\n`);
    if (out) await writeOutputs(resolve(out), session, summary, history);
    if (out && values.interpret) await writeInterpretation(resolve(out), session);
  } finally {
    await session.close();
  }
}

interface RecipeSettings {
  epochs: number;
  freezeEpochs: number;
  lr: number | undefined;
  patience: number | undefined;
}

/** Runs the recipe; Ctrl-C stops after the batch in flight, and the model so far is still evaluated and written. */
async function train(values: FlagValues, settings: RecipeSettings, learner: Learner): Promise<{ history: EpochRecord[]; seconds: number }> {
  const history: EpochRecord[] = [];
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort("interrupted");
  process.once("SIGINT", onInterrupt);
  const stopper = settings.patience === undefined ? [] : [new EarlyStopping({ patience: settings.patience })];
  const callbacks: Callback[] = [historyOf(history), new AbortCallback(interrupt.signal), ...stopper];
  const started = Date.now();
  try {
    await runRecipe(values, settings, callbacks, learner);
  } finally {
    process.off("SIGINT", onInterrupt);
  }
  return { history, seconds: (Date.now() - started) / 1000 };
}

async function runRecipe(values: FlagValues, { epochs, freezeEpochs, lr }: RecipeSettings, callbacks: Callback[], learner: Learner): Promise<void> {
  if (values["one-cycle"]) {
    learner.unfreeze();
    await learner.fitOneCycle(epochs, lr ?? 1e-3, { callbacks });
  } else if (values.frozen) {
    learner.freeze();
    await learner.fitOneCycle(epochs, lr ?? 1e-3, { callbacks });
  } else {
    await learner.fineTune(epochs, { baseLr: lr ?? 2e-3, freezeEpochs, callbacks });
  }
}

/** Every epoch of every fit of the recipe (the learner's recorder keeps only the last fit). */
function historyOf(history: EpochRecord[]): Callback {
  return { name: "history", order: 55, afterEpoch: (state) => void history.push(state.learner.recorder.epochs.at(-1)!) };
}

async function writeOutputs(dir: string, session: LearnerSession, summary: Record<string, number>, epochs: EpochRecord[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { classifier, dataset } = session;
  const head = JSON.parse(classifier.model.metadata["runboard.head"] ?? "{}") as RunHead & { classes?: number };
  delete head.classes;
  await exportClassifier(session.learner.exportModel(), join(dir, RUN_FILES.model), {
    classes: dataset.classes, inputSize: session.inputSize, normalization: session.normalization, architecture: session.backboneName, feature: classifier.feature,
    // Data made by `convert`: the model replays the conversion, so predict takes raw files.
    conversion: await findConversion(session.dataPath),
  });
  session.learner.trainer.saveCheckpoint(join(dir, RUN_FILES.checkpoint));
  const history = { arch: session.backboneName, classes: dataset.classes, contentHash: dataset.contentHash, split: session.split, summary, epochs };
  writeFileSync(join(dir, RUN_FILES.history), `${JSON.stringify(history, null, 2)}\n`);
  const validCount = splitTrainValid(dataset.items, session.split).valid.length;
  writeRunRecord(dir, {
    format: RUN_FORMAT, arch: recordedArch(session.backboneName), classes: dataset.classes, inputSize: session.inputSize, normalization: session.normalization,
    head: { ...head, feature: classifier.feature }, data: { path: session.dataPath, contentHash: dataset.contentHash, ...session.split, validCount }, createdAt: new Date().toISOString(),
  });
  process.stderr.write(`wrote ${join(dir, RUN_FILES.model)}, ${RUN_FILES.checkpoint}, ${RUN_FILES.history} and ${RUN_FILES.record}\n`);
}

/** Zoo names as they are; backbone files by absolute path, so the run folder works from anywhere. */
function recordedArch(arch: string): string {
  return zooNames().includes(arch) ? arch : resolve(arch);
}

async function writeInterpretation(dir: string, session: LearnerSession): Promise<void> {
  const outDir = join(dir, "interpretation");
  const split = splitTrainValid(session.dataset.items, session.split);
  const summary = await interpretModel({ modelPath: join(dir, RUN_FILES.model), dataset: session.dataset, split, outDir, top: 9, gradCam: 4, session: session.session });
  process.stderr.write(`${describeInterpretation(summary, outDir)}\n`);
}
