/**
 * A run's training process (forked by the worker's supervisor, one per attempt). Training is
 * CPU-bound and may hold this process's event loop for seconds at a time; that is why it runs
 * here and not in the worker, whose loop must keep heartbeating and storing metrics.
 *
 * It waits for `start`, trains, sends `end` and exits. `stop` ends training within one batch.
 * Signals from the terminal (Ctrl-C reaches the whole process group) are left to the
 * supervisor, which stops this process itself; when the supervisor is gone (the IPC channel
 * closes), nobody records this run any more, so it exits at once.
 */
import { IpcRunSink } from "./run-sink.ts";
import type { SupervisorMessage, TrainingEnd, TrainingMessage } from "./run-messages.ts";
import { trainAttempt } from "./run-training.ts";

function send(message: TrainingMessage): void {
  process.send?.(message);
}

function endAndExit(end: TrainingEnd, overheadMs: number): void {
  if (!process.connected) process.exit(1);
  process.send?.({ type: "end", end, overheadMs } satisfies TrainingMessage, undefined, {}, () => process.exit(0));
}

/** An error thrown outside the training's own promise chain (a callback, a stream) fails the run with its message, like any training error. */
function failOnStrayError(error: unknown): void {
  console.error(error);
  endAndExit({ outcome: "failed", message: error instanceof Error ? error.message : String(error) }, 0);
}

async function train(start: Extract<SupervisorMessage, { type: "start" }>, sink: IpcRunSink, stop: AbortController): Promise<void> {
  try {
    const { overheadMs } = await trainAttempt({ run: start.run, artifactRoot: start.artifactRoot, device: start.device, sink, signal: stop.signal });
    endAndExit(stop.signal.aborted ? { outcome: "stopped" } : { outcome: "finished" }, overheadMs);
  } catch (error) {
    if (stop.signal.aborted) return endAndExit({ outcome: "stopped" }, 0);
    const message = error instanceof Error ? error.message : String(error);
    endAndExit({ outcome: "failed", message }, 0);
  }
}

function main(): void {
  if (process.send === undefined) throw new Error("the training process is started by the worker (child_process.fork), not on its own");
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => undefined);
  process.on("disconnect", () => process.exit(1));
  process.on("uncaughtException", failOnStrayError);
  process.on("unhandledRejection", failOnStrayError);
  const sink = new IpcRunSink(send);
  const stop = new AbortController();
  let started = false;
  process.on("message", (message: SupervisorMessage) => {
    if (message.type === "start" && !started) {
      started = true;
      void train(message, sink, stop);
    } else if (message.type === "stop") stop.abort(message.reason);
    else sink.receive(message);
  });
}

main();
