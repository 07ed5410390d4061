"use client";
import { Alert, Anchor, Group, NativeSelect, Paper, Table, Text, TextInput } from "@mantine/core";
import { IconTrophy } from "@tabler/icons-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { useQuery } from "urql";
import type { Direction, LeaderboardGroupBy, SummaryField } from "../../gql/graphql.ts";
import { DatasetMetricKeysDocument, LeaderboardDocument } from "../../graphql/leaderboard.ts";
import { formatNumber } from "../../lib/format.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { AnchorLink } from "../ui/links.tsx";
import { PageHeader } from "../ui/PageHeader.tsx";

const GROUPS: Array<{ value: LeaderboardGroupBy; label: string }> = [
  { value: "ARCHITECTURE", label: "Best per architecture" },
  { value: "GROUP_KEY", label: "Groups (folds, seeds): mean ± std" },
  { value: "EXPERIMENT", label: "Per experiment" },
  { value: "RUN", label: "Every run" },
];

interface Options {
  datasetId: string;
  metric: string;
  direction: Direction;
  groupBy: LeaderboardGroupBy;
  summary: SummaryField;
}

function readOptions(query: URLSearchParams, datasets: Array<{ id: string }>): Options {
  const pick = <T extends string>(value: string | null, allowed: T[], fallback: T) => (allowed.includes(value as T) ? (value as T) : fallback);
  return {
    datasetId: query.get("dataset") ?? datasets[0]?.id ?? "",
    metric: query.get("metric") ?? "",
    direction: pick(query.get("direction"), ["MAX", "MIN"], "MAX"),
    groupBy: pick(
      query.get("groupBy"),
      GROUPS.map((group) => group.value),
      "ARCHITECTURE",
    ),
    summary: pick(query.get("summary"), ["LAST", "MIN", "MAX"], "LAST"),
  };
}

