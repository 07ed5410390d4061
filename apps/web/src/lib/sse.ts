/**
 * Server-sent events for subscriptions: the Next route writes graphql-ws results as SSE, the
 * browser reads them back. `next` carries an ExecutionResult, `error` a list of errors.
 */
export type StreamEvent = { event: "next"; data: unknown } | { event: "error"; data: unknown } | { event: "complete" };

export function encodeEvent(event: StreamEvent): string {
  const data = "data" in event ? JSON.stringify(event.data) : "";
  return `event: ${event.event}\ndata: ${data}\n\n`;
}

/** A keep-alive line that SSE readers ignore (proxies close idle streams). */
export const KEEP_ALIVE = ": keep-alive\n\n";

/** Splits a growing buffer into complete events; returns them and the unfinished rest. */
export function parseEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  const blocks = buffer.split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let name = "";
    const dataLines: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) dataLines.push(line.slice(5).trimStart());
    }
    const data = dataLines.join("\n");
    if (name === "complete") events.push({ event: "complete" });
    else if (name === "next" || name === "error") events.push({ event: name, data: data === "" ? null : JSON.parse(data) });
  }
  return { events, rest };
}
