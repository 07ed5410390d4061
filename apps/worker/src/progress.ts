/**
 * The worker's fit callback, on every fit of the recipe's final run: per training step the
 * loss, learning rates and momentum; per epoch validation loss, metrics, throughput, phase and
 * system load (GPUs through nvidia-smi where present), all through the run's sink (never
 * awaited: training does not wait on the database). Steps and epochs are global across
 * the recipe's fits (each fit continues where the one before stopped), so a resumed run
 * continues the same series.
 */
import os from "node:os";
import type { Callback, FitState } from "@runboard/trainer/learner";
import { GpuProbe } from "./gpu-metrics.ts";
import type { RunSink } from "./run-sink.ts";

/** One per process: nvidia-smi is looked up on PATH once. */
const gpuProbe = new GpuProbe();

export const PHASE_VALUE = { frozen: 0, unfrozen: 1 } as const;

export interface ProgressPosition {
  /** Global training steps done. */
  step: number;
  /** Global epochs done. */
  epoch: number;
}

export class ProgressReporter implements Callback {
  readonly name = "runboardProgress";
  /** Before EarlyStopping (60): the epoch that stops a fit is reported too. */
  readonly order = 59;
  /** What the fits of the current stage train (set by the recipe's stage hook). */
  phase: keyof typeof PHASE_VALUE = "frozen";
  /** Epochs reported by this reporter (this attempt). */
  epochsReported = 0;
  private readonly done: ProgressPosition;
  private fitStart: ProgressPosition;
  private epochImages = 0;
  private lastCpu = process.cpuUsage();
  private lastCpuAt = performance.now();
  /** Time spent inside this callback (the reporting overhead the benchmark measures). */
  overheadMs = 0;

  constructor(
    private readonly reporter: Pick<RunSink, "point" | "log">,
    start: ProgressPosition,
    private readonly onEpochEnd: (state: FitState, globalStep: number, globalEpoch: number) => Promise<void>,
  ) {
    this.done = { ...start };
    this.fitStart = { ...start };
  }

  /** Global steps and epochs done so far. */
  get position(): ProgressPosition {
    return { ...this.done };
  }

  globalStep(state: FitState): number {
    return this.fitStart.step + state.trainIteration;
  }

  beforeFit(): void {
    this.fitStart = { ...this.done };
  }

  beforeEpoch(): void {
    this.epochImages = 0;
  }

  afterBatch(state: FitState): void {
    const started = performance.now();
    if (state.training) {
      const step = this.globalStep(state);
      this.done.step = step;
      const epoch = this.fitStart.epoch + state.epoch + state.iteration / state.trainBatches;
      const rates = state.hyper.learningRates;
      this.reporter.point("train_loss", step, state.loss, epoch);
      this.reporter.point("train_loss_smooth", step, state.smoothLoss, epoch);
      this.reporter.point("lr", step, rates[rates.length - 1] ?? Number.NaN, epoch);
      rates.forEach((rate, group) => this.reporter.point(`lr_group_${group}`, step, rate, epoch));
      this.reporter.point("momentum", step, state.hyper.momentum, epoch);
      this.epochImages += state.batchSize;
    } else {
      this.epochImages += state.batchSize;
    }
    this.overheadMs += performance.now() - started;
  }

  async afterEpoch(state: FitState): Promise<void> {
    const step = this.globalStep(state);
    const epoch = this.fitStart.epoch + state.epoch + 1;
    this.done.epoch = epoch;
    this.epochsReported++;
    const seconds = (Date.now() - state.epochStart) / 1000;
    const points: Record<string, number> = {
      valid_loss: state.validation?.loss ?? Number.NaN,
      train_loss_epoch: state.trainLoss,
      epoch_seconds: seconds,
      images_per_second: this.epochImages / Math.max(seconds, 1e-6),
      phase: PHASE_VALUE[this.phase],
      ...this.systemLoad(),
      ...(await gpuProbe.points()),
    };
    for (const [key, value] of Object.entries(state.validation?.metrics ?? {})) points[key] = value;
    for (const [key, value] of Object.entries(points)) this.reporter.point(key, step, value, epoch);
    const summary = Object.entries(points)
      .filter(([key]) => !key.startsWith("system/"))
      .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`);
    this.reporter.log(`epoch ${epoch} (${this.phase}): ${summary.join(", ")}`);
    await this.onEpochEnd(state, step, epoch);
  }

  /** CPU use of this process since the last epoch (percent of one core) and memory. */
  private systemLoad(): Record<string, number> {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const percent = ((cpu.user + cpu.system) / 1000 / Math.max(now - this.lastCpuAt, 1)) * 100;
    this.lastCpu = process.cpuUsage();
    this.lastCpuAt = now;
    return {
      "system/cpu_percent": percent,
      "system/memory_rss_mb": process.memoryUsage().rss / 2 ** 20,
      "system/memory_used_percent": (1 - os.freemem() / os.totalmem()) * 100,
      "system/load_average": os.loadavg()[0] ?? 0,
    };
  }
}
