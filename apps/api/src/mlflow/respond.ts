/** Writing MLflow's answers: JSON bodies, and every error in MLflow's format. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isOutage } from "@runboard/db";
import { fromServiceError, MlflowError } from "./errors.ts";

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Runs `body`, answering its errors as MLflow would: the services' typed errors translated, an
 * outage as TEMPORARILY_UNAVAILABLE, anything else logged and answered INTERNAL_ERROR without
 * detail. A request body left unread (an upload refused early) is not drained: the connection
 * closes after the answer.
 */
export async function answerErrors(request: IncomingMessage, response: ServerResponse, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const known = fromServiceError(error) ?? (isOutage(error) ? new MlflowError("TEMPORARILY_UNAVAILABLE", "database unavailable") : null);
    if (known === null) console.error(error);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const answer = known ?? new MlflowError("INTERNAL_ERROR", "internal error");
    const unread = !request.complete;
    sendJson(response, answer.status, answer.body, { ...answer.headers, ...(unread ? { connection: "close" } : {}) });
    if (unread) response.on("finish", () => request.destroy());
  }
}
