"use client";
/** Cancel (queued or running runs) and clone (the launch form, prefilled from this run). */
import Link from "next/link";
import { useMutation } from "urql";
import { CancelRunDocument } from "../../graphql/launch.ts";

export function RunActions({ runId, active, cloneable }: { runId: string; active: boolean; cloneable: boolean }) {
  const [{ fetching, error }, cancelRun] = useMutation(CancelRunDocument);
  return (
    <div className="row">
      {active && (
        <button type="button" disabled={fetching} onClick={() => window.confirm("Cancel this run? What it recorded stays.") && void cancelRun({ runId })}>
          {fetching ? "Canceling…" : "Cancel run"}
        </button>
      )}
      {cloneable && <Link href={`/launch?from=${encodeURIComponent(runId)}`}>Clone run</Link>}
      {error && (
        <span role="alert" className="error">
          {error.message}
        </span>
      )}
    </div>
  );
}
