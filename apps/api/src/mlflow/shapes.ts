/**
 * MLflow's JSON shapes (mlflow/protos/service.proto as its server writes them): ids as
 * strings, times in milliseconds since the epoch, lifecycle_stage "active" or "deleted".
 * An MLflow experiment is a Runboard project; an MLflow run is a Runboard run.
 */
import type { RunRecord, RunStatus } from "@runboard/db";
import { invalidField } from "./errors.ts";

export type MlflowStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

const TO_MLFLOW: Record<RunStatus, MlflowStatus> = {
  QUEUED: "SCHEDULED",
  RUNNING: "RUNNING",
  SUCCEEDED: "FINISHED",
  FAILED: "FAILED",
  CANCELED: "KILLED",
};

const FROM_MLFLOW: Record<MlflowStatus, RunStatus> = {
  RUNNING: "RUNNING",
  SCHEDULED: "QUEUED",
  FINISHED: "SUCCEEDED",
  FAILED: "FAILED",
  KILLED: "CANCELED",
};

export const MLFLOW_STATUSES = Object.keys(FROM_MLFLOW) as MlflowStatus[];

export function mlflowStatus(status: RunStatus): MlflowStatus {
  return TO_MLFLOW[status];
}

/** Runboard's status for an MLflow status given in `field`. */
export function runboardStatus(value: string, field: string): RunStatus {
  const status = FROM_MLFLOW[value as MlflowStatus];
  if (status === undefined) throw invalidField(field, `must be one of ${MLFLOW_STATUSES.join(", ")}`);
  return status;
}

export function isTerminal(status: RunStatus): boolean {
  return status === "SUCCEEDED" || status === "FAILED" || status === "CANCELED";
}

export interface ExperimentRow {
  id: string;
  teamId: string;
  name: string;
  description: string;
  createdAt: Date;
  deletedAt: Date | null;
}

export interface MlflowRunRow extends RunRecord {
  deletedAt: Date | null;
  /** The run's mlflow.user tag: what MLflow reports as the run's user_id. */
  mlflowUser: string | null;
}

export interface MetricValue {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface RunData {
  metrics: MetricValue[];
  params: KeyValue[];
  tags: KeyValue[];
}

export function lifecycleStage(deletedAt: Date | null): "active" | "deleted" {
  return deletedAt === null ? "active" : "deleted";
}

/** Where the mlflow-artifacts proxy keeps an experiment's and a run's files. */
export function experimentArtifactLocation(experimentId: string): string {
  return `mlflow-artifacts:/${experimentId}`;
}

export function runArtifactUri(run: { id: string; projectId: string }): string {
  return `mlflow-artifacts:/${run.projectId}/${run.id}/artifacts`;
}

export function experimentJson(experiment: ExperimentRow) {
  const time = experiment.createdAt.getTime();
  return {
    experiment_id: experiment.id,
    name: experiment.name,
    artifact_location: experimentArtifactLocation(experiment.id),
    lifecycle_stage: lifecycleStage(experiment.deletedAt),
    creation_time: time,
    last_update_time: experiment.deletedAt?.getTime() ?? time,
    tags: experiment.description === "" ? [] : [{ key: "mlflow.note.content", value: experiment.description }],
  };
}

export function runInfoJson(run: MlflowRunRow) {
  return {
    run_id: run.id,
    run_uuid: run.id,
    run_name: run.name,
    experiment_id: run.projectId,
    user_id: run.mlflowUser ?? "",
    status: mlflowStatus(run.status),
    start_time: (run.startedAt ?? run.createdAt).getTime(),
    ...(run.finishedAt === null ? {} : { end_time: run.finishedAt.getTime() }),
    artifact_uri: runArtifactUri(run),
    lifecycle_stage: lifecycleStage(run.deletedAt),
  };
}

/** The run tag holding the run's dataset inputs (runs/log-inputs) as MLflow's JSON array. */
export const DATASET_INPUTS_TAG = "mlflow.log-inputs.datasets";

export interface DatasetInput {
  tags: KeyValue[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

/** The stored dataset inputs among a run's tags; [] when absent or unreadable. */
export function datasetInputsOf(tags: readonly KeyValue[]): DatasetInput[] {
  const stored = tags.find((tag) => tag.key === DATASET_INPUTS_TAG);
  if (stored === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(stored.value);
    return Array.isArray(parsed) ? (parsed as DatasetInput[]) : [];
  } catch {
    return [];
  }
}

export function runJson(run: MlflowRunRow, data: RunData) {
  const datasetInputs = datasetInputsOf(data.tags);
  return { info: runInfoJson(run), data, inputs: datasetInputs.length === 0 ? {} : { dataset_inputs: datasetInputs } };
}
