/**
 * Hears cancelRun at once: one LISTEN connection on `runboard_cancel` per worker process,
 * reconnecting when the database goes away (heartbeats catch a cancel missed meanwhile).
 */
import pg from "pg";

export const CANCEL_CHANNEL = "runboard_cancel";

export class CancelWatch {
  private client: pg.Client | undefined;
  private readonly handlers = new Map<string, () => void>();
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5_000 });
    client.on("notification", (message) => this.handlers.get(message.payload ?? "")?.());
    client.on("error", () => this.reconnect(client));
    client.on("end", () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CANCEL_CHANNEL}`);
      this.client = client;
    } catch {
      this.reconnect(client);
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.stopped || this.retry !== undefined) return;
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, 1_000);
  }

  /** Calls `onCancel` when the run is canceled; returns the unsubscribe. */
  watch(runId: string, onCancel: () => void): () => void {
    this.handlers.set(runId, onCancel);
    return () => this.handlers.delete(runId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