export function LeaderboardView({ datasets }: { datasets: Array<{ id: string; name: string }> }) {
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams();
  const options = readOptions(query, datasets);
  const set = (changes: Partial<Record<"dataset" | "metric" | "direction" | "groupBy" | "summary", string>>) => {
    const next = new URLSearchParams(query);
    for (const [name, value] of Object.entries(changes)) next.set(name, value);
    router.replace(`${pathname}?${next}`, { scroll: false });
  };

  const [{ data: keysData }] = useQuery({ query: DatasetMetricKeysDocument, variables: { datasetId: options.datasetId }, pause: options.datasetId === "" });
  const metricKeys = [...new Set(keysData?.runs.nodes.flatMap((run) => run.metrics.map((metric) => metric.key)) ?? [])].sort();
  const metric = options.metric || metricKeys.find((key) => /acc/i.test(key)) || metricKeys[0] || "";
  const [{ data, fetching, error }] = useQuery({
    query: LeaderboardDocument,
    variables: { datasetId: options.datasetId, metric, direction: options.direction, groupBy: options.groupBy, summary: options.summary },
    pause: options.datasetId === "" || metric === "",
  });

  if (datasets.length === 0)
    return (
      <>
        <PageHeader title="Leaderboard" />
        <EmptyState icon={<IconTrophy size={24} />} title="No datasets in this team yet">
          A leaderboard ranks the runs of one dataset. Add a dataset on the <AnchorLink href="/datasets">Datasets</AnchorLink> page, then launch runs on it.
        </EmptyState>
      </>
    );
  const inline = { root: { display: "flex", alignItems: "center", gap: 8 }, label: { marginBottom: 0 } } as const;
  const datasetName = datasets.find((dataset) => dataset.id === options.datasetId)?.name ?? "this dataset";
  return (
    <>
      <PageHeader title="Leaderboard" description="The best runs of a dataset by a metric, per architecture, group, experiment or run." />
      <Paper withBorder radius="md" p="sm" component="form" aria-label="Leaderboard options" onSubmit={(event: FormEvent) => event.preventDefault()}>
        <Group gap="md" align="flex-start">
          <NativeSelect
            label="Dataset"
            styles={inline}
            value={options.datasetId}
            onChange={(event) => set({ dataset: event.currentTarget.value, metric: "" })}
            data={datasets.map((dataset) => ({ value: dataset.id, label: dataset.name }))}
          />
          <TextInput
            label="Metric"
            styles={inline}
            list="metric-keys"
            value={metric}
            onChange={(event) => set({ metric: event.currentTarget.value })}
            w={230}
          />
          <datalist id="metric-keys">
            {metricKeys.map((key) => (
              <option key={key} value={key} />
            ))}
          </datalist>
          <NativeSelect
            label="Better is"
            styles={inline}
            value={options.direction}
            onChange={(event) => set({ direction: event.currentTarget.value })}
            data={[
              { value: "MAX", label: "higher" },
              { value: "MIN", label: "lower" },
            ]}
          />
          <NativeSelect
            label="Summary"
            styles={inline}
            value={options.summary}
            onChange={(event) => set({ summary: event.currentTarget.value })}
            data={[
              { value: "LAST", label: "last" },
              { value: "MIN", label: "min" },
              { value: "MAX", label: "max" },
            ]}
          />
          <NativeSelect label="Rank" styles={inline} value={options.groupBy} onChange={(event) => set({ groupBy: event.currentTarget.value })} data={GROUPS} />
        </Group>
        <Text size="xs" c="dimmed" mt="xs" data-testid="metric-hint">
          {metricKeys.length === 0 ? (
            `No run on ${datasetName} has logged a metric yet.`
          ) : (
            <>
              Metrics logged on {datasetName}:{" "}
              {metricKeys.map((key, i) => (
                <span key={key}>
                  {i > 0 && ", "}
                  <Anchor component="button" type="button" size="xs" onClick={() => set({ metric: key })} fw={key === metric ? 700 : undefined}>
                    {key}
                  </Anchor>
                </span>
              ))}
            </>
          )}
        </Text>
      </Paper>
      {error && (
        <Alert role="alert" color="red" mt="sm">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={720} mt="md">
        <Table striped highlightOnHover verticalSpacing="sm" aria-busy={fetching} aria-label={`Leaderboard by ${metric}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" className="num">
                Rank
              </Table.Th>
              <Table.Th scope="col">Group</Table.Th>
              <Table.Th scope="col">Best run</Table.Th>
              <Table.Th scope="col" className="num">
                Best
              </Table.Th>
              <Table.Th scope="col" className="num">
                Mean ± std
              </Table.Th>
              <Table.Th scope="col" className="num">
                Runs
              </Table.Th>
              <Table.Th scope="col">All runs</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.leaderboard.entries.map((entry) => (
              <Table.Tr key={entry.group}>
                <Table.Td className="num" fw={700}>
                  {entry.rank}
                </Table.Td>
                <Table.Td>{entry.group}</Table.Td>
                <Table.Td>
                  <AnchorLink href={`/runs/${entry.bestRun.id}`} fw={600}>
                    {entry.bestRun.name}
                  </AnchorLink>
                  {entry.bestRun.architecture && <span className="muted"> ({entry.bestRun.architecture.name})</span>}
                </Table.Td>
                <Table.Td className="num">{formatNumber(entry.best)}</Table.Td>
                <Table.Td className="num">
                  {formatNumber(entry.mean)} ± {formatNumber(entry.std)}
                </Table.Td>
                <Table.Td className="num">{entry.runCount}</Table.Td>
                <Table.Td>
                  <AnchorLink
                    href={`/compare?runs=${entry.runs.map((run) => run.id).join(",")}`}
                    aria-label={`Compare the ${entry.runCount} runs of ${entry.group}`}
                  >
                    compare
                  </AnchorLink>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {((data && data.leaderboard.entries.length === 0) || metric === "") && (
        <EmptyState icon={<IconTrophy size={24} />} title="Nothing to rank yet">
          {metric === ""
            ? `No run on ${datasetName} has logged a metric yet: launch runs on it and they are ranked here once they finish.`
            : `No finished runs report ${metric} on ${datasetName}. Pick one of the metrics listed above, or wait for the runs to finish.`}
        </EmptyState>
      )}
    </>
  );
}
