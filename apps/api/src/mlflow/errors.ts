/**
 * MLflow's error format: `{"error_code": "...", "message": "..."}` with the HTTP status its
 * server sends for that code. The services' typed errors (GraphQLError with a code) are
 * translated here, so a handler can reuse any service and still answer like MLflow.
 */
import { GraphQLError } from "graphql";

export type MlflowErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED"
  | "ENDPOINT_NOT_FOUND"
  | "REQUEST_LIMIT_EXCEEDED"
  | "TEMPORARILY_UNAVAILABLE"
  | "INTERNAL_ERROR";

const HTTP_STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  REQUEST_LIMIT_EXCEEDED: 429,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export class MlflowError extends Error {
  constructor(
    readonly code: MlflowErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  get body(): { error_code: MlflowErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

/** A bad field of the request: the message names it, as MLflow's own validation does. */
export function invalidField(field: string, rule: string): MlflowError {
  return new MlflowError("INVALID_PARAMETER_VALUE", `${field}: ${rule}`);
}

export function doesNotExist(kind: string, id: string): MlflowError {
  return new MlflowError("RESOURCE_DOES_NOT_EXIST", `${kind} '${id}' does not exist`);
}

const CODE_OF_SERVICE_ERROR: Record<string, MlflowErrorCode> = {
  BAD_USER_INPUT: "INVALID_PARAMETER_VALUE",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "PERMISSION_DENIED",
  NOT_FOUND: "RESOURCE_DOES_NOT_EXIST",
  RATE_LIMITED: "REQUEST_LIMIT_EXCEEDED",
  DATABASE_UNAVAILABLE: "TEMPORARILY_UNAVAILABLE",
};

/** The MLflow form of a service's user error; null for anything else (a real fault). */
export function fromServiceError(error: unknown): MlflowError | null {
  if (error instanceof MlflowError) return error;
  if (!(error instanceof GraphQLError)) return null;
  const code = CODE_OF_SERVICE_ERROR[String(error.extensions.code)];
  if (code === undefined) return null;
  const retryAfter = error.extensions.retryAfter;
  return new MlflowError(code, error.message, retryAfter === undefined ? {} : { "retry-after": String(retryAfter) });
}
