/**
 * The run page's transfer-learning story from the worker's params and metrics: backbone, recipe
 * (AUTO's choice and reason), the recipe's stages and where they lie on the step axis, the probe
 * baseline beside the fine-tuned score; params grouped by prefix; the order of the metric charts;
 * EMA smoothing of a series.
 */
import { phaseMarkers } from "./interpretation.ts";
import type { Sample } from "./series.ts";

export interface ParamRow {
  key: string;
  value: unknown;
}

export interface StageInfo {
  index: number;
  phase: string;
  epochs: number;
  /** Peak learning rate of each layer group, by group index. */
  learningRates: number[];
}

export interface TransferStory {
  backbone: string | null;
  /** The recipe that trained the model (transfer.recipe), else the launched one. */
  recipe: string | null;
  /** The launched recipe when it differs from the one that trained (AUTO). */
  launchedRecipe: string | null;
  autoReason: string | null;
  freezeSchedule: string | null;
  stages: StageInfo[];
}

const STAGE_KEY = /^transfer\.stage_(\d+)\.(phase|epochs|lr_group_(\d+))$/;

const text = (value: unknown): string | null => (value === null || value === undefined || value === "" ? null : String(value));

export function transferStory(params: readonly ParamRow[], hyperparameters: unknown, architectureName: string | null): TransferStory {
  const byKey = new Map(params.map((param) => [param.key, param.value]));
  const stages = new Map<number, StageInfo>();
  for (const { key, value } of params) {
    const match = STAGE_KEY.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const stage = stages.get(index) ?? { index, phase: "", epochs: 0, learningRates: [] };
    if (match[2] === "phase") stage.phase = String(value);
    else if (match[2] === "epochs") stage.epochs = Number(value);
    else stage.learningRates[Number(match[3])] = Number(value);
    stages.set(index, stage);
  }
  const launched =
    (typeof hyperparameters === "object" && hyperparameters !== null && "recipe" in hyperparameters
      ? text((hyperparameters as { recipe: unknown }).recipe)
      : null) ?? text(byKey.get("recipe"));
  const recipe = text(byKey.get("transfer.recipe")) ?? text(byKey.get("auto.chosen")) ?? launched;
  const auto = byKey.has("auto.chosen") || launched === "AUTO";
  return {
    backbone: text(byKey.get("transfer.backbone")) ?? architectureName,
    recipe,
    launchedRecipe: auto && recipe !== "AUTO" ? "AUTO" : launched !== null && launched !== recipe ? launched : null,
    autoReason: text(byKey.get("auto.reason")),
    freezeSchedule: text(byKey.get("transfer.freeze_schedule")),
    stages: [...stages.values()].sort((a, b) => a.index - b.index),
  };
}

export interface StageSpan {
  phase: string;
  /** First step of the span. */
  from: number;
  /** Last step of the span (inclusive). */
  to: number;
}

/**
 * Where each frozen/unfrozen stage lies on the step axis. From the worker's `phase` metric when
 * it was logged (a phase starts at step 0 or just after the previous phase's last point and runs
 * to its own last point); else from the stage params and the steps at which epochs ended (one
 * point of a per-epoch metric such as valid_loss per epoch): stage s covers the epochs after
 * those of the stages before it. Stages without epochs (the probe) have no span.
 */
export function stageSpans(phasePoints: readonly Sample[], stages: readonly StageInfo[], epochEndSteps: readonly number[]): StageSpan[] {
  if (phasePoints.length > 0) {
    const sorted = [...phasePoints].sort((a, b) => a.step - b.step);
    const markers = phaseMarkers(sorted);
    return markers.map((marker, i) => {
      const next = markers[i + 1];
      const to = next === undefined ? sorted[sorted.length - 1]!.step : next.step - 1;
      return { phase: marker.label, from: marker.step, to: Math.max(to, marker.step) };
    });
  }
  const ends = [...epochEndSteps].sort((a, b) => a - b);
  const spans: StageSpan[] = [];
  let epoch = 0;
  for (const stage of stages) {
    if (stage.epochs <= 0) continue;
    const first = epoch;
    const last = epoch + stage.epochs - 1;
    epoch += stage.epochs;
    if (first >= ends.length) break;
    const from = first === 0 ? 0 : ends[first - 1]! + 1;
    // A stage still training runs to its last epoch that ended.
    const to = ends[Math.min(last, ends.length - 1)]!;
    spans.push({ phase: stage.phase, from, to });
  }
  return spans;
}

/** The fine-tuned score shown beside the probe baseline: accuracy, else valid_accuracy, else any other *accuracy key. */
export function scoreKey(keys: readonly string[]): string | null {
  for (const wanted of ["accuracy", "valid_accuracy", "val_accuracy"]) if (keys.includes(wanted)) return wanted;
  return keys.find((key) => /accuracy$/i.test(key) && key !== PROBE_KEY && !/^train/i.test(key) && !key.startsWith("auto.")) ?? null;
}

export const PROBE_KEY = "probe_accuracy";
export const PHASE_KEY = "phase";

export interface ParamGroup {
  name: string;
  params: ParamRow[];
}

const PREFIX_ORDER = ["transfer", "auto", "data"];

/** Params grouped by prefix: transfer.*, auto.*, data.*, then every other prefix (worker.*, …), then those without one. */
export function groupParams(params: readonly ParamRow[]): ParamGroup[] {
  const groups = new Map<string, ParamRow[]>();
  for (const param of [...params].sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }))) {
    const dot = param.key.indexOf(".");
    const name = dot > 0 ? param.key.slice(0, dot) : "other";
    groups.set(name, [...(groups.get(name) ?? []), param]);
  }
  const rank = (name: string) => (PREFIX_ORDER.includes(name) ? PREFIX_ORDER.indexOf(name) : name === "other" ? 1000 : 100);
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([name, rows]) => ({ name, params: rows }));
}

export type ChartCategory = "loss" | "metric" | "learning rate" | "training" | "system";

export function chartCategory(key: string): ChartCategory {
  if (key.startsWith("system/")) return "system";
  if (/loss/i.test(key)) return "loss";
  if (/(^|[_/.])lr($|[_/.])|learning_?rate/i.test(key)) return "learning rate";
  if (/^(momentum|epoch_seconds|images_per_second)$/.test(key)) return "training";
  return "metric";
}

const CATEGORY_ORDER: ChartCategory[] = ["loss", "metric", "learning rate", "training", "system"];

/**
 * The keys that get a chart, in the grid's order: losses, metrics, learning rates (lr, then each
 * layer group), training speed, system. `phase` is drawn as stage shading on every chart and
 * `probe_accuracy` (one point) as the baseline line on the score's chart, so neither has one.
 */
export function chartKeys(keys: readonly string[]): string[] {
  return keys
    .filter((key) => key !== PHASE_KEY && key !== PROBE_KEY)
    .sort((a, b) => CATEGORY_ORDER.indexOf(chartCategory(a)) - CATEGORY_ORDER.indexOf(chartCategory(b)) || a.localeCompare(b, undefined, { numeric: true }));
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `weight` (0: none), debiased
 * so the first values are not pulled toward 0. Non-finite values pass through and leave the
 * average as it was.
 */
export function emaSmooth(values: ReadonlyArray<number | null>, weight: number): Array<number | null> {
  if (weight <= 0) return [...values];
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    count += 1;
    return last / (1 - weight ** count);
  });
}
