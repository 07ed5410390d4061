/**
 * Typed user errors. Every error a caller can fix carries a code; BAD_USER_INPUT also names
 * the field and the rule it broke, so clients can point at the offending input.
 */
import { GraphQLError } from "graphql";

export type ErrorCode = "BAD_USER_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "QUERY_TOO_COMPLEX" | "RATE_LIMITED" | "DATABASE_UNAVAILABLE";

function userError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}, httpStatus?: number, headers?: Map<string, string>) {
  const http = httpStatus === undefined ? {} : { http: { status: httpStatus, ...(headers === undefined ? {} : { headers }) } };
  return new GraphQLError(message, { extensions: { code, ...extra, ...http } });
}

export function badInput(field: string, rule: string): GraphQLError {
  return userError("BAD_USER_INPUT", `${field}: ${rule}`, { field, rule });
}

export function unauthenticated(reason: string): GraphQLError {
  return userError("UNAUTHENTICATED", reason, {}, 401);
}

export function forbidden(permission: string): GraphQLError {
  return userError("FORBIDDEN", `missing permission ${permission}`, { permission });
}

/** Also used for things of other teams: their existence is not revealed. */
export function notFound(kind: string, id: string): GraphQLError {
  return userError("NOT_FOUND", `${kind} ${id} not found`, { kind, id });
}

/** An operation deeper or costlier than the server accepts; refused before it runs (HTTP 400). */
export function queryTooComplex(limit: "depth" | "cost", measured: number, maximum: number): GraphQLError {
  const rule = `${limit} must be ≤ ${maximum}`;
  return userError("QUERY_TOO_COMPLEX", `query: ${limit} ${measured} exceeds the limit of ${maximum}`, { field: "query", rule, limit, measured, maximum }, 400);
}

/** A token over its rate (HTTP 429); `retryAfter` whole seconds also go out as the Retry-After header. */
export function rateLimited(limit: "points" | "queryCost", perSecond: number, retryAfter: number): GraphQLError {
  const what = limit === "points" ? "metric points" : "query cost";
  return userError(
    "RATE_LIMITED",
    `rate limit: at most ${perSecond} ${what} per second per token; retry after ${retryAfter} s`,
    { limit, perSecond, retryAfter },
    429,
    new Map([["retry-after", String(retryAfter)]]),
  );
}

/** The database cannot be reached (HTTP 503). Says nothing of where it is: the cause goes to the server's log only. */
export function databaseUnavailable(): GraphQLError {
  return userError("DATABASE_UNAVAILABLE", "database unavailable", {}, 503);
}
