/** What every MLflow handler gets: the caller's scope, the server's dependencies, the request's fields. */
import type { ContextDeps } from "../server/context.ts";
import type { Scope } from "../services/projects.ts";
import { invalidField } from "./errors.ts";
import type { RequestFields } from "./input.ts";

export interface MlflowRequest {
  scope: Scope;
  deps: ContextDeps;
  fields: RequestFields;
}

/** The response body (an object, `{}` for MLflow's empty responses). */
export type Handler = (request: MlflowRequest) => Promise<object>;

/**
 * Page tokens: opaque base64url JSON holding where the next page starts (a row offset for
 * searches, a step for metric history), checked on the way back in.
 */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

export function offsetOf(token: string | undefined, field = "page_token"): number {
  if (token === undefined || token === "") return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const offset = typeof parsed === "object" && parsed !== null && "offset" in parsed ? parsed.offset : undefined;
    if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the error below.
  }
  throw invalidField(field, "is not a page token this server issued");
}
