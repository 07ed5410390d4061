/**
 * cancelRun: the run becomes CANCELED at once. A queued run's job is removed; a running run's
 * worker hears `runboard_cancel` and stops after the batch in flight, keeping what it recorded.
 * A running run's attempt ends CANCELED here, with who canceled it (its worker may be gone).
 */
import { badInput, endAttempt, notifyRunUpdated, RUN_COLUMNS, type RunRecord } from "@runboard/db";
import { installQueue } from "@runboard/queue";
import { z } from "zod";
import { id, parseArgs } from "../validation.ts";
import type { Scope } from "./projects.ts";
import { accessibleRun } from "./runs.ts";

export const CANCEL_CHANNEL = "runboard_cancel";

export async function cancelRun(scope: Scope, args: unknown): Promise<RunRecord> {
  const input = parseArgs(z.object({ runId: id }), args);
  await accessibleRun(scope, input.runId, "run:cancel");
  await installQueue(scope.db.pool);
  const run = await scope.db.transaction(async (tx) => {
    const [canceled] = await tx.rows<RunRecord>(
      `UPDATE run r SET status = 'CANCELED', finished_at = now(), error = $2
       WHERE r.id = $1 AND r.status IN ('QUEUED', 'RUNNING') RETURNING ${RUN_COLUMNS}`,
      [input.runId, `canceled by ${scope.caller.email}`],
    );
    if (canceled === undefined) return undefined;
    await endAttempt(tx, canceled.id, canceled.attempt, "CANCELED", canceled.error);
    await tx.run(`SELECT pg_notify($1, $2)`, [CANCEL_CHANNEL, canceled.id]);
    // A queued run's next job: removed when no worker holds it yet (a taken one is skipped by the worker).
    await tx.run(`SELECT graphile_worker.remove_job($1)`, [`run:${canceled.id}:${canceled.attempt + 1}`]);
    await notifyRunUpdated(tx, canceled);
    return canceled;
  });
  if (run === undefined) throw badInput("runId", "run has already finished");
  return run;
}
