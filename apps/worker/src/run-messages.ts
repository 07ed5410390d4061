/**
 * What the supervisor (the worker's main process) and a run's training process say to each
 * other over the IPC channel. The training process never touches the database: it sends what
 * it records, and asks the supervisor to flush before it writes a checkpoint.
 */
import type { TypedParam } from "@runboard/db";
import type { DeviceOptions } from "./run-inputs.ts";
import type { ClaimedRun, StoredArtifact } from "./run-store.ts";

export type LogLevel = "info" | "warn" | "error";

export interface PointMessage {
  key: string;
  step: number;
  value: number;
  epoch: number | null;
  /** Milliseconds since the epoch, when the training process measured it. */
  wallTime: number;
}

/** Supervisor → training process. */
export type SupervisorMessage =
  | { type: "start"; run: ClaimedRun; artifactRoot: string; device: DeviceOptions }
  /** Stop within one batch (cancel, run taken by another worker, worker shutting down). */
  | { type: "stop"; reason: string }
  /** The answer to `flush`: whether every point and log line sent before it is stored. */
  | { type: "flushed"; id: number; stored: boolean };

/** How the training of one attempt ended, as the training process saw it. */
export type TrainingEnd = { outcome: "finished" } | { outcome: "stopped" } | { outcome: "failed"; message: string };

/** Training process → supervisor. */
export type TrainingMessage =
  | { type: "points"; points: PointMessage[] }
  | { type: "log"; message: string; level: LogLevel; time: number }
  | { type: "params"; params: TypedParam[] }
  | { type: "artifact"; artifact: StoredArtifact }
  /** The attempt resumed from the checkpoint after this global step and epoch. */
  | { type: "resumed"; step: number; epoch: number }
  | { type: "flush"; id: number }
  /** Last message: how training ended, and the time spent reporting (benchmark). */
  | { type: "end"; end: TrainingEnd; overheadMs: number };
