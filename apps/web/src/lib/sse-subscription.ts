/**
 * urql's subscription transport in the browser: POST the operation to the Next route and read
 * its server-sent events (the session cookie goes along; no token in page scripts).
 */
import type { ExecutionResult, SubscriptionForwarder } from "@urql/core";
import { parseEvents } from "./sse.ts";

export const STREAM_PATH = "/api/graphql/stream";

interface Sink {
  next(value: ExecutionResult): void;
  error(error: unknown): void;
  complete(): void;
}

async function pump(response: Response, sink: Sink): Promise<void> {
  if (!response.ok || response.body === null) {
    sink.error(new Error(`subscription refused: HTTP ${response.status}`));
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const { events, rest } = parseEvents(buffer + value);
    buffer = rest;
    for (const event of events) {
      if (event.event === "next") sink.next(event.data as ExecutionResult);
      else if (event.event === "error") sink.next({ errors: event.data as ExecutionResult["errors"] } as ExecutionResult);
      else return sink.complete();
    }
  }
  sink.complete();
}

export const forwardSubscription: SubscriptionForwarder = (request) => ({
  subscribe(sink) {
    const controller = new AbortController();
    fetch(STREAM_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(request),
      signal: controller.signal,
    })
      .then((response) => pump(response, sink))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) sink.error(error);
      });
    return { unsubscribe: () => controller.abort() };
  },
});
