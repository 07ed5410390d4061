/**
 * A run's params and artifact records, and its attempt's training process and resume point,
 * written by the supervisor in the order the training process sent them, each retried while
 * the database is away. `settle` waits for all of them
 * (before the run's final status) and reports the first write that failed for good.
 */
import { poolQueryable, recordAttemptProcess, recordAttemptResume, type TypedParam } from "@runboard/db";
import type pg from "pg";
import { recordArtifact, recordParams, type StoredArtifact } from "./run-store.ts";
import { persistently } from "./sql.ts";

export class RunWrites {
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly pool: pg.Pool,
    private readonly runId: string,
    private readonly attempt: number,
  ) {}

  /** The attempt's training process. */
  process(pid: number): void {
    this.add(() => recordAttemptProcess(poolQueryable(this.pool), this.runId, this.attempt, pid));
  }

  /** The checkpoint the attempt resumed from. */
  resumed(from: { step: number; epoch: number }): void {
    this.add(() => recordAttemptResume(poolQueryable(this.pool), this.runId, this.attempt, from));
  }

  params(params: TypedParam[]): void {
    this.add(() => recordParams(this.pool, this.runId, params));
  }

  artifact(artifact: StoredArtifact): void {
    this.add(() => recordArtifact(this.pool, this.runId, artifact));
  }

  async settle(): Promise<void> {
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
  }

  private add(write: () => Promise<void>): void {
    this.pending = this.pending
      .then(() => persistently(write))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }
}
