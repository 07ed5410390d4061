/**
 * Typed user errors. Every error a caller can fix carries a code; BAD_USER_INPUT also names
 * the field and the rule it broke, so clients can point at the offending input.
 */
import { GraphQLError } from "graphql";

export type ErrorCode = "BAD_USER_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND";

function userError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}, httpStatus?: number) {
  const http = httpStatus === undefined ? {} : { http: { status: httpStatus } };
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
