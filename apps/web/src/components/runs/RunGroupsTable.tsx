"use client";
import { Button, Table, Text, Tooltip } from "@mantine/core";
import { IconListSearch, IconListDetails } from "@tabler/icons-react";
import { useEffect } from "react";
import { useQuery, type CombinedError } from "urql";
import { RunGroupsDocument } from "../../graphql/runs.ts";
import { formatNumber } from "../../lib/format.ts";
import { groupCondition, groupLabel, meanStd, narrowSearch } from "../../lib/runs-groups.ts";
import { columnToText, toRunFilter, type Column, type GroupBy, type RunsView } from "../../lib/runs-view.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import type { QueryError } from "./RunSearch.tsx";

function queryErrorOf(error: CombinedError | undefined, query: string): QueryError | null {
  const found = error?.graphQLErrors.find((e) => e.extensions?.field === "filter.query");
  if (!found) return null;
  const position = typeof found.extensions.position === "number" ? found.extensions.position : 1;
  return { rule: String(found.extensions.rule ?? found.message).replace(/^at \d+: /, ""), position, query: query.trim() };
}

const GROUP_TITLES = { GROUP_KEY: "Sweep / k-fold group", BACKBONE: "Backbone", RECIPE: "Recipe", STATUS: "Status", TAG: "Tag" } as const;

/** The view's runs grouped on the server: one row a group, the metric columns as mean ± std over its runs. */
export function RunGroupsTable(props: {
  teamId: string;
  view: RunsView;
  groupBy: GroupBy;
  onChange: (view: RunsView) => void;
  onQueryError: (error: QueryError | null) => void;
}) {
  const { view, groupBy } = props;
  const metricColumns = view.columns.filter((column): column is Extract<Column, { kind: "metric" }> => column.kind === "metric");
  const [{ data, fetching, error }] = useQuery({
    query: RunGroupsDocument,
    variables: {
      filter: toRunFilter(view, props.teamId),
      groupBy: groupBy.field === "PARAM" ? { field: "PARAM", key: groupBy.key } : { field: groupBy.field },
      metrics: metricColumns.map((column) => ({ key: column.key, summary: column.summary })),
    },
    requestPolicy: "cache-and-network",
  });
  const queryError = queryErrorOf(error, view.query);
  const { onQueryError } = props;
  useEffect(() => onQueryError(queryError), [onQueryError, queryError?.rule, queryError?.position, queryError?.query]); // eslint-disable-line react-hooks/exhaustive-deps
  const groups = data?.runGroups ?? [];
  const title = groupBy.field === "PARAM" ? `params.${groupBy.key}` : GROUP_TITLES[groupBy.field];
  const runCount = groups.reduce((sum, group) => sum + group.count, 0);

  return (
    <section aria-label="Run groups">
      {error && !queryError && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="runs-scroll">
        <Table className="runs-table" striped highlightOnHover stickyHeader aria-busy={fetching} aria-describedby="groups-range">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{title}</Table.Th>
              <Table.Th scope="col" className="num">
                Runs
              </Table.Th>
              {metricColumns.map((column) => (
                <Table.Th key={columnToText(column)} scope="col" className="num">
                  {column.key} ({column.summary.toLowerCase()}) mean ± std
                </Table.Th>
              ))}
              <Table.Th scope="col">
                <span className="sr-only">Runs of the group</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((group) => {
              const label = groupLabel(groupBy, group.value);
              const condition = groupCondition(groupBy, group.value);
              return (
                <Table.Tr key={JSON.stringify(group.value)} data-group={label}>
                  <Table.Td fw={600}>{label}</Table.Td>
                  <Table.Td className="num">{group.count.toLocaleString("en-US")}</Table.Td>
                  {metricColumns.map((column, i) => {
                    const metric = group.metrics[i];
                    return (
                      <Table.Td key={columnToText(column)} className="num">
                        {metric && metric.count > 0 ? (
                          <Tooltip
                            withArrow
                            label={`${metric.count} run${metric.count === 1 ? "" : "s"} with ${column.key} · min ${formatNumber(metric.min)} · max ${formatNumber(metric.max)}`}
                          >
                            <span data-metric={column.key}>{meanStd(metric)}</span>
                          </Tooltip>
                        ) : (
                          <Text span size="sm" c="dimmed">
                            –
                          </Text>
                        )}
                      </Table.Td>
                    );
                  })}
                  <Table.Td ta="right">
                    {condition !== undefined && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        leftSection={<IconListDetails size={14} aria-hidden />}
                        aria-label={`Show the runs of ${label}`}
                        onClick={() => props.onChange({ ...view, groupBy: null, query: narrowSearch(view.query, condition) })}
                      >
                        Show runs
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {!fetching && !error && groups.length === 0 && (
          <EmptyState icon={<IconListSearch size={24} />} title="No runs match these filters">
            Change the search or remove a filter above.
          </EmptyState>
        )}
      </div>
      <Text id="groups-range" size="sm" c="dimmed" mt="xs" aria-live="polite">
        {fetching && groups.length === 0
          ? "Loading groups…"
          : `${groups.length.toLocaleString("en-US")} group${groups.length === 1 ? "" : "s"} · ${runCount.toLocaleString("en-US")} runs${groupBy.field === "TAG" ? " (a run with several tags counts in each)" : ""}${metricColumns.length === 0 ? " · add metric columns to see their mean ± std" : ""}`}
      </Text>
    </section>
  );
}
