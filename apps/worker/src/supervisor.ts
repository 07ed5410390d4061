/**
 * The supervisor of one attempt, in the worker's main process: it forks the run's training
 * process and, while it trains, keeps the run's bookkeeping that must never wait on training:
 * the heartbeat, the metric buffer and log (points and lines arrive over IPC), params and
 * artifact records, and stopping (cancel, run taken by another worker, worker shutdown).
 *
 * The attempt ends when the training process has exited. It either said how training ended
 * (finished, failed, stopped), or it did not: then it died (killed, crashed, out of memory),
 * and the caller queues the run again from its last checkpoint.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { CancelWatch } from "./cancel-watch.ts";
import type { RunReporter } from "./metric-buffer.ts";
import type { SupervisorMessage, TrainingEnd, TrainingMessage } from "./run-messages.ts";
import type { DeviceOptions } from "./run-inputs.ts";
import { type ClaimedRun, heartbeat } from "./run-store.ts";
import type { RunWrites } from "./run-writes.ts";

const TRAINING_PROCESS = fileURLToPath(new URL("./training-child.ts", import.meta.url));

/** A training process told to stop that has not exited by then is killed (its last checkpoint is on disk, written atomically). */
const STOP_GRACE_MS = 2_500;

export interface SupervisorContext {
  pool: pg.Pool;
  workerId: string;
  artifactRoot: string;
  device: DeviceOptions;
  heartbeatMs: number;
  cancels: CancelWatch;
  /** Aborted when the worker shuts down: every attempt stops within one batch. */
  shutdown: AbortSignal;
}

/** Why the supervisor stops an attempt. */
export type StopReason = "canceled" | "lost" | "shutdown";

export type AttemptResult =
  | { kind: "finished"; overheadMs: number }
  | { kind: "failed"; message: string; overheadMs: number }
  | { kind: "stopped"; reason: StopReason; overheadMs: number }
  | { kind: "died"; cause: string };

function forkTraining(): ChildProcess {
  // Training code is TypeScript, run through tsx as the worker itself is.
  return fork(TRAINING_PROCESS, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

class Supervision {
  private stopReason: StopReason | undefined;
  private end: { end: TrainingEnd; overheadMs: number } | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: SupervisorContext,
    private readonly run: ClaimedRun,
    private readonly reporter: RunReporter,
    private readonly writes: RunWrites,
    private readonly child: ChildProcess,
  ) {}

  /** Tells the training process to stop; kills it if it has not exited within the grace period. */
  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.send({ type: "stop", reason });
    this.killTimer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
  }

  receive(message: TrainingMessage): void {
    switch (message.type) {
      case "points":
        for (const p of message.points) this.reporter.point(p.key, p.step, p.value, p.epoch, new Date(p.wallTime));
        return;
      case "log":
        return this.reporter.log(message.message, message.level, new Date(message.time));
      case "params":
        return this.writes.params(message.params);
      case "artifact":
        return this.writes.artifact(message.artifact);
      case "resumed":
        return this.writes.resumed({ step: message.step, epoch: message.epoch });
      case "flush":
        void this.reporter
          .flush()
          .then(
            () => true,
            () => false,
          )
          .then((stored) => this.send({ type: "flushed", id: message.id, stored }));
        return;
      case "end":
        this.end ??= { end: message.end, overheadMs: message.overheadMs };
    }
  }

  beat(): void {
    heartbeat(this.ctx.pool, this.run.id, this.ctx.workerId)
      .then((result) => {
        if (result !== "ok") this.stop(result);
      })
      .catch(() => undefined); // database away: training goes on, the next beat retries
  }

  /** How the attempt ended, once the training process has exited with the exit's code and signal. */
  result(code: number | null, signal: NodeJS.Signals | null): AttemptResult {
    clearTimeout(this.killTimer);
    const overheadMs = this.end?.overheadMs ?? 0;
    if (this.end?.end.outcome === "finished") return { kind: "finished", overheadMs };
    if (this.end?.end.outcome === "failed") return { kind: "failed", message: this.end.end.message, overheadMs };
    if (this.stopReason !== undefined) return { kind: "stopped", reason: this.stopReason, overheadMs };
    return { kind: "died", cause: signal !== null ? `was killed (${signal})` : `exited with code ${code ?? "unknown"} without finishing` };
  }

  start(): void {
    const { run, ctx } = this;
    this.send({ type: "start", run, artifactRoot: ctx.artifactRoot, device: ctx.device });
  }

  private send(message: SupervisorMessage): void {
    // A send that fails means the process is exiting; its exit says how the attempt ended.
    if (this.child.connected) this.child.send(message, () => undefined);
  }
}

/** Trains one attempt of `run` in its own process; resolves once that process has exited. */
export function superviseAttempt(ctx: SupervisorContext, run: ClaimedRun, reporter: RunReporter, writes: RunWrites): Promise<AttemptResult> {
  if (ctx.shutdown.aborted) return Promise.resolve({ kind: "stopped", reason: "shutdown", overheadMs: 0 });
  const child = forkTraining();
  const supervision = new Supervision(ctx, run, reporter, writes, child);
  reporter.log(`training in process ${child.pid ?? "(not started)"}`);
  if (child.pid !== undefined) writes.process(child.pid);
  const onShutdown = () => supervision.stop("shutdown");
  ctx.shutdown.addEventListener("abort", onShutdown);
  const unwatch = ctx.cancels.watch(run.id, () => supervision.stop("canceled"));
  const beat = setInterval(() => supervision.beat(), ctx.heartbeatMs);
  child.on("message", (message: TrainingMessage) => supervision.receive(message));
  supervision.start();
  return new Promise((resolve) => {
    let finished = false;
    const finish = (result: AttemptResult) => {
      if (finished) return;
      finished = true;
      clearInterval(beat);
      unwatch();
      ctx.shutdown.removeEventListener("abort", onShutdown);
      resolve(result);
    };
    // 'close' comes after the exit and after every message the process sent has been received.
    child.once("close", (code, signal) => finish(supervision.result(code, signal)));
    child.once("error", (error) => {
      if (child.pid === undefined) finish({ kind: "died", cause: `could not be started: ${error.message}` });
    });
  });
}
