/**
 * Rows as the API and the worker read them: SELECT lists alias snake_case columns to these
 * camelCase fields, and cast BIGINT columns to float8 so they arrive as numbers (safe to 2^53).
 * Enum columns take their types from the Prisma schema's generated enums.
 */
import type { ArchitectureFormat, DatasetKind, ParamType, RunStatus } from "./generated/prisma/enums.ts";

export interface TeamRecord {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
}

export interface ProjectRecord {
  id: string;
  teamId: string;
  name: string;
  description: string;
  createdAt: Date;
}

export interface ExperimentRecord {
  id: string;
  teamId: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: Date;
}

export interface DatasetRecord {
  id: string;
  teamId: string;
  name: string;
  kind: DatasetKind;
  sourceUri: string;
  classNames: string[];
  splitCounts: unknown;
  contentHash: string | null;
  conversion: unknown;
  createdAt: Date;
}

export interface ArchitectureRecord {
  id: string;
  teamId: string;
  name: string;
  family: string;
  sourceFormat: ArchitectureFormat;
  fileUri: string | null;
  fileHash: string | null;
  inputSize: number[];
  parameterCount: number | null;
  pretrainedOn: string | null;
  createdAt: Date;
}

export interface RunRecord {
  id: string;
  teamId: string;
  projectId: string;
  experimentId: string | null;
  name: string;
  status: RunStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  hyperparameters: unknown;
  datasetId: string | null;
  architectureId: string | null;
  seed: number | null;
  groupKey: string | null;
  fold: number | null;
  error: string | null;
  tags: string[];
  note: string;
  parentRunId: string | null;
  attempt: number;
  maxAttempts: number;
  priority: number;
  workerId: string | null;
  heartbeatAt: Date | null;
}

export interface ParamRecord {
  runId: string;
  key: string;
  type: ParamType;
  numberValue: number | null;
  stringValue: string | null;
}

export interface SummaryRecord {
  runId: string;
  key: string;
  last: number;
  lastStep: number;
  min: number;
  minStep: number;
  max: number;
  maxStep: number;
  count: number;
  updatedAt: Date;
}

export const TEAM_COLUMNS = `t.id, t.name, t.slug, t.created_at AS "createdAt"`;

export const PROJECT_COLUMNS = `p.id, p.team_id AS "teamId", p.name, p.description, p.created_at AS "createdAt"`;

export const EXPERIMENT_COLUMNS = `e.id, p.team_id AS "teamId", e.project_id AS "projectId", e.name,
  e.description, e.created_at AS "createdAt"`;

export const DATASET_COLUMNS = `d.id, d.team_id AS "teamId", d.name, d.kind, d.source_uri AS "sourceUri",
  d.class_names AS "classNames", d.split_counts AS "splitCounts", d.content_hash AS "contentHash",
  d.conversion, d.created_at AS "createdAt"`;

export const ARCHITECTURE_COLUMNS = `a.id, a.team_id AS "teamId", a.name, a.family, a.source_format AS "sourceFormat",
  a.file_uri AS "fileUri", a.file_hash AS "fileHash", a.input_size AS "inputSize",
  a.parameter_count::float8 AS "parameterCount", a.pretrained_on AS "pretrainedOn", a.created_at AS "createdAt"`;

export const RUN_COLUMNS = `r.id, r.team_id AS "teamId", r.project_id AS "projectId", r.experiment_id AS "experimentId",
  r.name, r.status, r.created_at AS "createdAt", r.started_at AS "startedAt", r.finished_at AS "finishedAt",
  r.hyperparameters, r.dataset_id AS "datasetId", r.architecture_id AS "architectureId", r.seed,
  r.group_key AS "groupKey", r.fold, r.error, r.tags, r.note, r.parent_run_id AS "parentRunId",
  r.attempt, r.max_attempts AS "maxAttempts", r.priority, r.worker_id AS "workerId", r.heartbeat_at AS "heartbeatAt"`;

export const PARAM_COLUMNS = `rp.run_id AS "runId", rp.key, rp.type, rp.number_value AS "numberValue",
  rp.string_value AS "stringValue"`;

export const SUMMARY_COLUMNS = `s.run_id AS "runId", s.key, s.last, s.last_step::float8 AS "lastStep", s.min,
  s.min_step::float8 AS "minStep", s.max, s.max_step::float8 AS "maxStep", s.count::float8 AS count,
  s.updated_at AS "updatedAt"`;

export interface ArtifactRecord {
  id: string;
  runId: string;
  kind: string;
  name: string;
  uri: string;
  bytes: number;
  sha256: string;
  createdAt: Date;
}

export const ARTIFACT_COLUMNS = `ar.id, ar.run_id AS "runId", ar.kind, ar.name, ar.uri, ar.bytes::float8 AS bytes, ar.sha256,
  ar.created_at AS "createdAt"`;

export interface RunLogRecord {
  seq: number;
  time: Date;
  level: string;
  message: string;
}
