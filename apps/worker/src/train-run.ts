/**
 * One job: take the run, train it, report, store the outputs, finish. Cancellation (LISTEN or
 * heartbeat) aborts within one batch and leaves the run CANCELED; losing the run to another
 * worker (this one was taken for dead) stops without writing a status.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { typedParam, type TypedParam } from "@runboard/api/services/params";
import { resolveTrainingSettings, type TrainingSettings, type TrainJob } from "@runboard/queue";
import type { Conversion } from "@runboard/trainer/convert/index";
import { EarlyStopping, SaveBest } from "@runboard/trainer/learner/index";
import type pg from "pg";
import { ArtifactWriter, writeFinalArtifacts, writeLrFind } from "./artifacts.ts";
import type { CancelWatch } from "./cancel-watch.ts";
import { type DeviceOptions, openSession, type TrainingSession } from "./learner-setup.ts";
import { RunReporter } from "./metric-buffer.ts";
import { ProgressReporter } from "./progress.ts";
import { applyPhase, recipeStages, runStage, type Stage, stagePeaks } from "./recipe.ts";
import { checkpointDir, lastCheckpointPath, readResumePoint, type ResumePoint, writeResumePoint } from "./resume.ts";
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

/** The transfer-learning facts of the run, as typed params (set once; a resumed run sends the same values). */
function transferParams(run: ClaimedRun, session: TrainingSession, stages: Stage[], device: DeviceOptions): TypedParam[] {
  const { architecture } = run;
  const params: TypedParam[] = [
    typedParam("transfer.backbone", architecture.name),
    typedParam("transfer.backbone_family", architecture.family),
    typedParam("transfer.weights_source", architecture.pretrainedOn ?? "unknown"),
    typedParam("transfer.weights_file", architecture.fileUri ?? architecture.name),
    typedParam("transfer.layer_groups", session.learner.groupCount),
    typedParam("transfer.freeze_schedule", stages.map((s) => `${s.phase}:${s.epochs}`).join(",")),
    typedParam("data.classes", session.dataset.classes.length),
    typedParam("data.content_hash", session.dataset.contentHash),
    typedParam("data.valid_items", session.validPaths.length),
    typedParam("data.input_size", `${session.inputSize[0]}x${session.inputSize[1]}`),
    typedParam("worker.device", device.device),
  ];
  if (session.conversion) params.push(...conversionParams(session.conversion));
  if (architecture.fileHash) params.push(typedParam("transfer.weights_sha256", architecture.fileHash));
  stages.forEach((stage, s) => {
    params.push(typedParam(`transfer.stage_${s}.phase`, stage.phase), typedParam(`transfer.stage_${s}.epochs`, stage.epochs));
    stagePeaks(session.learner, stage).forEach((lr, g) => params.push(typedParam(`transfer.stage_${s}.lr_group_${g}`, lr)));
  });
  return params;
}

interface Training {
  run: ClaimedRun;
  settings: TrainingSettings;
  session: TrainingSession;
  reporter: RunReporter;
  writer: ArtifactWriter;
  signal: AbortSignal;
}

async function trainStages(ctx: WorkerContext, t: Training, resume: ResumePoint | null): Promise<string> {
  const { learner } = t.session;
  const stages = recipeStages(t.settings);
  let step = resume?.globalStep ?? 0;
  let epoch = resume?.globalEpoch ?? 0;
  const bestPath = join(checkpointDir(t.writer.dir), "best.safetensors");
  mkdirSync(checkpointDir(t.writer.dir), { recursive: true });
  for (let s = resume?.stage ?? 0; s < stages.length; s++) {
    const stage = stages[s]!;
    applyPhase(learner, stage);
    const fromEpoch = resume !== null && s === resume.stage ? resume.epochInStage : 0;
    if (resume !== null && s === resume.stage) {
      await learner.trainer.loadCheckpoint(lastCheckpointPath(t.writer.dir));
      t.reporter.log(`resumed from the checkpoint after epoch ${resume.globalEpoch} (step ${resume.globalStep}), attempt ${t.run.attempt}`);
    }
    t.reporter.log(`stage ${s + 1}/${stages.length}: ${stage.phase}, epochs ${fromEpoch + 1}-${stage.epochs}, peak lr ${stagePeaks(learner, stage).map((lr) => lr.toExponential(2)).join(", ")}`);
    const progress = new ProgressReporter(t.reporter, { stepOffset: step, epochOffset: epoch, phase: stage.phase }, async (state, globalStep, globalEpoch) => {
      step = globalStep;
      epoch = globalEpoch;
      // Only a checkpoint whose epochs' points are stored may be resumed from: no point is lost.
      const stored = await t.reporter.flush().then(() => true, () => false);
      const point = { stage: s, epochInStage: fromEpoch + state.epoch + 1, globalStep, globalEpoch };
      if (stored) writeResumePoint(t.writer.dir, point, (path) => learner.trainer.saveCheckpoint(path));
    });
    const stopper = t.settings.earlyStoppingPatience === null ? [] : [new EarlyStopping({ patience: t.settings.earlyStoppingPatience })];
    await runStage(learner, stage, fromEpoch, [progress, new SaveBest(bestPath, { loadAtEnd: false }), ...stopper]);
    ctx.onOverhead?.(t.run.id, progress.overheadMs);
    if (t.signal.aborted) return bestPath;
  }
  return bestPath;
}

async function train(ctx: WorkerContext, run: ClaimedRun, reporter: RunReporter, signal: AbortSignal): Promise<void> {
  const settings = resolveTrainingSettings(run.hyperparameters);
  const session = await openSession(run, settings, ctx.device, signal);
  try {
    const writer = new ArtifactWriter(ctx.artifactRoot, ctx.pool, run.id);
    const resume = run.attempt > 1 ? readResumePoint(writer.dir) : null;
    await persistently(() => recordParams(ctx.pool, run.id, transferParams(run, session, recipeStages(settings), ctx.device)));
    reporter.log(`training ${run.architecture.name} on ${run.dataset.name}: ${session.dataset.items.length} images, ${session.dataset.classes.length} classes, ${ctx.device.device}`);
    if (resume === null && settings.lrFind) {
      const result = await session.learner.lrFind({ numIt: settings.lrFindSteps });
      await writeLrFind(writer, result);
      const suggested = Object.entries(result.suggestions).map(([name, s]) => `${name} ${s?.learningRate.toExponential(2)}`);
      reporter.log(`lr_find: ${[...suggested, ...(result.reason ? [`no suggestion: ${result.reason}`] : [])].join(", ")}`);
    }
    const bestPath = await trainStages(ctx, { run, settings, session, reporter, writer, signal }, resume);
    if (signal.aborted) return;
    await writeFinalArtifacts(writer, session, bestPath);
  } finally {
    await session.close();
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
