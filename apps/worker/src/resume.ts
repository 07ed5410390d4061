/**
 * Checkpoints for recovery: after every epoch the trainer's state (weights and optimizer)
 * and where the recipe stood, under the run's artifact folder. A run taken again after its
 * worker died continues from there; the epochs it repeats write metric points that are
 * already stored, and those are ignored by (run, key, step).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ResumePoint {
  /** Index of the stage to continue and epochs of it already done. */
  stage: number;
  epochInStage: number;
  globalStep: number;
  globalEpoch: number;
}

export function checkpointDir(runDir: string): string {
  return join(runDir, "checkpoint");
}

export function readResumePoint(runDir: string): ResumePoint | null {
  const path = join(checkpointDir(runDir), "progress.json");
  if (!existsSync(path) || !existsSync(join(checkpointDir(runDir), "last.safetensors"))) return null;
  return JSON.parse(readFileSync(path, "utf8")) as ResumePoint;
}

/** Writes the checkpoint, then the progress file (each renamed into place, so a crash never leaves a torn pair). */
export function writeResumePoint(runDir: string, point: ResumePoint, saveCheckpoint: (path: string) => void): void {
  const dir = checkpointDir(runDir);
  mkdirSync(dir, { recursive: true });
  saveCheckpoint(join(dir, "last.partial.safetensors"));
  renameSync(join(dir, "last.partial.safetensors"), join(dir, "last.safetensors"));
  writeFileSync(join(dir, "progress.partial.json"), JSON.stringify(point));
  renameSync(join(dir, "progress.partial.json"), join(dir, "progress.json"));
}

export function lastCheckpointPath(runDir: string): string {
  return join(checkpointDir(runDir), "last.safetensors");
}
