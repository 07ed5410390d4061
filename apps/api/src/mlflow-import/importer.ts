/**
 * Imports an MLflow file store into Runboard through the API's MLflow-compatible REST, as any
 * MLflow client would: experiments by name (or all into one project), runs with their params,
 * metrics (step and timestamp), tags, status, times and artifact files. Idempotent: each run
 * is tagged with its MLflow run id when created and marked complete after its last artifact,
 * so a second import skips what is there and redoes (after deleting) a run a previous import
 * left half-written.
 */
import { readFileSync } from "node:fs";
import type { KeyValue, StoredExperiment, StoredRun } from "./file-store.ts";

export const SOURCE_RUN_TAG = "runboard.import.mlflow_run_id";
export const COMPLETE_TAG = "runboard.import.complete";

/** MLflow's limits per log-batch call. */
const BATCH = { metrics: 1000, params: 100, tags: 100 };

export interface ImportOptions {
  /** The API's base URL (http://host:4000, or its /graphql URL). */
  apiUrl: string;
  token: string;
  /** Every run goes into this project (experiment id); else one project per MLflow experiment, by name. */
  projectId?: string;
  /** The team (id or slug) new projects belong to, when the token's user is in several. */
  team?: string;
  onProgress?: (done: number, total: number, run: StoredRun) => void;
}

export interface ImportSummary {
  experiments: number;
  projectsCreated: number;
  runsImported: number;
  runsAlreadyThere: number;
  /** Runs a previous, interrupted import left incomplete: deleted and imported again. */
  runsRedone: number;
  deletedRunsSkipped: number;
  params: number;
  metricPoints: number;
  nonFinitePointsSkipped: number;
  tags: number;
  artifactFiles: number;
  artifactBytes: number;
}

export class MlflowApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "MlflowApiError";
  }
}

/** The body as JSON; a proxy's HTML error page as {} (its status still tells what happened). */
function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    return {};
  }
}

interface ExperimentAnswer {
  experiment: { experiment_id: string };
}
interface SearchAnswer {
  runs?: { info: { run_id: string }; data: { tags?: KeyValue[] } }[];
  next_page_token?: string;
}
interface ErrorAnswer {
  error_code?: string;
  message?: string;
}

function client(options: ImportOptions) {
  const origin = options.apiUrl.replace(/\/graphql\/?$/, "").replace(/\/$/, "");
  const headers = { authorization: `Bearer ${options.token}` };
  async function send<Answer>(method: string, path: string, body?: string | Buffer, contentType = "application/json"): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${origin}${path}`, {
        method,
        headers: { ...headers, "content-type": contentType },
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      const json = parseJson(text);
      // The API's per-token rate limit: wait as told and send again.
      if (response.status === 429 && attempt < 20) {
        await new Promise((done) => setTimeout(done, 1000 * Number(response.headers.get("retry-after") ?? 1)));
        continue;
      }
      if (!response.ok) {
        const error = json as ErrorAnswer;
        throw new MlflowApiError(
          response.status,
          error.error_code,
          `${method} ${path}: HTTP ${response.status} ${error.error_code ?? ""} ${error.message ?? text.slice(0, 200)}`.trim(),
        );
      }
      return json as Answer;
    }
  }
  return {
    get: <Answer>(endpoint: string, query: Record<string, string>) => send<Answer>("GET", `/api/2.0/mlflow/${endpoint}?${new URLSearchParams(query)}`),
    post: <Answer = object>(endpoint: string, body: unknown) => send<Answer>("POST", `/api/2.0/mlflow/${endpoint}`, JSON.stringify(body)),
    putArtifact: (path: string, bytes: Buffer) =>
      send<object>("PUT", `/api/2.0/mlflow-artifacts/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`, bytes, "application/octet-stream"),
  };
}

type Client = ReturnType<typeof client>;

async function projectFor(api: Client, experiment: StoredExperiment, options: ImportOptions, summary: ImportSummary): Promise<string> {
  if (options.projectId) return (await api.get<ExperimentAnswer>("experiments/get", { experiment_id: options.projectId })).experiment.experiment_id;
  try {
    return (await api.get<ExperimentAnswer>("experiments/get-by-name", { experiment_name: experiment.name })).experiment.experiment_id;
  } catch (error) {
    if (!(error instanceof MlflowApiError) || error.code !== "RESOURCE_DOES_NOT_EXIST") throw error;
  }
  const tags = options.team ? [{ key: "runboard.team", value: options.team }] : [];
  const created = await api.post<{ experiment_id: string }>("experiments/create", { name: experiment.name, tags });
  summary.projectsCreated++;
  return created.experiment_id;
}

/** MLflow run id → { Runboard run id, complete } for the runs earlier imports made in a project. */
async function importedRuns(api: Client, projectId: string): Promise<Map<string, { runId: string; complete: boolean }>> {
  const found = new Map<string, { runId: string; complete: boolean }>();
  let pageToken: string | undefined;
  do {
    const page = await api.post<SearchAnswer>("runs/search", {
      experiment_ids: [projectId],
      filter: `tags.\`${SOURCE_RUN_TAG}\` LIKE '%'`,
      max_results: 1000,
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    for (const run of page.runs ?? []) {
      const tags = new Map((run.data.tags ?? []).map((tag) => [tag.key, tag.value]));
      const source = tags.get(SOURCE_RUN_TAG);
      if (source !== undefined) found.set(source, { runId: run.info.run_id, complete: tags.get(COMPLETE_TAG) === "true" });
    }
    pageToken = page.next_page_token;
  } while (pageToken);
  return found;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

