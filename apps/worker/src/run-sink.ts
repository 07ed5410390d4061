/**
 * Where the training process puts what a run records: metric points, log lines, params and
 * artifact notices go to the supervisor over IPC, in the order they were made. Points are
 * sent in small batches (one message per tick, not one per point); any other message sends
 * the points before it first, so the supervisor sees everything in order.
 */
import type { TypedParam } from "@runboard/db";
import type { LogLevel, PointMessage, SupervisorMessage, TrainingMessage } from "./run-messages.ts";
import type { StoredArtifact } from "./run-store.ts";

export interface RunSink {
  point(key: string, step: number, value: number, epoch?: number): void;
  log(message: string, level?: LogLevel): void;
  params(params: TypedParam[]): void;
  artifact(artifact: StoredArtifact): void;
  /** The attempt resumes from the checkpoint after this global step and epoch (the attempt's record). */
  resumed(from: { step: number; epoch: number }): void;
  /** Resolves true once everything sent so far is stored in the database, false if it could not be. */
  flush(): Promise<boolean>;
}

const POINT_BATCH_MS = 50;

export class IpcRunSink implements RunSink {
  private points: PointMessage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextFlushId = 0;
  private readonly flushes = new Map<number, (stored: boolean) => void>();

  constructor(private readonly send: (message: TrainingMessage) => void) {}

  /** Routes the supervisor's answers to `flush`. */
  receive(message: SupervisorMessage): void {
    if (message.type !== "flushed") return;
    this.flushes.get(message.id)?.(message.stored);
    this.flushes.delete(message.id);
  }

  point(key: string, step: number, value: number, epoch?: number): void {
    if (!Number.isFinite(value)) return;
    this.points.push({ key, step, value, epoch: epoch ?? null, wallTime: Date.now() });
    this.timer ??= setTimeout(() => this.sendPoints(), POINT_BATCH_MS);
  }

  log(message: string, level: LogLevel = "info"): void {
    this.sendInOrder({ type: "log", message, level, time: Date.now() });
  }

  params(params: TypedParam[]): void {
    this.sendInOrder({ type: "params", params });
  }

  artifact(artifact: StoredArtifact): void {
    this.sendInOrder({ type: "artifact", artifact });
  }

  resumed(from: { step: number; epoch: number }): void {
    this.sendInOrder({ type: "resumed", step: from.step, epoch: from.epoch });
  }

  flush(): Promise<boolean> {
    const id = this.nextFlushId++;
    const stored = new Promise<boolean>((resolve) => this.flushes.set(id, resolve));
    this.sendInOrder({ type: "flush", id });
    return stored;
  }

  /** Sends the points still batched, then `message`. */
  sendInOrder(message: TrainingMessage): void {
    this.sendPoints();
    this.send(message);
  }

  private sendPoints(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.points.length === 0) return;
    const points = this.points;
    this.points = [];
    this.send({ type: "points", points });
  }
}
