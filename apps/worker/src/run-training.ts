/**
 * One attempt's training, inside the run's training process: read the data, lr_find when asked
 * (first attempt), train with the trainer's trainWithSpec (the run's recipe, AUTO by default)
 * from the last checkpoint when an earlier attempt left one, store the outputs. Everything it
 * records goes to the run's sink; stopping (`signal`) ends it within one batch.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { typedParam } from "@runboard/db";
import { resolveTrainingSettings, type TrainingSettings, trainingSpecOf } from "@runboard/queue";
import { resolveNormalization } from "@runboard/trainer/data";
import { AbortCallback, type Callback, EarlyStopping, type FitState, type Learner, SaveBest } from "@runboard/trainer/learner";
import { type ConcreteRecipe, type RecipeSettings, type Stage, type TrainingHooks, type TrainingOutcome, trainWithSpec } from "@runboard/trainer/recipes";
import { ArtifactWriter, type TrainedModel, writeFinalArtifacts, writeLrFind } from "./artifacts.ts";
import { findLearningRate, lrFindSkipped } from "./lr-find.ts";
import { ProgressReporter } from "./progress.ts";
import { choiceParams, runParams, stageParams } from "./run-params.ts";
import { checkpointDir, lastCheckpointPath, readResumePoint, type ResumePoint, writeResumePoint } from "./resume.ts";
import { type DeviceOptions, readRunData, type RunData, trainingInputs } from "./run-inputs.ts";
import type { RunSink } from "./run-sink.ts";
import type { ClaimedRun } from "./run-store.ts";

const stageLabel = (stage: Stage) => (stage.phase === "probe" ? "probe" : `${stage.phase}:${stage.epochs}`);

/** SaveBest on the run's learner only: not on the head's own learner of a stage on cached features (its checkpoint holds the head alone). */
class SaveBestOfRun extends SaveBest {
  constructor(
    path: string,
    private readonly isRunLearner: (learner: Learner) => boolean,
  ) {
    super(path, { loadAtEnd: false });
  }

  override beforeFit(state?: FitState): void {
    if (state === undefined || this.isRunLearner(state.learner)) super.beforeFit();
  }

  override afterEpoch(state: FitState): void {
    if (this.isRunLearner(state.learner)) super.afterEpoch(state);
  }
}

/**
 * The run's side of trainWithSpec: the hooks (AUTO's choice and each stage recorded as params,
 * a checkpoint after each stage) and the final fits' callbacks (progress with a checkpoint
 * after each epoch of a stage on the run's learner, best checkpoint, early stopping, abort).
 */
class RunTraining {
  readonly progress: ProgressReporter;
  readonly bestPath: string;
  private current: { stage: Stage; learner: Learner } | undefined;
  private chosen: { recipe: ConcreteRecipe; settings: RecipeSettings } | undefined;
  private readonly stages: string[];

  constructor(
    private readonly sink: RunSink,
    private readonly writer: ArtifactWriter,
    private readonly signal: AbortSignal,
    resume: ResumePoint | null,
  ) {
    this.stages = resume ? [...resume.stages] : [];
    if (resume) this.chosen = { recipe: resume.recipe, settings: resume.settings };
    this.progress = new ProgressReporter(sink, { step: resume?.globalStep ?? 0, epoch: resume?.globalEpoch ?? 0 }, (state) => this.afterEpoch(state));
    mkdirSync(checkpointDir(writer.dir), { recursive: true });
    this.bestPath = join(checkpointDir(writer.dir), "best.safetensors");
  }