async function importRun(api: Client, projectId: string, run: StoredRun, summary: ImportSummary): Promise<void> {
  const tags = run.tags.filter((tag) => tag.key !== SOURCE_RUN_TAG && tag.key !== COMPLETE_TAG);
  const created = await api.post<{ run: { info: { run_id: string } } }>("runs/create", {
    experiment_id: projectId,
    ...(run.name ? { run_name: run.name } : {}),
    ...(run.userId ? { user_id: run.userId } : {}),
    ...(run.startTime ? { start_time: run.startTime } : {}),
    tags: [{ key: SOURCE_RUN_TAG, value: run.runId }],
  });
  const runId = created.run.info.run_id;
  for (const batch of chunks(run.params, BATCH.params)) await api.post("runs/log-batch", { run_id: runId, params: batch });
  for (const batch of chunks(tags, BATCH.tags)) await api.post("runs/log-batch", { run_id: runId, tags: batch });
  for (const batch of chunks(run.metrics, BATCH.metrics)) await api.post("runs/log-batch", { run_id: runId, metrics: batch });
  for (const artifact of run.artifacts) {
    await api.putArtifact(`${projectId}/${runId}/artifacts/${artifact.path}`, readFileSync(artifact.file));
    summary.artifactFiles++;
    summary.artifactBytes += artifact.bytes;
  }
  await api.post("runs/update", { run_id: runId, status: run.status, ...(run.endTime ? { end_time: run.endTime } : {}) });
  await api.post("runs/set-tag", { run_id: runId, key: COMPLETE_TAG, value: "true" });
  summary.params += run.params.length;
  summary.tags += tags.length;
  summary.metricPoints += run.metrics.length;
  summary.nonFinitePointsSkipped += run.nonFinitePoints;
}

export async function importMlflowStore(experiments: StoredExperiment[], options: ImportOptions): Promise<ImportSummary> {
  const api = client(options);
  const summary: ImportSummary = {
    experiments: 0,
    projectsCreated: 0,
    runsImported: 0,
    runsAlreadyThere: 0,
    runsRedone: 0,
    deletedRunsSkipped: 0,
    params: 0,
    metricPoints: 0,
    nonFinitePointsSkipped: 0,
    tags: 0,
    artifactFiles: 0,
    artifactBytes: 0,
  };
  const live = experiments.filter((e) => !e.deleted);
  const total = live.reduce((n, e) => n + e.runs.length, 0);
  let done = 0;
  for (const experiment of live) {
    summary.experiments++;
    const projectId = await projectFor(api, experiment, options, summary);
    const existing = await importedRuns(api, projectId);
    for (const run of experiment.runs) {
      const previous = existing.get(run.runId);
      if (run.deleted) summary.deletedRunsSkipped++;
      else if (previous?.complete) summary.runsAlreadyThere++;
      else {
        if (previous) {
          await api.post("runs/delete", { run_id: previous.runId });
          summary.runsRedone++;
        }
        await importRun(api, projectId, run, summary);
        summary.runsImported++;
      }
      options.onProgress?.(++done, total, run);
    }
  }
  return summary;
}
