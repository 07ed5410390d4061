/**
 * One job: take the run, train it with the trainer's trainWithSpec (the run's recipe, AUTO by
 * default), report, store the outputs, finish. Cancellation (LISTEN or heartbeat) aborts
 * within one batch and leaves the run CANCELED; losing the run to another worker (this one was
 * taken for dead) stops without writing a status.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { typedParam, type TypedParam } from "@runboard/api/services/params";
import { resolveTrainingSettings, type TrainingSettings, trainingSpecOf, type TrainJob } from "@runboard/queue";
import type { Conversion } from "@runboard/trainer/convert";
import { resolveNormalization } from "@runboard/trainer/data";
import { AbortCallback, type Callback, EarlyStopping, type FitState, type Learner, SaveBest } from "@runboard/trainer/learner";
import {
  type AutoReport, type ConcreteRecipe, type RecipeSettings, type Stage, type TrainingHooks, type TrainingOutcome, trainWithSpec,
} from "@runboard/trainer/recipes";
import type pg from "pg";
import { ArtifactWriter, type TrainedModel, writeFinalArtifacts, writeLrFind } from "./artifacts.ts";
import type { CancelWatch } from "./cancel-watch.ts";
import { findLearningRate, lrFindSkipped } from "./lr-find.ts";
import { RunReporter } from "./metric-buffer.ts";
import { ProgressReporter } from "./progress.ts";
import { checkpointDir, lastCheckpointPath, readResumePoint, type ResumePoint, writeResumePoint } from "./resume.ts";
import { type DeviceOptions, readRunData, type RunData, trainingInputs } from "./run-inputs.ts";
import { claimRun, type ClaimedRun, finishRun, heartbeat, recordParams } from "./run-store.ts";
import { persistently } from "./sql.ts";

export interface WorkerContext {
  pool: pg.Pool;
  workerId: string;
  artifactRoot: string;
  device: DeviceOptions;
  heartbeatMs: number;
  flushMs: number;
  cancels: CancelWatch;
  /** Receives each run's reporting overhead (benchmark). */
  onOverhead?: (runId: string, overheadMs: number) => void;
}

/** A converted dataset's kind and options as params (data.conversion.nMels, ...), so runs compare by them. */
function conversionParams(conversion: Conversion): TypedParam[] {
  const params = [typedParam("data.conversion", conversion.kind)];
  if (conversion.kind === "timeseries") params.push(typedParam("data.conversion.format", conversion.format));
  for (const [option, value] of Object.entries(conversion.options)) {
    if (value === null) continue;
    const scalar = typeof value === "number" || typeof value === "boolean" || typeof value === "string" ? value : Array.isArray(value) ? value.join(",") : JSON.stringify(value);
    params.push(typedParam(`data.conversion.${option}`, scalar));
  }
  return params;
}

/** The backbone, data and device of the run, as typed params (set once; a resumed run sends the same values). */
function runParams(run: ClaimedRun, data: RunData, device: DeviceOptions): TypedParam[] {
  const { architecture } = run;
  const params: TypedParam[] = [
    typedParam("transfer.backbone", architecture.name),
    typedParam("transfer.backbone_family", architecture.family),
    typedParam("transfer.weights_source", architecture.pretrainedOn ?? "unknown"),
    typedParam("transfer.weights_file", architecture.fileUri ?? architecture.name),
    typedParam("data.classes", data.dataset.classes.length),
    typedParam("data.content_hash", data.dataset.contentHash),
    typedParam("data.train_items", data.split.train.length),
    typedParam("data.valid_items", data.split.valid.length),
    typedParam("worker.device", device.device),
  ];
  if (data.conversion) params.push(...conversionParams(data.conversion));
  if (architecture.fileHash) params.push(typedParam("transfer.weights_sha256", architecture.fileHash));
  return params;
}

