/**
 * Console progress (fastai's ProgressCallback): a bar with ETA for each training and
 * validation phase, and one table row per epoch (train_loss, valid_loss, metrics, time).
 * On a terminal the bar redraws in place; elsewhere it prints at most every 10%.
 */
import type { Callback } from "./events.ts";
import type { FitState } from "./state.ts";

export interface ProgressOptions {
  stream?: { write(text: string): unknown; isTTY?: boolean };
  barWidth?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (v: number) => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

/** "[#####.....] 12/40 30% loss 0.532 eta 00:12" */
export function progressLine(label: string, done: number, total: number, elapsedSeconds: number, width: number, extra = ""): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const eta = done > 0 ? (elapsedSeconds / done) * (total - done) : Number.NaN;
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${Math.round(fraction * 100)}%${extra} eta ${formatDuration(eta)}`;
}

export class ProgressCallback implements Callback {
  readonly name = "progress";
  readonly order = 70;
  private readonly stream: NonNullable<ProgressOptions["stream"]>;
  private readonly width: number;
  private phaseStart = 0;
  private phaseTotal = 0;
  private lastDecile = -1;
  private headerDone = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.width = options.barWidth ?? 30;
  }

  beforeFit(): void {
    this.headerDone = false;
  }

  beforeTrain(state: FitState): void {
    this.startPhase(state.trainBatches);
  }

  beforeValidate(state: FitState): void {
    this.startPhase(state.learner.data.valid.length);
  }

  afterBatch(state: FitState): void {
    const done = state.iteration + 1;
    const label = `epoch ${state.epoch + 1}/${state.epochs} ${state.training ? "train" : "valid"}`;
    const loss = state.training ? ` loss ${state.smoothLoss.toFixed(4)}` : "";
    const line = progressLine(label, done, this.phaseTotal, (Date.now() - this.phaseStart) / 1000, this.width, loss);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const decile = Math.floor((done / Math.max(1, this.phaseTotal)) * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${line}\n`);
    }
  }

  afterEpoch(state: FitState): void {
    const metrics = state.validation?.metrics ?? {};
    if (this.stream.isTTY) this.stream.write("\r\x1b[K");
    const names = ["epoch", "train_loss", "valid_loss", ...Object.keys(metrics), "time"];
    if (!this.headerDone) {
      this.stream.write(`${names.map((n) => n.padEnd(12)).join(" ")}\n`);
      this.headerDone = true;
    }
    const values = [
      String(state.epoch),
      state.smoothLoss.toFixed(6),
      (state.validation?.loss ?? Number.NaN).toFixed(6),
      ...Object.values(metrics).map((v) => v.toFixed(6)),
      formatDuration((Date.now() - state.epochStart) / 1000),
    ];
    this.stream.write(`${values.map((v) => v.padEnd(12)).join(" ")}\n`);
  }

  private startPhase(total: number): void {
    this.phaseStart = Date.now();
    this.phaseTotal = total;
    this.lastDecile = -1;
  }
}
