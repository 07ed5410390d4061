"use client";
import { Alert, Group, Loader, Paper, SimpleGrid, Stack, Table, Title } from "@mantine/core";
import { IconAlertCircle, IconChartLine } from "@tabler/icons-react";
import { useEffect } from "react";
import { useQuery, useSubscription } from "urql";
import { RunDocument, RunStatusDocument } from "../../graphql/runs.ts";
import { formatDate, formatNumber, formatValue } from "../../lib/format.ts";
import { transferStory } from "../../lib/run-story.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { AnchorLink } from "../ui/links.tsx";
import { StatusBadge } from "../ui/StatusBadge.tsx";
import { RunActions } from "./RunActions.tsx";
import { RunArtifacts } from "./RunArtifacts.tsx";
import { RunAttempts } from "./RunAttempts.tsx";
import { NoteEditor, TagsEditor } from "./RunEditors.tsx";
import { RunLogs } from "./RunLogs.tsx";
import { RunCharts } from "./RunCharts.tsx";
import { RunParams } from "./RunParams.tsx";
import { TransferSummary } from "./TransferSummary.tsx";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

export function RunView({ runId }: { runId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: RunDocument, variables: { id: runId } });
  const run = data?.run;
  const active = run !== undefined && run !== null && ACTIVE.has(run.status);
  const [update] = useSubscription({ query: RunStatusDocument, variables: { runId }, pause: !active });
  const status = update.data?.runUpdated.status ?? run?.status;
  const pushedStatus = update.data?.runUpdated.status;
  // Summaries and params change as the run goes from queued to running to finished: read them again.
  useEffect(() => {
    if (pushedStatus !== undefined) refetch({ requestPolicy: "network-only" });
  }, [pushedStatus, refetch]);

  if (error)
    return (
      <Alert role="alert" color="red" icon={<IconAlertCircle aria-hidden />} title="The run could not be loaded">
        {error.message}
      </Alert>
    );
  if (run === undefined)
    return (
      <Group aria-busy={fetching} gap="xs">
        <Loader size="sm" /> Loading run…
      </Group>
    );
  if (run === null)
    return (
      <Alert role="alert" color="yellow" title="Run not found">
        No run with id {runId} in your teams.
      </Alert>
    );
  const live = status !== undefined && ACTIVE.has(status);
  const story = transferStory(run.params, run.hyperparameters, run.architecture?.name ?? null);

  return (
    <Stack component="article" aria-labelledby="run-title" gap="md">
      <Group justify="space-between" align="center" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1} id="run-title" m={0}>
            {run.name}
          </Title>
          <StatusBadge status={status ?? run.status} aria-live="polite" data-testid="run-status" />
        </Group>
        <RunActions runId={run.id} active={live} cloneable={run.dataset !== null && run.architecture !== null} />
      </Group>
      <TransferSummary story={story} metrics={run.metrics} />
      <RunCharts runId={run.id} initialKeys={run.metrics.map((metric) => metric.key)} live={live} stages={story.stages} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder radius="md" p="md" component="section" aria-label="Details" miw={0}>
          <dl className="facts">
            <dt>Project</dt>
            <dd>
              {run.project.name}
              {run.experiment ? ` / ${run.experiment.name}` : ""}
            </dd>
            <dt>Dataset</dt>
            <dd>{run.dataset ? <AnchorLink href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</AnchorLink> : "–"}</dd>
            <dt>Architecture</dt>
            <dd>{run.architecture ? <AnchorLink href={`/architectures/${run.architecture.id}`}>{run.architecture.name}</AnchorLink> : "–"}</dd>
            <dt>Parent run</dt>
            <dd>{run.parentRun ? <AnchorLink href={`/runs/${run.parentRun.id}`}>{run.parentRun.name}</AnchorLink> : "–"}</dd>
            <dt>Seed / group / fold</dt>
            <dd>{[run.seed, run.groupKey, run.fold].map((value) => formatValue(value)).join(" / ")}</dd>
            <dt>Created</dt>
            <dd>{formatDate(run.createdAt)}</dd>
            <dt title="The first attempt's start">Started</dt>
            <dd>{formatDate(update.data?.runUpdated.startedAt ?? run.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{formatDate(update.data?.runUpdated.finishedAt ?? run.finishedAt)}</dd>
            {run.error && (
              <>
                <dt>Error</dt>
                <dd className="error">{run.error}</dd>
              </>
            )}
          </dl>
        </Paper>
        <Paper withBorder radius="md" p="md" component="section" aria-label="Metric summaries" miw={0}>
          {run.metrics.length === 0 ? (
            <EmptyState icon={<IconChartLine size={24} />} title="No metrics yet" headingLevel={3} bordered={false}>
              {live ? "The worker logs losses and metrics as this run trains; their last, min and max appear here." : "This run logged no metrics."}
            </EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={360}>
              <Table verticalSpacing={4} striped>
                <caption className="sr-only">Metric summaries</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Metric</Table.Th>
                    <Table.Th scope="col" className="num">
                      Last
                    </Table.Th>
                    <Table.Th scope="col" className="num">
                      Min
                    </Table.Th>
                    <Table.Th scope="col" className="num">
                      Max
                    </Table.Th>
                    <Table.Th scope="col" className="num">
                      Points
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {run.metrics.map((metric) => (
                    <Table.Tr key={metric.key}>
                      <Table.Th scope="row">{metric.key}</Table.Th>
                      <Table.Td className="num">{formatNumber(metric.last)}</Table.Td>
                      <Table.Td className="num">{formatNumber(metric.min)}</Table.Td>
                      <Table.Td className="num">{formatNumber(metric.max)}</Table.Td>
                      <Table.Td className="num">{metric.count}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
      </SimpleGrid>
      <RunAttempts attempts={run.attempts} live={live} />
      <RunArtifacts runId={run.id} status={status} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <RunParams params={run.params} />
        <Paper withBorder radius="md" p="md" miw={0}>
          <Stack gap="lg">
            <TagsEditor runId={run.id} tags={run.tags} />
            <NoteEditor key={run.note} runId={run.id} note={run.note} />
          </Stack>
        </Paper>
      </SimpleGrid>
      <RunLogs runId={run.id} active={live} />
    </Stack>
  );
}
