/**
 * One LISTEN connection per API process, fanned out to every subscription of that process.
 * Any writer (this API, another replica, the worker) NOTIFYs inside its transaction, so
 * every replica's subscribers wake on committed changes only.
 */
import { EVENTS_CHANNEL, parseRunEvent, type RunEvent } from "@runboard/db";
import pg from "pg";

type Listener = (event: RunEvent) => void;

const RECONNECT_DELAY_MS = 1_000;

export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | null = null;
  private stopped = false;

  constructor(private readonly clientConfig: pg.ClientConfig) {}

  async start(): Promise<void> {
    const client = new pg.Client(this.clientConfig);
    client.on("notification", (message) => this.dispatch(parseRunEvent(message.payload)));
    client.on("error", (error) => {
      console.error(`event listener: ${error.message}; reconnecting`);
      this.reconnectLater();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Events of one run, as an async iterator ending when the consumer returns. */
  subscribe(runId: string, accept: (event: RunEvent) => boolean): AsyncIterableIterator<RunEvent> {
    const queue: RunEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const listener: Listener = (event) => {
      if (!accept(event)) return;
      queue.push(event);
      wake?.();
    };
    this.addListener(runId, listener);
    const finish = () => {
      done = true;
      this.removeListener(runId, listener);
      wake?.();
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<RunEvent>> {
        while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const event = queue.shift();
        return event === undefined ? { value: undefined, done: true } : { value: event, done: false };
      },
      async return(): Promise<IteratorResult<RunEvent>> {
        finish();
        return { value: undefined, done: true };
      },
    };
  }

  /** Subscriptions of this process currently listening to a run. */
  listenerCount(runId: string): number {
    return this.listeners.get(runId)?.size ?? 0;
  }

  private dispatch(event: RunEvent | null): void {
    if (event === null) return;
    for (const listener of this.listeners.get(event.runId) ?? []) listener(event);
  }

  private addListener(runId: string, listener: Listener): void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
  }

  private removeListener(runId: string, listener: Listener): void {
    const set = this.listeners.get(runId);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(runId);
  }

  private reconnectLater(): void {
    const broken = this.client;
    this.client = null;
    void broken?.end().catch(() => undefined);
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) this.start().catch(() => this.reconnectLater());
    }, RECONNECT_DELAY_MS);
  }
}