  readonly hooks: TrainingHooks = {
    chosen: (recipe, settings, auto) => {
      this.chosen = { recipe, settings };
      this.sink.params(choiceParams(recipe, settings, auto));
    },
    beforeStage: (stage, learner) => {
      this.current = { stage, learner };
      if (stage.phase !== "probe") this.progress.phase = stage.phase;
      this.stages[stage.index] = stageLabel(stage);
      this.sink.params(stageParams(stage, learner));
      const epochs = stage.epochs > 0 ? `, epochs ${stage.fromEpoch + 1}-${stage.epochs}` : "";
      const rates = stage.learningRates.length > 0 ? `, peak lr ${stage.learningRates.map((lr) => lr.toExponential(2)).join(", ")}` : "";
      this.sink.log(
        `stage ${stage.index + 1}: ${stage.recipe} ${stage.phase}${epochs}${rates}${stage.onFeatures && stage.phase !== "probe" ? " (the head on cached features)" : ""}`,
      );
    },
    afterStage: async (stage, learner) => {
      await this.checkpoint(learner, stage.index + 1, 0);
    },
  };

  callbacks(settings: TrainingSettings): Callback[] {
    const stopper = settings.earlyStoppingPatience === null ? [] : [new EarlyStopping({ patience: settings.earlyStoppingPatience })];
    return [this.progress, new SaveBestOfRun(this.bestPath, (learner) => learner === this.current?.learner), ...stopper, new AbortCallback(this.signal)];
  }

  /** "frozen:1,unfrozen:3": the recipe's stages. */
  get freezeSchedule(): string {
    return this.stages.filter((s) => s !== undefined).join(",");
  }

  /** After an epoch of the run's learner (not of a stage on cached features: that stage restarts on resume), unless the stage ends with it (afterStage checkpoints then). */
  private async afterEpoch(state: FitState): Promise<void> {
    const current = this.current;
    if (current === undefined || state.learner !== current.learner) return;
    const epochInStage = current.stage.fromEpoch + state.epoch + 1;
    if (epochInStage >= current.stage.epochs) return;
    await this.checkpoint(current.learner, current.stage.index, epochInStage);
  }

  private async checkpoint(learner: Learner, stage: number, epochInStage: number): Promise<void> {
    if (this.signal.aborted || this.chosen === undefined) return;
    // Only a checkpoint whose epochs' points are stored may be resumed from: no point is lost.
    if (!(await this.sink.flush())) return;
    const { step, epoch } = this.progress.position;
    const point: ResumePoint = {
      ...this.chosen,
      stage,
      epochInStage,
      globalStep: step,
      globalEpoch: epoch,
      stages: this.stages.filter((s) => s !== undefined),
    };
    writeResumePoint(this.writer.dir, point, (path) => learner.trainer.saveCheckpoint(path));
  }

