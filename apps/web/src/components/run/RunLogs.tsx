"use client";
/** The worker's log lines of the run, oldest first; new lines are polled while the run is active. */
import { useEffect, useState } from "react";
import { useClient } from "urql";
import type { RunLogsQuery } from "../../gql/graphql.ts";
import { RunLogsDocument } from "../../graphql/launch.ts";
import { formatDate } from "../../lib/format.ts";

type LogLine = NonNullable<RunLogsQuery["run"]>["logs"][number];
type Attempt = Omit<NonNullable<RunLogsQuery["run"]>, "logs">;
const POLL_MS = 2000;
const PAGE = 500;

export function RunLogs({ runId, active }: { runId: string; active: boolean }) {
  const client = useClient();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let afterSeq = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll() {
      const result = await client.query(RunLogsDocument, { id: runId, afterSeq, limit: PAGE }, { requestPolicy: "network-only" }).toPromise();
      if (cancelled) return;
      if (result.error) setError(result.error.message);
      const run = result.data?.run;
      if (run) {
        const { logs, ...rest } = run;
        setAttempt(rest);
        if (logs.length > 0) {
          afterSeq = logs[logs.length - 1]!.seq;
          setLines((current) => [...current, ...logs]);
        }
        // A full page means more are waiting: read on at once.
        if (logs.length === PAGE) return void poll();
      }
      if (active) timer = setTimeout(() => void poll(), POLL_MS);
    }
    setLines([]);
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, runId, active]);

  return (
    <section aria-label="Log">
      <h2>Log</h2>
      {attempt && (
        <p className="muted">
          Attempt {attempt.attempt} of {attempt.maxAttempts}
          {attempt.workerId ? ` · worker ${attempt.workerId}` : ""}
          {attempt.heartbeatAt ? ` · heartbeat ${formatDate(attempt.heartbeatAt)}` : ""}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {lines.length === 0 ? (
        <p className="muted">No log lines yet.</p>
      ) : (
        <pre className="log panel" tabIndex={0} aria-label="Run log lines">
          {lines.map((line) => `${formatDate(line.time)} ${line.level.padEnd(5)} ${line.message}`).join("\n")}
        </pre>
      )}
    </section>
  );
}
