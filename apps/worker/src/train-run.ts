/**
 * One job: take the run, train the attempt in its own process under this worker's supervision
 * (supervisor.ts), then record how it ended:
 * - finished: SUCCEEDED, once every metric point, log line, param and artifact is stored;
 * - failed (training threw): FAILED with the error;
 * - canceled, or lost to another worker (this one was taken for dead): stop, write no status
 *   (the attempt is ended CANCELED or LOST, unless the cancel or the sweep ended it already);
 * - the worker shuts down: queued again at once, without using up an attempt;
 * - the training process died: queued again as the next attempt (or FAILED when none is left).
 * A requeued run resumes from its last checkpoint.
 */
import type { TrainJob } from "@runboard/queue";
import { RunReporter } from "./metric-buffer.ts";
import { requeueOwnRun } from "./recovery.ts";
import { claimRun, type ClaimedRun, endOwnAttempt, finishRun } from "./run-store.ts";
import { RunWrites } from "./run-writes.ts";
import { persistently } from "./sql.ts";
import { type AttemptResult, superviseAttempt, type SupervisorContext } from "./supervisor.ts";

export interface WorkerContext extends SupervisorContext {
  flushMs: number;
  /** The runs this worker supervises now (never swept by it). */
  supervised: Set<string>;
  /** Receives each run's reporting overhead (benchmark). */
  onOverhead?: (runId: string, overheadMs: number) => void;
}

async function succeed(ctx: WorkerContext, run: ClaimedRun, reporter: RunReporter, writes: RunWrites): Promise<void> {
  try {
    await writes.settle();
  } catch (error) {
    return fail(ctx, run, reporter, error instanceof Error ? error.message : String(error));
  }
  reporter.log("finished");
  await reporter.close();
  await persistently(() => finishRun(ctx.pool, run, ctx.workerId, "SUCCEEDED", null));
}

async function fail(ctx: WorkerContext, run: ClaimedRun, reporter: RunReporter, message: string): Promise<void> {
  reporter.log(`failed: ${message}`, "error");
  await reporter.close();
  await persistently(() => finishRun(ctx.pool, run, ctx.workerId, "FAILED", message));
}

/** The log is closed before the run goes back to the queue: the next attempt's lines follow this one's. */
async function requeue(ctx: WorkerContext, run: ClaimedRun, reporter: RunReporter, writes: RunWrites, reason: string, spareAttempt: boolean): Promise<void> {
  await writes.settle().catch(() => undefined);
  await reporter.close();
  const requeued = await persistently(() => requeueOwnRun(ctx.pool, run.id, ctx.workerId, reason, spareAttempt));
  if (requeued !== null) console.log(`worker ${ctx.workerId}: run ${run.id}: ${requeued.error}`);
}

async function conclude(ctx: WorkerContext, run: ClaimedRun, reporter: RunReporter, writes: RunWrites, result: AttemptResult): Promise<void> {
  if (result.kind !== "died") ctx.onOverhead?.(run.id, result.overheadMs);
  switch (result.kind) {
    case "finished":
      return succeed(ctx, run, reporter, writes);
    case "failed":
      await writes.settle().catch(() => undefined);
      return fail(ctx, run, reporter, result.message);
    case "stopped":
      if (result.reason === "shutdown") {
        reporter.log(`stopped: worker ${ctx.workerId} is shutting down; the run goes back to the queue and resumes from its last checkpoint`);
        return requeue(ctx, run, reporter, writes, `worker ${ctx.workerId} shut down during attempt ${run.attempt}`, true);
      }
      reporter.log(`stopped: ${result.reason}`);
      await writes.settle().catch(() => undefined);
      await reporter.close();
      return persistently(() =>
        result.reason === "canceled"
          ? endOwnAttempt(ctx.pool, run, "CANCELED", "canceled")
          : endOwnAttempt(ctx.pool, run, "LOST", `worker ${ctx.workerId} was taken for lost while it trained the run`),
      );
    case "died":
      reporter.log(`the training process ${result.cause}`, "error");
      return requeue(ctx, run, reporter, writes, `the training process of attempt ${run.attempt} ${result.cause}`, false);
  }
}

export async function trainJob(ctx: WorkerContext, job: TrainJob): Promise<void> {
  const run = await claimRun(ctx.pool, job.runId, job.attempt, ctx.workerId);
  if (run === null) return; // canceled, or a job of an attempt that is no longer current
  ctx.supervised.add(run.id);
  try {
    const reporter = new RunReporter(ctx.pool, run, ctx.flushMs, run.nextLogSeq);
    const writes = new RunWrites(ctx.pool, run.id, run.attempt);
    reporter.log(`worker ${ctx.workerId} took the run (attempt ${run.attempt} of ${run.maxAttempts})`);
    const result = await superviseAttempt(ctx, run, reporter, writes);
    await conclude(ctx, run, reporter, writes, result);
  } finally {
    ctx.supervised.delete(run.id);
  }
}
