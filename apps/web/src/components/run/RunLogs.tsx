"use client";
/** The worker's log lines of the run, oldest first; new lines are polled while the run is active. */
import { Paper, Title } from "@mantine/core";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
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
  const panel = useRef<HTMLPreElement>(null);
  // Follow new lines while the reader is at the bottom of the panel; leave them where they are once they scroll up.
  const following = useRef(true);
  useLayoutEffect(() => {
    const element = panel.current;
    if (element !== null && following.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

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
    <Paper withBorder radius="md" p="md" component="section" aria-label="Log" miw={0}>
      <Title order={2} size="h3" mt={0} mb="xs">
        Log
      </Title>
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
        <pre
          ref={panel}
          className="log panel"
          tabIndex={0}
          aria-label="Run log lines"
          onScroll={(event) => {
            const element = event.currentTarget;
            following.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 8;
          }}
        >
          {lines.map((line) => `${formatDate(line.time)} ${line.level.padEnd(5)} ${line.message}`).join("\n")}
        </pre>
      )}
    </Paper>
  );
}
