/**
 * Checkpoints for recovery, under the run's artifact folder: after every stage of the recipe,
 * and after every epoch of a stage that fits the whole classifier on images, the learner's
 * state (weights, optimizer, frozen groups) and where the run stood: the recipe (AUTO's choice
 * included, so a resumed AUTO run does not choose again), the stage, the epochs done in it and
 * the global step and epoch of the run's metric series. A run taken again after its worker
 * died continues from there through trainWithSpec's resume; the epochs it repeats write metric
 * points that are already stored, and those are ignored by (run, key, step).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RECIPES, type ConcreteRecipe, type RecipeSettings } from "@runboard/trainer/recipes";

export interface ResumePoint {
  recipe: ConcreteRecipe;
  settings: RecipeSettings;
  /** Index of the stage to continue, and epochs of it already done (0: it starts from the checkpoint of the stage before). */
  stage: number;
  epochInStage: number;
  globalStep: number;
  globalEpoch: number;
  /** "phase:epochs" of each stage that started so far (transfer.freeze_schedule at the end). */
  stages: string[];
}

export function checkpointDir(runDir: string): string {
  return join(runDir, "checkpoint");
}

export function lastCheckpointPath(runDir: string): string {
  return join(checkpointDir(runDir), "last.safetensors");
}

function isResumePoint(value: unknown): value is ResumePoint {
  const point = value as Partial<ResumePoint> | null;
  return (
    typeof point === "object" &&
    point !== null &&
    RECIPES.includes(point.recipe as ConcreteRecipe) &&
    point.recipe !== ("AUTO" as string) &&
    typeof point.settings === "object" &&
    [point.stage, point.epochInStage, point.globalStep, point.globalEpoch].every(Number.isInteger) &&
    Array.isArray(point.stages)
  );
}

/** The point to resume from, or null (none yet, or one written by an older worker: the run starts again). */
export function readResumePoint(runDir: string): ResumePoint | null {
  const path = join(checkpointDir(runDir), "progress.json");
  if (!existsSync(path) || !existsSync(lastCheckpointPath(runDir))) return null;
  const point: unknown = JSON.parse(readFileSync(path, "utf8"));
  return isResumePoint(point) ? point : null;
}

/** Writes the checkpoint, then the progress file (each renamed into place, so a crash never leaves a torn pair). */
export function writeResumePoint(runDir: string, point: ResumePoint, saveCheckpoint: (path: string) => void): void {
  const dir = checkpointDir(runDir);
  mkdirSync(dir, { recursive: true });
  saveCheckpoint(join(dir, "last.partial.safetensors"));
  renameSync(join(dir, "last.partial.safetensors"), lastCheckpointPath(runDir));
  writeFileSync(join(dir, "progress.partial.json"), JSON.stringify(point));
  renameSync(join(dir, "progress.partial.json"), join(dir, "progress.json"));
}