  /** The probe's validation accuracy beside the run's metrics; the final validation when no epoch was reported (LINEAR_PROBE, or resumed past the last fit). */
  async recordOutcome(outcome: TrainingOutcome, auto: boolean): Promise<void> {
    const { step, epoch } = this.progress.position;
    this.sink.point("probe_accuracy", step, outcome.probe.validAccuracy, epoch);
    if (this.progress.epochsReported === 0) {
      const result = await outcome.learner.validate();
      this.sink.point("valid_loss", step, result.loss, epoch);
      for (const [key, value] of Object.entries(result.metrics)) this.sink.point(key, step, value, epoch);
      const summary = [
        `valid_loss ${Number(result.loss.toPrecision(4))}`,
        ...Object.entries(result.metrics).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`),
      ];
      this.sink.log(`final validation: ${summary.join(", ")}`);
    }
    const input = outcome.classifier.inputSize;
    this.sink.params([
      typedParam("transfer.freeze_schedule", this.freezeSchedule),
      typedParam("transfer.probe_l2", outcome.probe.l2),
      typedParam("data.input_size", `${input[0]}x${input[1]}`),
    ]);
    this.sink.log(
      `${outcome.recipe}${auto ? " (chosen by AUTO)" : ""}: trained in ${outcome.seconds.toFixed(1)} s; probe baseline ${(100 * outcome.probe.validAccuracy).toFixed(2)}%`,
    );
  }
}

async function lrFindFirst(
  data: RunData,
  settings: TrainingSettings,
  device: DeviceOptions,
  writer: ArtifactWriter,
  sink: RunSink,
  signal: AbortSignal,
): Promise<void> {
  const skipped = lrFindSkipped(settings);
  if (skipped !== null) {
    if (settings.lrFind) sink.log(`lr_find: skipped: ${skipped}`);
    return;
  }
  const result = await findLearningRate(data, settings, trainingSpecOf(settings), device, signal);
  if (signal.aborted) return;
  await writeLrFind(writer, result);
  const suggested = Object.entries(result.suggestions).map(([name, s]) => `${name} ${s?.learningRate.toExponential(2)}`);
  sink.log(`lr_find: ${[...suggested, ...(result.reason ? [`no suggestion: ${result.reason}`] : [])].join(", ")}`);
}

/** Where this attempt starts, said in the run's log: an earlier attempt's checkpoint, or the beginning. */
function startingPoint(run: ClaimedRun, runDir: string, sink: RunSink): ResumePoint | null {
  if (run.attempt === 1) return null;
  const resume = readResumePoint(runDir);
  if (resume === null)
    sink.log(`attempt ${run.attempt}: no checkpoint from an earlier attempt (none finished an epoch of the final training); training starts over`);
  else {
    sink.log(
      `resumed from the checkpoint after epoch ${resume.globalEpoch} (step ${resume.globalStep}): ${resume.recipe}, stage ${resume.stage + 1} after ${resume.epochInStage} of its epochs, attempt ${run.attempt}`,
    );
    sink.resumed({ step: resume.globalStep, epoch: resume.globalEpoch });
  }
  return resume;
}

export interface AttemptContext {
  run: ClaimedRun;
  artifactRoot: string;
  device: DeviceOptions;
  sink: RunSink;
  signal: AbortSignal;
}

/** Trains the attempt; returns the time spent reporting. Throws when training fails (not when it is stopped). */
export async function trainAttempt({ run, artifactRoot, device, sink, signal }: AttemptContext): Promise<{ overheadMs: number }> {
  const settings = resolveTrainingSettings(run.hyperparameters);
  const spec = trainingSpecOf(settings);
  const data = await readRunData(run, settings);
  const writer = new ArtifactWriter(artifactRoot, run.id, (artifact) => sink.artifact(artifact));
  sink.params(runParams(run, data, device));
  sink.log(
    `training ${run.architecture.name} on ${run.dataset.name}: ${data.dataset.items.length} images, ${data.dataset.classes.length} classes, recipe ${settings.recipe}, ${device.device}`,
  );
  const resume = startingPoint(run, writer.dir, sink);
  if (resume === null) await lrFindFirst(data, settings, device, writer, sink, signal);
  const training = new RunTraining(sink, writer, signal, resume);
  let outcome: TrainingOutcome;
  try {
    const inputs = trainingInputs(data, settings, device, {
      callbacks: training.callbacks(settings),
      trialCallbacks: [new AbortCallback(signal)],
      signal,
      log: (line) => sink.log(line),
    });
    const from = resume
      ? {
          resume: {
            recipe: resume.recipe,
            settings: resume.settings,
            stage: resume.stage,
            epochInStage: resume.epochInStage,
            checkpointPath: lastCheckpointPath(writer.dir),
          },
        }
      : {};
    outcome = await trainWithSpec(inputs, spec, { hooks: training.hooks, ...from });
  } catch (error) {
    if (signal.aborted) return { overheadMs: training.progress.overheadMs };
    throw error;
  }
  try {
    if (signal.aborted) return { overheadMs: training.progress.overheadMs };
    await training.recordOutcome(outcome, settings.recipe === "AUTO");
    const trained: TrainedModel = {
      learner: outcome.learner,
      classes: data.dataset.classes,
      inputSize: outcome.classifier.inputSize,
      normalization: resolveNormalization(data.backbone.normalization),
      backboneName: data.backbone.name,
      feature: outcome.classifier.feature,
      conversion: data.conversion,
      validPaths: data.validPaths,
    };
    await writeFinalArtifacts(writer, trained, training.bestPath);
    return { overheadMs: training.progress.overheadMs };
  } finally {
    await outcome.close();
  }
}
