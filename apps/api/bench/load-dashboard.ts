/**
 * A dashboard reader: the pages of the web app, visited in turn, each loaded with the queries
 * the web app sends for it (the documents of apps/web/src/graphql, with the web app's
 * variables):
 *   runs page     RunsPage, 100 runs of the team, in the default view or sorted by a metric or
 *                 filtered by a param
 *   run page      MetricHistory of each of the run's four keys at once, maxPoints 2,000
 *   compare page  CompareRunInfos of the compared runs, then CompareRuns of their loss with
 *                 1,000 points a series
 * The run and compare pages show the runs the loggers are writing to.
 */
import { read, type Caller, type Retries } from "./load-clients.ts";

export type ReadKind = "runs page" | "metricHistory" | "runs by ids" | "compareRuns";

export interface ReaderTally extends Retries {
  latencies: Map<ReadKind, number[]>;
}

export function emptyReaderTally(): ReaderTally {
  return { latencies: new Map(), rateLimited: 0, failed: 0 };
}

export interface DashboardData {
  teamId: string;
  /** The runs being logged to. */
  liveRunIds: string[];
}

const RUNS_PAGE = `query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {
  runs(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id name status createdAt startedAt finishedAt tags architecture { id name } params { key value } metrics { key last min max count } }
    pageInfo { endCursor hasNextPage } totalCount } }`;
const METRIC_HISTORY = `query MetricHistory($runId: ID!, $key: String!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {
  metricHistory(runId: $runId, key: $key, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
    runId key downsampled points { step value } } }`;
const COMPARE_RUN_INFOS = `query CompareRunInfos($ids: [ID!]!, $first: Int) {
  runs(filter: { ids: $ids }, first: $first) { nodes { id name groupKey params { key value } metrics { key last min max } } } }`;
const COMPARE_RUNS = `query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {
  compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
    runs { id name status groupKey params { key value } metrics { key last min max } }
    series { runId key downsampled points { step value } } } }`;

const KEYS = ["accuracy", "grad_norm", "learning_rate", "loss"];
/** The runs page's views: the default one, a metric column sorted, a param filter. */
const NEWEST_FIRST = { field: "CREATED_AT", summary: "LAST", direction: "DESC" };
type RunsView = { sort: Record<string, string>; params?: Array<{ key: string; equals: number }> };
const RUNS_VIEWS: RunsView[] = [
  { sort: NEWEST_FIRST },
  { sort: { field: "METRIC", key: "m0", summary: "LAST", direction: "DESC" } },
  { sort: NEWEST_FIRST, params: [{ key: "p0", equals: 3 }] },
];
/** The web app's compare limits: 1,000 points a series, 400,000 in all, 100 runs. */
const pointsPerSeries = (series: number) => Math.max(2, Math.min(1000, Math.floor(400_000 / Math.max(1, series))));

async function timed(tally: ReaderTally, kind: ReadKind, caller: Caller, query: string, variables: Record<string, unknown>) {
  const elapsed = await read(caller, query, variables, tally);
  const list = tally.latencies.get(kind) ?? [];
  list.push(elapsed);
  tally.latencies.set(kind, list);
}

/** Visit `visit` of a reader: the runs page, a run page or the compare page, in turn. */
export async function visitPage(caller: Caller, data: DashboardData, visit: number, tally: ReaderTally): Promise<void> {
  const page = visit % 3;
  if (page === 0) {
    const view: RunsView = RUNS_VIEWS[Math.floor(visit / 3) % RUNS_VIEWS.length] ?? { sort: NEWEST_FIRST };
    const filter = { teamId: data.teamId, ...(view.params === undefined ? {} : { params: view.params }) };
    return timed(tally, "runs page", caller, RUNS_PAGE, { filter, sort: view.sort, first: 100 });
  }
  if (page === 1) {
    const runId = data.liveRunIds[Math.floor(visit / 3) % data.liveRunIds.length];
    await Promise.all(KEYS.map((key) => timed(tally, "metricHistory", caller, METRIC_HISTORY, { runId, key, maxPoints: 2000 })));
    return;
  }
  const runIds = data.liveRunIds;
  await timed(tally, "runs by ids", caller, COMPARE_RUN_INFOS, { ids: runIds, first: 100 });
  await timed(tally, "compareRuns", caller, COMPARE_RUNS, { runIds, keys: ["loss"], maxPoints: pointsPerSeries(runIds.length) });
}

/** Pages one after the other until `deadline` (performance.now()); `reader` staggers where each starts. */
export async function readUntil(caller: Caller, data: DashboardData, deadline: number, reader: number, tally: ReaderTally) {
  for (let visit = reader; performance.now() < deadline; visit++) await visitPage(caller, data, visit, tally);
}
