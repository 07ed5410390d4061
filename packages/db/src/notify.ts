/**
 * What writers publish: one NOTIFY per change, sent inside the writing transaction so that
 * subscribers hear of a change only once it is committed (and never of a rolled-back one).
 */
import type { Queryable } from "./database.ts";

export const EVENTS_CHANNEL = "runboard_events";

export type RunEvent =
  { kind: "run"; runId: string; teamId: string } | { kind: "metrics"; runId: string; teamId: string; keys: string[]; fromStep: number; toStep: number };

export async function notifyRunUpdated(tx: Queryable, run: { id: string; teamId: string }): Promise<void> {
  const event: RunEvent = { kind: "run", runId: run.id, teamId: run.teamId };
  await tx.run(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, JSON.stringify(event)]);
}

export function parseRunEvent(payload: string | undefined): RunEvent | null {
  try {
    const event: unknown = JSON.parse(payload ?? "");
    if (typeof event !== "object" || event === null || !("kind" in event) || !("runId" in event)) return null;
    return event as RunEvent;
  } catch {
    return null;
  }
}