/** The recipe that trains the model (AUTO's choice), its settings, and what AUTO tried and why it chose. */
function choiceParams(recipe: ConcreteRecipe, settings: RecipeSettings, auto: AutoReport | undefined): TypedParam[] {
  const params = [typedParam("transfer.recipe", recipe), typedParam("transfer.views", settings.views)];
  if (recipe !== "LINEAR_PROBE") params.push(typedParam("transfer.epochs", settings.epochs), typedParam("transfer.learning_rate", settings.learningRate));
  if (recipe === "FINE_TUNE") params.push(typedParam("transfer.freeze_epochs", settings.freezeEpochs));
  if (auto === undefined) return params;
  params.push(
    typedParam("auto.chosen", auto.winner.recipe), typedParam("auto.reason", auto.reason), typedParam("auto.budget_seconds", auto.budgetSeconds),
    typedParam("auto.fitting_items", auto.fitting), typedParam("auto.held_back_items", auto.heldBack),
  );
  auto.candidates.forEach((candidate, i) => {
    const key = `auto.candidate_${i}`;
    params.push(typedParam(`${key}.recipe`, candidate.recipe), typedParam(`${key}.seconds`, candidate.seconds));
    if (candidate.recipe !== "LINEAR_PROBE") params.push(typedParam(`${key}.epochs`, candidate.settings.epochs), typedParam(`${key}.learning_rate`, candidate.settings.learningRate));
    if (candidate.heldBackAccuracy !== undefined) params.push(typedParam(`${key}.held_back_accuracy`, candidate.heldBackAccuracy));
    if (candidate.skipped !== undefined) params.push(typedParam(`${key}.skipped`, candidate.skipped));
  });
  return params;
}

function stageParams(stage: Stage, learner: Learner): TypedParam[] {
  const key = `transfer.stage_${stage.index}`;
  return [
    typedParam("transfer.layer_groups", learner.groupCount),
    typedParam(`${key}.phase`, stage.phase), typedParam(`${key}.epochs`, stage.epochs),
    ...stage.learningRates.map((lr, g) => typedParam(`${key}.lr_group_${g}`, lr)),
  ];
}

const stageLabel = (stage: Stage) => (stage.phase === "probe" ? "probe" : `${stage.phase}:${stage.epochs}`);

/** Params written beside training, in order, retried while the database is away; `settle` waits for them. */
class ParamWriter {
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly pool: pg.Pool, private readonly runId: string) {}

  add(params: TypedParam[]): void {
    this.pending = this.pending.then(() => persistently(() => recordParams(this.pool, this.runId, params))).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  async settle(): Promise<void> {
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
  }
}

