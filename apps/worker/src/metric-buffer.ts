/**
 * Metric points and log lines on their way to the database: the training loop only appends;
 * a timer flushes at most `flushMs` later, one statement per kind. A failed flush (database
 * gone) keeps everything buffered and retries at the next tick, so training never waits on the
 * database. Writes are idempotent by (run, key, step) and (run, seq), so a retried batch that
 * had in fact been stored is not duplicated.
 */
import { type IncomingPoint, ingestPoints, poolQueryable } from "@runboard/db";
import type pg from "pg";

export interface LogLine {
  seq: number;
  time: Date;
  level: "info" | "warn" | "error";
  message: string;
}

export class RunReporter {
  private points: IncomingPoint[] = [];
  private logs: LogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private nextSeq: number;
  /** Consecutive failed flushes (0 while the database answers). */
  failures = 0;
  pointsWritten = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly run: { id: string; teamId: string },
    private readonly flushMs: number,
    firstLogSeq: number,
  ) {
    this.nextSeq = firstLogSeq;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
    this.timer.unref();
  }

  /** `wallTime`: when the point was measured (the training process says; default now). */
  point(key: string, step: number, value: number, epoch?: number | null, wallTime = new Date()): void {
    if (Number.isFinite(value)) this.points.push({ key, step, value, epoch: epoch ?? null, wallTime });
  }

  log(message: string, level: LogLine["level"] = "info", time = new Date()): void {
    this.logs.push({ seq: this.nextSeq++, time, level, message });
  }

  get pending(): number {
    return this.points.length + this.logs.length;
  }

  /**
   * Stores everything appended before the call; throws when the database is unreachable.
   * A flush already in flight took its batch before the latest appends, so it is waited for
   * and the rest sent after it (a checkpoint relies on this: its epochs' points are stored).
   * Concurrent calls share one flush.
   */
  async flush(): Promise<void> {
    const inFlight = this.flushing;
    if (inFlight !== undefined) await inFlight;
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const points = this.points;
    const logs = this.logs;
    if (points.length === 0 && logs.length === 0) return;
    this.points = [];
    this.logs = [];
    try {
      if (logs.length > 0) await this.writeLogs(logs);
      if (points.length > 0) this.pointsWritten += (await ingestPoints(poolQueryable(this.pool), this.run, points)).inserted;
      this.failures = 0;
    } catch (error) {
      // Put them back in front, in order: the next flush retries them first.
      this.points = [...points, ...this.points];
      this.logs = [...logs, ...this.logs];
      this.failures++;
      throw error;
    }
  }

  private async writeLogs(logs: LogLine[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO run_log (run_id, seq, time, level, message)
       SELECT $1, s, t, l, m FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[]) AS x(s, t, l, m)
       ON CONFLICT (run_id, seq) DO NOTHING`,
      [this.run.id, logs.map((l) => l.seq), logs.map((l) => l.time), logs.map((l) => l.level), logs.map((l) => l.message)],
    );
    logs.length = 0;
  }

  /** Stops the timer and flushes until everything is stored (retrying while the database is away). */
  async close(timeoutMs = 10 * 60_000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0) {
      try {
        await this.flush();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
