/**
 * The load bench's clients. A logger sends batches of points to its own run, one batch after
 * the other, as a training script does, over REST or GraphQL; a batch counts as acknowledged
 * once the API answered it with every point inserted or already there. A dashboard reader
 * loads the pages of the web app, one after the other, with the queries the web app sends.
 * Both record how long each request took, from first send to answer.
 */
import { setTimeout as sleep } from "node:timers/promises";

export type LoadWay = "rest" | "graphql";

export interface Caller {
  /** The API's GraphQL endpoint (`…/graphql`). */
  endpoint: string;
  token: string;
}

const KEYS = ["loss", "accuracy", "learning_rate", "grad_norm"];
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted duplicates } }`;
/** Attempts per request: a 429 waits its Retry-After, a 5xx or a broken connection 200 ms. */
const MAX_ATTEMPTS = 10;

interface Answer {
  status: number;
  retryAfter: number;
  body: any;
}

async function post(url: string, token: string, body: string): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page, a crash): kept as text for the error message.
  }
  return { status: response.status, retryAfter: Number(response.headers.get("retry-after") ?? 1), body: parsed };
}

export interface Retries {
  /** Answers 429 (RATE_LIMITED), waited out and resent. */
  rateLimited: number;
  /** 5xx answers and broken connections, resent. */
  failed: number;
}

/** Sends until answered with something other than a 429 or a fault; throws past MAX_ATTEMPTS. */
async function deliver(url: string, token: string, body: string, retries: Retries): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await post(url, token, body).catch((error: unknown) => error as Error);
    const fault = answer instanceof Error || answer.status >= 500;
    if (attempt < MAX_ATTEMPTS && !(answer instanceof Error) && answer.status === 429) {
      retries.rateLimited++;
      await sleep(answer.retryAfter * 1000);
    } else if (attempt < MAX_ATTEMPTS && fault) {
      retries.failed++;
      await sleep(200);
    } else if (answer instanceof Error) {
      throw answer;
    } else {
      return answer;
    }
  }
}

function ok(answer: Answer): any {
  const failed = answer.status !== 200 || answer.body?.errors !== undefined || answer.body?.error !== undefined;
  if (failed) throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  return answer.body;
}

/** Batch `batch` of a logger: `size` points spread over four keys, steps following the previous batch's. */
export function batchRequest(way: LoadWay, endpoint: string, runId: string, batch: number, size: number) {
  const perKey = Math.ceil(size / KEYS.length);
  const points = Array.from({ length: size }, (_, i) => ({
    key: KEYS[i % KEYS.length] as string,
    step: batch * perKey + Math.floor(i / KEYS.length),
    value: Math.random(),
  }));
  if (way === "graphql") return { url: endpoint, body: JSON.stringify({ query: LOG, variables: { runId, points } }) };
  return {
    url: endpoint.replace(/\/graphql$/, `/api/v1/runs/${runId}/metrics`),
    body: JSON.stringify({ keys: points.map((p) => p.key), steps: points.map((p) => p.step), values: points.map((p) => p.value) }),
  };
}

export interface LoggerTally extends Retries {
  /** Points of batches the API acknowledged (each point once, however often its batch was sent). */
  acknowledged: number;
  /** Of those, points sent after the clock started (the rate's numerator). */
  timedPoints: number;
  latencies: number[];
}

export function emptyLoggerTally(): LoggerTally {
  return { acknowledged: 0, timedPoints: 0, latencies: [], rateLimited: 0, failed: 0 };
}

/** Sends one batch and counts it once acknowledged; throws when the API refuses it or answers oddly. */
export async function logBatch(way: LoadWay, caller: Caller, runId: string, batch: number, size: number, tally: LoggerTally) {
  const request = batchRequest(way, caller.endpoint, runId, batch, size);
  const start = performance.now();
  const body = ok(await deliver(request.url, caller.token, request.body, tally));
  const elapsed = performance.now() - start;
  const result = way === "graphql" ? body.data?.logMetrics : body;
  // A batch resent after a lost answer may find some of its points there already: duplicates.
  if (result?.inserted + result?.duplicates !== size) throw new Error(`batch of ${size} answered ${JSON.stringify(result)}`);
  tally.acknowledged += size;
  return elapsed;
}

/** Batches one after the other until `deadline` (performance.now()); batch numbers from `firstBatch`. */
export async function logUntil(way: LoadWay, caller: Caller, runId: string, size: number, deadline: number, firstBatch: number, tally: LoggerTally) {
  for (let batch = firstBatch; performance.now() < deadline; batch++) {
    tally.latencies.push(await logBatch(way, caller, runId, batch, size, tally));
    tally.timedPoints += size;
  }
}

/** A GraphQL read; its duration in ms. */
export async function read(caller: Caller, query: string, variables: Record<string, unknown>, retries: Retries): Promise<number> {
  const start = performance.now();
  ok(await deliver(caller.endpoint, caller.token, JSON.stringify({ query, variables }), retries));
  return performance.now() - start;
}
