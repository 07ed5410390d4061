/**
 * Rejects operations deeper or costlier than configured, before they execute (QUERY_TOO_COMPLEX,
 * HTTP 400), then charges the caller's token for the operation's cost and the metric points it
 * logs (RATE_LIMITED, HTTP 429 with Retry-After, when the token is over its rate).
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { queryTooComplex } from "@runboard/db";
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { measureOperation } from "./query-limits.ts";
import { pointsToLog, type RateLimiter, type RateLimitSettings } from "./rate-limits.ts";

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Per-token rates; unset: defaultRateLimits (server/rate-limits.ts). */
  rate?: Partial<RateLimitSettings>;
}

/** What `npm start` uses unless RUNBOARD_MAX_QUERY_DEPTH / RUNBOARD_MAX_QUERY_COST say otherwise. */
export const defaultQueryLimits = { maxDepth: 12, maxCost: 1_000_000 } as const;

/**
 * The depth and cost check, then, for a caller, its token charged for the operation's cost and
 * the metric points it logs: the error that refuses the operation, or null (nothing charged
 * when it is refused for its size).
 */
export function admitOperation(
  limits: QueryLimits,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | undefined,
  rate?: { limiter: RateLimiter; tokenId: string },
): GraphQLError | null {
  if (operation === null || operation === undefined) return null;
  const { depth, cost } = measureOperation(schema, document, operation, variables ?? {});
  if (depth > limits.maxDepth) return queryTooComplex("depth", depth, limits.maxDepth);
  if (cost > limits.maxCost) return queryTooComplex("cost", cost, limits.maxCost);
  if (rate === undefined) return null;
  try {
    rate.limiter.charge("points", rate.tokenId, pointsToLog(document, operation, variables ?? {}));
    rate.limiter.charge("queryCost", rate.tokenId, Math.max(1, cost));
    return null;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

export function queryLimitsPlugin<Context extends { caller: { tokenId: string } }>(
  limits: QueryLimits,
  rateLimiter?: RateLimiter,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          const rate = rateLimiter === undefined ? undefined : { limiter: rateLimiter, tokenId: contextValue.caller.tokenId };
          const error = admitOperation(limits, schema, document, operation, request.variables, rate);
          if (error !== null) throw error;
        },
      };
    },
  };
}
