import { buildSchema, getOperationAST, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTypeDefs } from "../schema/index.ts";
import { createProjectAndRun, errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { defaultQueryLimits } from "./limits-plugin.ts";
import { measureOperation } from "./query-limits.ts";

const schema = buildSchema(loadTypeDefs());

function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  return measureOperation(schema, document, operation, variables).cost;
}

const RUN_ID = "00000000-0000-4000-8000-000000000000";
const history = (alias: string, maxPoints: number) =>
  `${alias}: metricHistory(runId: "${RUN_ID}", key: "loss", maxPoints: ${maxPoints}) { runId key downsampled points { step value } }`;
/** The probe: 400 aliased metricHistory at the largest maxPoints. */
const ALIAS_BOMB = `{ ${Array.from({ length: 400 }, (_, i) => history(`h${i}`, 5000)).join(" ")} }`;

/** The dashboard's compare page (apps/web/src/graphql/metrics.ts) as it asks for its largest comparison. */
const DASHBOARD_COMPARE = `query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {
  compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
    runs { id name status groupKey params { key value } metrics { key last min max } }
    series { runId key downsampled points { step value } } } }`;

describe("query cost", () => {
  it("counts metric points: maxPoints times every alias", () => {
    const one = costOf(`{ ${history("h", 5000)} }`);
    // metricHistory, its 3 scalars, and points: 1 + 5,000 × (step, value).
    expect(one).toBe(1 + 3 + 1 + 5000 * 2);
    expect(costOf(`{ ${history("h", 100)} }`)).toBe(1 + 3 + 1 + 100 * 2);
    expect(costOf(ALIAS_BOMB)).toBe(400 * one);
    expect(costOf(ALIAS_BOMB)).toBeGreaterThan(defaultQueryLimits.maxCost);
  });

  it("counts the schema's default maxPoints and the operation's variable defaults", () => {
    const points = `{ step value }`;
    expect(costOf(`{ metricHistory(runId: "${RUN_ID}", key: "loss") { points ${points} } }`)).toBe(1 + 1 + 1000 * 2);
    const withDefault = `query($n: Int = 5000) { metricHistory(runId: "${RUN_ID}", key: "loss", maxPoints: $n) { points ${points} } }`;
    expect(costOf(withDefault)).toBe(1 + 1 + 5000 * 2);
    expect(costOf(withDefault, { n: 10 })).toBe(1 + 1 + 10 * 2);
  });

  it("counts buckets at a third of maxPoints, and fragments like fields", () => {
    const query = `{ metricHistory(runId: "${RUN_ID}", key: "loss", maxPoints: 300) { ...h } } fragment h on MetricHistory { buckets { start end min max } }`;
    expect(costOf(query)).toBe(1 + 1 + 100 * 4);
  });

  it("counts compareRuns as series (runs × keys) × points", () => {
    const query = `query($ids: [ID!]!, $keys: [String!]!) { compareRuns(runIds: $ids, keys: $keys, maxPoints: 500) { series { points { step value } } } }`;
    const ids = (n: number) => Array.from({ length: n }, () => RUN_ID);
    // compareRuns, series: 1 + series × (points: 1 + 500 × 2).
    expect(costOf(query, { ids: ids(10), keys: ["a", "b"] })).toBe(1 + 1 + 20 * (1 + 500 * 2));
    expect(costOf(query, { ids: ids(40), keys: ["a", "b"] })).toBe(1 + 1 + 80 * (1 + 500 * 2));
  });

  it("counts a page of runs by its first", () => {
    const page = (first: number) => `{ runs(first: ${first}) { nodes { id params { key value } } } }`;
    // runs, nodes: 1 + first × (id + params: 1 + 10 × 2).
    expect(costOf(page(10))).toBe(1 + 1 + 10 * (1 + 1 + 10 * 2));
    expect(costOf(page(500))).toBe(1 + 1 + 500 * (1 + 1 + 10 * 2));
  });

  it("accepts the dashboard's largest comparison (400 series at 1,000 points) under the default limit", () => {
    const runIds = Array.from({ length: 100 }, () => RUN_ID);
    const cost = costOf(DASHBOARD_COMPARE, { runIds, keys: ["loss", "acc", "lr", "val_loss"], maxPoints: 1000 });
    expect(cost).toBeGreaterThan(800_000);
    expect(cost).toBeLessThanOrEqual(defaultQueryLimits.maxCost);
  });
});

describe("query limits over HTTP", () => {
  let t: TestApi;
  let team: SeededTeam;
  let runId: string;

  beforeAll(async () => {
    t = await startTestApi();
    team = await seedTeam(t.db);
    ({ runId } = await createProjectAndRun(t.url, team.member.token, team.teamId));
    const points = Array.from({ length: 6_000 }, (_, step) => ({ key: "loss", step, value: Math.sin(step / 50) }));
    await gqlOk(t.url, team.member.token, `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`, {
      runId,
      points,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses the alias bomb with 400 before any resolver reads anything, for a viewer too", async () => {
    const bomb = ALIAS_BOMB.replaceAll(RUN_ID, runId);
    await gql(t.url, team.viewer.token, `{ __typename }`); // the token's first use also records lastUsedAt
    let before = t.api.db.queryCount;
    const result = await gql(t.url, team.viewer.token, bomb);
    const statements = t.api.db.queryCount - before;
    expect(result.status).toBe(400);
    expect(errorCode(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.extensions).toMatchObject({ limit: "cost", maximum: 1_000_000 });
    expect(result.data).toBeUndefined();
    // Only authentication reached the database: the same as for a query that reads nothing.
    before = t.api.db.queryCount;
    await gql(t.url, team.viewer.token, `{ __typename }`);
    expect(statements).toBeLessThanOrEqual(t.api.db.queryCount - before);
  });

  it("still answers a reasonable dashboard: a few charts and a comparison", async () => {
    const charts = `{ ${["a", "b", "c", "d"].map((alias) => history(alias, 1000)).join(" ")} }`.replaceAll(RUN_ID, runId);
    const data = await gqlOk(t.url, team.viewer.token, charts);
    expect(data.a.points.length).toBeGreaterThan(0);
    expect(data.a.points.length).toBeLessThanOrEqual(1000);
    const compare = await gql(t.url, team.viewer.token, DASHBOARD_COMPARE, { runIds: [runId], keys: ["loss"], maxPoints: 1000 });
    expect(compare.status).toBe(200);
    expect(compare.errors).toBeUndefined();
    expect(compare.data?.compareRuns.series[0].points.length).toBeGreaterThan(0);
  });

  it("leaves a maxPoints above the cap to its own rule, naming the argument", async () => {
    const result = await gql(t.url, team.viewer.token, `{ metricHistory(runId: "${runId}", key: "loss", maxPoints: 100000) { points { step } } }`);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.extensions).toMatchObject({ field: "maxPoints", rule: "must be ≤ 5000" });
  });
});
