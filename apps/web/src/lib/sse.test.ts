import { describe, expect, it } from "vitest";
import { KEEP_ALIVE, encodeEvent, parseEvents } from "./sse.ts";

describe("sse", () => {
  it("round-trips events split at any byte", () => {
    const sent = [
      { event: "next" as const, data: { data: { metricsAppended: { runId: "r", toStep: 3 } } } },
      { event: "error" as const, data: [{ message: "no\n\nway" }] },
      { event: "complete" as const },
    ];
    const wire = KEEP_ALIVE + sent.map(encodeEvent).join("");
    for (const cut of [1, 7, 20, wire.length - 1]) {
      const first = parseEvents(wire.slice(0, cut));
      const second = parseEvents(first.rest + wire.slice(cut));
      expect([...first.events, ...second.events]).toEqual(sent);
      expect(second.rest).toBe("");
    }
  });

  it("keeps an unfinished event for later", () => {
    const { events, rest } = parseEvents('event: next\ndata: {"a":1}\n');
    expect(events).toEqual([]);
    expect(rest).toBe('event: next\ndata: {"a":1}\n');
  });
});