/** SaveBest on the run's learner only: not on the head's own learner of a stage on cached features (its checkpoint holds the head alone). */
class SaveBestOfRun extends SaveBest {
  constructor(path: string, private readonly isRunLearner: (learner: Learner) => boolean) {
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
  readonly params: ParamWriter;
  readonly bestPath: string;
  private current: { stage: Stage; learner: Learner } | undefined;
  private chosen: { recipe: ConcreteRecipe; settings: RecipeSettings } | undefined;
  private readonly stages: string[];

  constructor(ctx: WorkerContext, run: ClaimedRun, private readonly reporter: RunReporter, private readonly writer: ArtifactWriter, private readonly signal: AbortSignal, resume: ResumePoint | null) {
    this.params = new ParamWriter(ctx.pool, run.id);
    this.stages = resume ? [...resume.stages] : [];
    if (resume) this.chosen = { recipe: resume.recipe, settings: resume.settings };
    this.progress = new ProgressReporter(reporter, { step: resume?.globalStep ?? 0, epoch: resume?.globalEpoch ?? 0 }, (state) => this.afterEpoch(state));
    mkdirSync(checkpointDir(writer.dir), { recursive: true });
    this.bestPath = join(checkpointDir(writer.dir), "best.safetensors");
  }

  readonly hooks: TrainingHooks = {
    chosen: (recipe, settings, auto) => {
      this.chosen = { recipe, settings };
      this.params.add(choiceParams(recipe, settings, auto));
    },
    beforeStage: (stage, learner) => {
      this.current = { stage, learner };
      if (stage.phase !== "probe") this.progress.phase = stage.phase;
      this.stages[stage.index] = stageLabel(stage);
      this.params.add(stageParams(stage, learner));
      const epochs = stage.epochs > 0 ? `, epochs ${stage.fromEpoch + 1}-${stage.epochs}` : "";
      const rates = stage.learningRates.length > 0 ? `, peak lr ${stage.learningRates.map((lr) => lr.toExponential(2)).join(", ")}` : "";
      this.reporter.log(`stage ${stage.index + 1}: ${stage.recipe} ${stage.phase}${epochs}${rates}${stage.onFeatures && stage.phase !== "probe" ? " (the head on cached features)" : ""}`);
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
    const stored = await this.reporter.flush().then(() => true, () => false);
    if (!stored) return;
    const { step, epoch } = this.progress.position;
    const point: ResumePoint = { ...this.chosen, stage, epochInStage, globalStep: step, globalEpoch: epoch, stages: this.stages.filter((s) => s !== undefined) };
    writeResumePoint(this.writer.dir, point, (path) => learner.trainer.saveCheckpoint(path));
  }

  /** The probe's validation accuracy beside the run's metrics; the final validation when no epoch was reported (LINEAR_PROBE, or resumed past the last fit). */
  async recordOutcome(outcome: TrainingOutcome, auto: boolean): Promise<void> {
    const { step, epoch } = this.progress.position;
    this.reporter.point("probe_accuracy", step, outcome.probe.validAccuracy, epoch);
    if (this.progress.epochsReported === 0) {
      const result = await outcome.learner.validate();
      this.reporter.point("valid_loss", step, result.loss, epoch);
      for (const [key, value] of Object.entries(result.metrics)) this.reporter.point(key, step, value, epoch);
      const summary = [`valid_loss ${Number(result.loss.toPrecision(4))}`, ...Object.entries(result.metrics).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)];
      this.reporter.log(`final validation: ${summary.join(", ")}`);
    }
    const input = outcome.classifier.inputSize;
    this.params.add([
      typedParam("transfer.freeze_schedule", this.freezeSchedule), typedParam("transfer.probe_l2", outcome.probe.l2), typedParam("data.input_size", `${input[0]}x${input[1]}`),
    ]);
    this.reporter.log(`${outcome.recipe}${auto ? " (chosen by AUTO)" : ""}: trained in ${outcome.seconds.toFixed(1)} s; probe baseline ${(100 * outcome.probe.validAccuracy).toFixed(2)}%`);
  }
}

async function lrFindFirst(ctx: WorkerContext, data: RunData, settings: TrainingSettings, writer: ArtifactWriter, reporter: RunReporter, signal: AbortSignal): Promise<void> {
  const skipped = lrFindSkipped(settings);
  if (skipped !== null) {
    if (settings.lrFind) reporter.log(`lr_find: skipped: ${skipped}`);
    return;
  }
  const result = await findLearningRate(data, settings, trainingSpecOf(settings), ctx.device, signal);
  if (signal.aborted) return;
  await writeLrFind(writer, result);
  const suggested = Object.entries(result.suggestions).map(([name, s]) => `${name} ${s?.learningRate.toExponential(2)}`);
  reporter.log(`lr_find: ${[...suggested, ...(result.reason ? [`no suggestion: ${result.reason}`] : [])].join(", ")}`);
}

async function train(ctx: WorkerContext, run: ClaimedRun, reporter: RunReporter, signal: AbortSignal): Promise<void> {
  const settings = resolveTrainingSettings(run.hyperparameters);
  const spec = trainingSpecOf(settings);
  const data = await readRunData(run, settings);
  const writer = new ArtifactWriter(ctx.artifactRoot, ctx.pool, run.id);
  const resume = run.attempt > 1 ? readResumePoint(writer.dir) : null;
  await persistently(() => recordParams(ctx.pool, run.id, runParams(run, data, ctx.device)));
  reporter.log(`training ${run.architecture.name} on ${run.dataset.name}: ${data.dataset.items.length} images, ${data.dataset.classes.length} classes, recipe ${settings.recipe}, ${ctx.device.device}`);
  if (resume === null) await lrFindFirst(ctx, data, settings, writer, reporter, signal);
  else {
    reporter.log(`resumed from the checkpoint after epoch ${resume.globalEpoch} (step ${resume.globalStep}): ${resume.recipe}, stage ${resume.stage + 1} after ${resume.epochInStage} of its epochs, attempt ${run.attempt}`);
  }
  const training = new RunTraining(ctx, run, reporter, writer, signal, resume);
  let outcome: TrainingOutcome;
  try {
    const inputs = trainingInputs(data, settings, ctx.device, {
      callbacks: training.callbacks(settings), trialCallbacks: [new AbortCallback(signal)], signal, log: (line) => reporter.log(line),
    });
    const from = resume ? { resume: { recipe: resume.recipe, settings: resume.settings, stage: resume.stage, epochInStage: resume.epochInStage, checkpointPath: lastCheckpointPath(writer.dir) } } : {};
    outcome = await trainWithSpec(inputs, spec, { hooks: training.hooks, ...from });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  } finally {
    ctx.onOverhead?.(run.id, training.progress.overheadMs);
  }
  try {
    if (signal.aborted) return;
    await training.recordOutcome(outcome, settings.recipe === "AUTO");
    await training.params.settle();
    const trained: TrainedModel = {
      learner: outcome.learner, classes: data.dataset.classes, inputSize: outcome.classifier.inputSize, normalization: resolveNormalization(data.backbone.normalization),
      backboneName: data.backbone.name, feature: outcome.classifier.feature, conversion: data.conversion, validPaths: data.validPaths,
    };
    await writeFinalArtifacts(writer, trained, training.bestPath);
  } finally {
    await outcome.close();
  }
}

function startHeartbeat(ctx: WorkerContext, runId: string, abort: AbortController): NodeJS.Timeout {
  const timer = setInterval(() => {
    heartbeat(ctx.pool, runId, ctx.workerId)
      .then((result) => {
        if (result !== "ok") abort.abort(result);
      })
      .catch(() => undefined); // database away: keep training, the next beat retries
  }, ctx.heartbeatMs);
  timer.unref();
  return timer;
}

export async function trainJob(ctx: WorkerContext, job: TrainJob): Promise<void> {
  const run = await claimRun(ctx.pool, job.runId, job.attempt, ctx.workerId);
  if (run === null) return; // canceled, or a job of an attempt that is no longer current
  const reporter = new RunReporter(ctx.pool, run, ctx.flushMs, run.nextLogSeq);
  const abort = new AbortController();
  const unwatch = ctx.cancels.watch(run.id, () => abort.abort("canceled"));
  const beat = startHeartbeat(ctx, run.id, abort);
  reporter.log(`worker ${ctx.workerId} took the run (attempt ${run.attempt} of ${run.maxAttempts})`);
  try {
    await train(ctx, run, reporter, abort.signal);
    reporter.log(abort.signal.aborted ? `stopped: ${String(abort.signal.reason)}` : "finished");
    await reporter.close();
    if (!abort.signal.aborted) await persistently(() => finishRun(ctx.pool, run, ctx.workerId, "SUCCEEDED", null));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reporter.log(`failed: ${message}`, "error");
    await reporter.close();
    await persistently(() => finishRun(ctx.pool, run, ctx.workerId, "FAILED", message));
  } finally {
    clearInterval(beat);
    unwatch();
  }
}
