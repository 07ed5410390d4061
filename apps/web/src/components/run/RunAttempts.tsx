"use client";
import { Paper, Table, Text, Title } from "@mantine/core";
import type { AttemptOutcome } from "../../gql/graphql.ts";
import { formatDate } from "../../lib/format.ts";

export interface RunAttemptRow {
  number: number;
  startedAt: string;
  endedAt?: string | null;
  outcome?: AttemptOutcome | null;
  error?: string | null;
  resumedFromStep?: number | null;
  resumedFromEpoch?: number | null;
}

const OUTCOME: Record<AttemptOutcome, string> = {
  FINISHED: "finished",
  FAILED: "failed",
  LOST: "lost",
  CANCELED: "canceled",
  REQUEUED: "requeued",
};

function resumedFrom(attempt: RunAttemptRow): string {
  if (attempt.resumedFromStep === null || attempt.resumedFromStep === undefined) return attempt.number === 1 ? "–" : "the beginning";
  return `step ${attempt.resumedFromStep} (epoch ${attempt.resumedFromEpoch ?? "–"})`;
}

/** The run's attempts, when a worker took it more than once (a run trained in one go shows nothing). */
export function RunAttempts({ attempts, live }: { attempts: readonly RunAttemptRow[]; live: boolean }) {
  if (attempts.length < 2) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Attempts" miw={0}>
      <Title order={2} size="h3" mt={0} mb="xs">
        Attempts
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing={4} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" className="num">
                #
              </Table.Th>
              <Table.Th scope="col">Started</Table.Th>
              <Table.Th scope="col">Ended</Table.Th>
              <Table.Th scope="col">Outcome</Table.Th>
              <Table.Th scope="col">Resumed from</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {attempts.map((attempt, index) => (
              <Table.Tr key={attempt.number}>
                <Table.Th scope="row" className="num">
                  {attempt.number}
                </Table.Th>
                <Table.Td>{formatDate(attempt.startedAt)}</Table.Td>
                <Table.Td>{attempt.endedAt ? formatDate(attempt.endedAt) : "–"}</Table.Td>
                <Table.Td>
                  {attempt.outcome ? OUTCOME[attempt.outcome] : live && index === attempts.length - 1 ? "running" : "–"}
                  {attempt.error && (
                    <Text size="xs" c="dimmed" className="error">
                      {attempt.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{resumedFrom(attempt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
