/**
 * Per-token rate limits, as token buckets: each API token may log `pointsPerSecond` metric
 * points (logMetrics and the REST route together) and spend `queryCostPerSecond` of query cost
 * (server/query-limits.ts; every GraphQL operation, reads and writes) per second. A bucket holds
 * one second's worth, and at least one largest request (a full logMetrics batch, a query at the
 * cost limit), so every request the other limits accept can pass when the token is idle.
 *
 * A request over the rate is refused before it does any work: RATE_LIMITED, HTTP 429 and
 * Retry-After (whole seconds until the bucket holds enough). Buckets live in this process, so
 * N API replicas allow N times the rate.
 */
import { rateLimited } from "@runboard/db";
import { valueFromASTUntyped, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { limits } from "../limits.ts";

export interface RateLimitSettings {
  /** Metric points one token may log per second; 0: no limit. */
  pointsPerSecond: number;
  /** Query cost one token may spend per second; 0: no limit. */
  queryCostPerSecond: number;
}

/** Well above what one token does in the benches (about 150,000 points/s over REST with 4 writers). */
export const defaultRateLimits: RateLimitSettings = { pointsPerSecond: 500_000, queryCostPerSecond: 2_000_000 };

export type RateLimitKind = "points" | "queryCost";

/** Tokens refill continuously at `rate` per second up to `capacity`. */
export class TokenBucket {
  private tokens: number;

  constructor(
    readonly rate: number,
    readonly capacity: number,
    private updatedAt: number,
  ) {
    this.tokens = capacity;
  }

  /**
   * Takes `amount` and returns 0, or takes nothing and returns the seconds until it could. An
   * amount above the capacity needs a full bucket and empties it.
   */
  take(amount: number, now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    const needed = Math.min(amount, this.capacity);
    if (needed <= this.tokens) {
      this.tokens -= needed;
      return 0;
    }
    return (needed - this.tokens) / this.rate;
  }

  isFull(now: number): boolean {
    return this.tokens + ((now - this.updatedAt) / 1000) * this.rate >= this.capacity;
  }
}

/** Buckets of idle tokens are dropped past this many, so the map stays small. */
const TRACKED_BUCKETS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly capacities: Record<RateLimitKind, number>;

  constructor(
    readonly settings: RateLimitSettings,
    /** The largest query cost accepted: a bucket must hold at least that much. */
    maxQueryCost: number,
    private readonly now: () => number = Date.now,
  ) {
    this.capacities = {
      points: Math.max(settings.pointsPerSecond, limits.logMetricsBatch),
      queryCost: Math.max(settings.queryCostPerSecond, maxQueryCost),
    };
  }

  /** Charges `amount` to the token's bucket of this kind; throws RATE_LIMITED (nothing charged) when it cannot. */
  charge(kind: RateLimitKind, tokenId: string, amount: number): void {
    const rate = kind === "points" ? this.settings.pointsPerSecond : this.settings.queryCostPerSecond;
    if (rate <= 0 || amount <= 0) return;
    const now = this.now();
    const key = `${kind}:${tokenId}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= TRACKED_BUCKETS) this.dropFullBuckets(now);
      bucket = new TokenBucket(rate, this.capacities[kind], now);
      this.buckets.set(key, bucket);
    }
    const wait = bucket.take(amount, now);
    if (wait > 0) throw rateLimited(kind, rate, Math.max(1, Math.ceil(wait)));
  }

  private dropFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}

/** Points the operation's logMetrics fields carry (aliases each count), read before any coercion. */
export function pointsToLog(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  if (operation.operation !== "mutation") return 0;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === "FragmentDefinition" ? [[d.name.value, d.selectionSet] as const] : [])));
  const count = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
    let points = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === "InlineFragment") points += count(selection.selectionSet, seen);
      else if (selection.kind === "FragmentSpread") {
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined && !seen.has(selection.name.value)) points += count(fragment, new Set([...seen, selection.name.value]));
      } else if (selection.name.value === "logMetrics") {
        const argument = selection.arguments?.find((a) => a.name.value === "points");
        const value = argument === undefined ? undefined : valueFromASTUntyped(argument.value, variables);
        points += Array.isArray(value) ? value.length : 0;
      }
    }
    return points;
  };
  return count(operation.selectionSet, new Set());
}
