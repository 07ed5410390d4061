/**
 * Subscriptions for the browser. Route handlers cannot take websocket upgrades, and the
 * token must stay httpOnly, so the browser POSTs the subscription here and reads server-sent
 * events; this handler opens the graphql-ws connection to the API with the token in
 * connectionParams and relays each result. Closing the request closes the connection.
 */
import { createClient } from "graphql-ws";
import { type NextRequest } from "next/server";
import WebSocket from "ws";
import { readWebEnv } from "../../../../lib/env.ts";
import { SESSION_COOKIE, bearer } from "../../../../lib/session-cookies.ts";
import { KEEP_ALIVE, encodeEvent, type StreamEvent } from "../../../../lib/sse.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const KEEP_ALIVE_MS = 15_000;

interface SubscribeBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function readBody(value: unknown): SubscribeBody | string {
  if (typeof value !== "object" || value === null) return "body: must be a JSON object";
  const body = value as Record<string, unknown>;
  if (typeof body.query !== "string") return "query: must be a string";
  if (body.variables !== undefined && (typeof body.variables !== "object" || body.variables === null)) {
    return "variables: must be an object";
  }
  return body as unknown as SubscribeBody;
}

export async function POST(request: NextRequest): Promise<Response> {
  const authorization = bearer(request.cookies.get(SESSION_COOKIE)?.value);
  if (authorization === undefined) return Response.json({ errors: [{ message: "not signed in" }] }, { status: 401 });
  const body = readBody(await request.json().catch(() => null));
  if (typeof body === "string") return Response.json({ errors: [{ message: body }] }, { status: 400 });

  const client = createClient({
    url: readWebEnv().apiWsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
  });
  const encoder = new TextEncoder();
  let stop = (): void => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (event: StreamEvent) => {
        if (open) controller.enqueue(encoder.encode(encodeEvent(event)));
      };
      const keepAlive = setInterval(() => open && controller.enqueue(encoder.encode(KEEP_ALIVE)), KEEP_ALIVE_MS);
      const unsubscribe = client.subscribe(
        { query: body.query, variables: body.variables ?? {}, operationName: body.operationName ?? null },
        {
          next: (result) => send({ event: "next", data: result }),
          error: (error) => {
            const errors = Array.isArray(error) ? error : [{ message: error instanceof Error ? error.message : "subscription closed" }];
            send({ event: "error", data: errors });
            stop();
          },
          complete: () => {
            send({ event: "complete" });
            stop();
          },
        },
      );
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(keepAlive);
        unsubscribe();
        void client.dispose();
        controller.close();
      };
      request.signal.addEventListener("abort", () => stop());
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" },
  });
}
