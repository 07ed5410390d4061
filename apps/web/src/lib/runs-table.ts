/**
 * What the runs table's cells show, from a run of the RunsPage query: backbone, recipe,
 * duration (growing while the run trains), training progress and ETA, metric summaries, and
 * where the query language's error points.
 */
import { formatNumber } from "./format.ts";

export interface TableRun {
  status: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  architecture?: { name: string } | null;
  params: Array<{ key: string; value: unknown }>;
  metrics: Array<{ key: string; last: number; min: number; max: number; count: number }>;
}

export function paramOf(run: Pick<TableRun, "params">, key: string): unknown {
  return run.params.find((param) => param.key === key)?.value;
}

const numberParam = (run: TableRun, ...keys: string[]): number | undefined => {
  for (const key of keys) {
    const value = paramOf(run, key);
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
};

/** The architecture's name, else the backbone the worker recorded. */
export function backboneOf(run: TableRun): string | undefined {
  const recorded = paramOf(run, "transfer.backbone");
  return run.architecture?.name ?? (typeof recorded === "string" ? recorded : undefined);
}

/** The recipe that trained the run (AUTO's choice), else the one it was launched with. */
export function recipeOf(run: TableRun): string | undefined {
  for (const key of ["transfer.recipe", "recipe"]) {
    const value = paramOf(run, key);
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** Seconds from start to finish, or to `now` while the run has not finished; undefined before it starts. */
export function durationSeconds(run: TableRun, now: number): number | undefined {
  if (!run.startedAt) return undefined;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

export interface Progress {
  /** Epochs reported so far (the worker logs valid_loss once an epoch). */
  done: number;
  /** Epochs the recipe trains: transfer.epochs, plus transfer.freeze_epochs for FINE_TUNE. */
  total: number;
  /** 0..1 */
  fraction: number;
  /** Seconds left at the pace so far; undefined before the first epoch. */
  etaSeconds?: number;
}

/** A running run's progress in epochs, when it records how many it trains (launched runs do). */
export function progressOf(run: TableRun, now: number): Progress | undefined {
  if (run.status !== "RUNNING") return undefined;
  const epochs = numberParam(run, "transfer.epochs", "epochs");
  if (epochs === undefined) return undefined;
  const freeze = recipeOf(run) === "FINE_TUNE" ? (numberParam(run, "transfer.freeze_epochs", "freezeEpochs") ?? 0) : 0;
  const total = epochs + freeze;
  if (!(total > 0)) return undefined;
  const done = Math.min(run.metrics.find((metric) => metric.key === "valid_loss")?.count ?? 0, total);
  const elapsed = durationSeconds(run, now);
  const etaSeconds = done > 0 && elapsed !== undefined ? (elapsed * (total - done)) / done : undefined;
  return { done, total, fraction: done / total, ...(etaSeconds === undefined ? {} : { etaSeconds }) };
}

/** "last 0.91 · min 0.5 · max 0.96", for a metric cell's tooltip. */
export function describeSummary(summary: { last: number; min: number; max: number }): string {
  return `last ${formatNumber(summary.last)} · min ${formatNumber(summary.min)} · max ${formatNumber(summary.max)}`;
}

/** The query split around the 1-based error position (the character there, or a space past the end). */
export function markPosition(query: string, position: number): { before: string; at: string; after: string } {
  const index = Math.min(Math.max(position - 1, 0), query.length);
  return { before: query.slice(0, index), at: query.slice(index, index + 1) || " ", after: query.slice(index + 1) };
}
