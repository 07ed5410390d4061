/**
 * Reads MLflow's file store (what `mlflow.set_tracking_uri("file:…")`, the default, writes):
 *   mlruns/<experiment id>/meta.yaml                     name, lifecycle_stage, …
 *   mlruns/<experiment id>/<run id>/meta.yaml            run_name, status, start/end time, user, …
 *   mlruns/<experiment id>/<run id>/params/<key>         the value
 *   mlruns/<experiment id>/<run id>/metrics/<key>        lines "timestamp value step"
 *   mlruns/<experiment id>/<run id>/tags/<key>           the value
 *   mlruns/<experiment id>/<run id>/artifacts/…          files
 * Keys with '/' are nested folders. `.trash` (deleted items) and other folders without a
 * meta.yaml are not experiments or runs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface KeyValue {
  key: string;
  value: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface StoredRun {
  runId: string;
  name: string | undefined;
  /** MLflow's status name: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED. */
  status: string;
  startTime: number | undefined;
  endTime: number | undefined;
  userId: string | undefined;
  deleted: boolean;
  params: KeyValue[];
  tags: KeyValue[];
  metrics: MetricPoint[];
  /** Metric lines whose value is NaN or ±Inf (JSON cannot carry them). */
  nonFinitePoints: number;
  /** Files under artifacts/, '/'-separated, with their absolute paths. */
  artifacts: { path: string; file: string; bytes: number }[];
}

export interface StoredExperiment {
  experimentId: string;
  name: string;
  deleted: boolean;
  runs: StoredRun[];
}

type Yaml = Record<string, string | number | null>;

/** The flat `key: value` YAML MLflow writes (yaml.safe_dump of one mapping); nested values are ignored. */
export function readFlatYaml(text: string): Yaml {
  const result: Yaml = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z_][\w]*):\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, raw] = match as unknown as [string, string, string];
    const value = raw.trim();
    if (value === "" || value === "null" || value === "~" || value === "[]" || value === "{}") result[key] = null;
    else if (/^'.*'$/.test(value)) result[key] = value.slice(1, -1).replaceAll("''", "'");
    else if (/^".*"$/.test(value)) result[key] = JSON.parse(value) as string;
    else if (/^-?\d+$/.test(value)) result[key] = Number(value);
    else result[key] = value;
  }
  return result;
}

const STATUS_NAMES: Record<number, string> = { 1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED" };

function text(value: Yaml[string] | undefined): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function time(value: Yaml[string] | undefined): number | undefined {
  return typeof value === "number" && value > 0 ? value : undefined;
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

function keyValues(folder: string): KeyValue[] {
  return filesUnder(folder).map((key) => ({ key, value: readFileSync(join(folder, key), "utf8") }));
}

function metricPoints(folder: string): { points: MetricPoint[]; nonFinite: number } {
  const points: MetricPoint[] = [];
  let nonFinite = 0;
  for (const key of filesUnder(folder)) {
    for (const line of readFileSync(join(folder, key), "utf8").split("\n")) {
      const [timestamp, value, step] = line.trim().split(/\s+/);
      if (timestamp === undefined || timestamp === "" || value === undefined) continue;
      const number = Number(value);
      if (!Number.isFinite(number)) {
        nonFinite++;
        continue;
      }
      points.push({ key, value: number, timestamp: Number(timestamp), step: Number(step ?? 0) });
    }
  }
  return { points, nonFinite };
}

function readRun(folder: string): StoredRun {
  const meta = readFlatYaml(readFileSync(join(folder, "meta.yaml"), "utf8"));
  const { points, nonFinite } = metricPoints(join(folder, "metrics"));
  const status = meta.status;
  const artifacts = join(folder, "artifacts");
  return {
    runId: text(meta.run_id) ?? text(meta.run_uuid) ?? folder.split(sep).at(-1)!,
    name: text(meta.run_name),
    status: typeof status === "number" ? (STATUS_NAMES[status] ?? "FINISHED") : (text(status) ?? "FINISHED"),
    startTime: time(meta.start_time),
    endTime: time(meta.end_time),
    userId: text(meta.user_id),
    deleted: meta.lifecycle_stage === "deleted",
    params: keyValues(join(folder, "params")),
    tags: keyValues(join(folder, "tags")),
    metrics: points,
    nonFinitePoints: nonFinite,
    artifacts: filesUnder(artifacts).map((path) => ({ path, file: join(artifacts, path), bytes: statSync(join(artifacts, path)).size })),
  };
}

function subfoldersWithMeta(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && existsSync(join(folder, entry.name, "meta.yaml")))
    .map((entry) => join(folder, entry.name))
    .sort();
}

export function readMlruns(folder: string): StoredExperiment[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`no mlruns folder at '${folder}'`);
  const experiments = subfoldersWithMeta(folder).map((experimentFolder) => {
    const meta = readFlatYaml(readFileSync(join(experimentFolder, "meta.yaml"), "utf8"));
    return {
      experimentId: text(meta.experiment_id) ?? experimentFolder.split(sep).at(-1)!,
      name: text(meta.name) ?? "Default",
      deleted: meta.lifecycle_stage === "deleted",
      runs: subfoldersWithMeta(experimentFolder).map(readRun),
    };
  });
  if (experiments.length === 0) throw new Error(`'${folder}' holds no MLflow experiments (folders with a meta.yaml)`);
  return experiments;
}
