"use client";
import { Badge, Button, Checkbox, Group, Table, Text, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconChevronLeft, IconChevronRight, IconListSearch, IconRocket } from "@tabler/icons-react";
import { useState } from "react";
import { useQuery } from "urql";
import type { RunsPageQuery } from "../../gql/graphql.ts";
import { RunsPageDocument } from "../../graphql/runs.ts";
import { formatDate, formatNumber, formatValue } from "../../lib/format.ts";
import { columnToText, sortByColumn, toRunFilter, toRunSort, type Column, type RunsView, type SortSpec } from "../../lib/runs-view.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { AnchorLink, ButtonLink } from "../ui/links.tsx";
import { StatusBadge } from "../ui/StatusBadge.tsx";
import { ColumnPicker } from "./ColumnPicker.tsx";

export type RunRow = RunsPageQuery["runs"]["nodes"][number];

interface Props {
  teamId: string;
  view: RunsView;
  pageSize: number;
  selected: ReadonlySet<string>;
  onToggle: (runId: string) => void;
  onChange: (view: RunsView) => void;
}

function cellValue(run: RunRow, column: Column): string {
  if (column.kind === "param") return formatValue(run.params.find((param) => param.key === column.key)?.value);
  const summary = run.metrics.find((metric) => metric.key === column.key);
  if (summary === undefined) return "–";
  return formatNumber(column.summary === "LAST" ? summary.last : column.summary === "MIN" ? summary.min : summary.max);
}

function sortOf(column: Column): Omit<SortSpec, "direction"> {
  return column.kind === "param" ? { field: "PARAM", key: column.key, summary: "LAST" } : { field: "METRIC", key: column.key, summary: column.summary };
}

function SortHeader(props: { label: string; target: Omit<SortSpec, "direction">; view: RunsView; onChange: (view: RunsView) => void; numeric?: boolean }) {
  const { sort } = props.view;
  const active = sort.field === props.target.field && sort.key === props.target.key && sort.summary === props.target.summary;
  const ariaSort = active ? (sort.direction === "ASC" ? "ascending" : "descending") : "none";
  return (
    <Table.Th aria-sort={ariaSort} className={props.numeric ? "num" : undefined} scope="col">
      <UnstyledButton
        fw={600}
        fz="sm"
        onClick={() => props.onChange({ ...props.view, sort: sortByColumn(sort, props.target) })}
        style={{ display: "inline-flex", alignItems: "center", gap: 4 }}
      >
        {props.label}{" "}
        {active ? sort.direction === "ASC" ? <IconArrowUp size={14} aria-label="ascending" /> : <IconArrowDown size={14} aria-label="descending" /> : ""}
      </UnstyledButton>
    </Table.Th>
  );
}

/** Why the table is empty, and what to do: launch a first run, or loosen the filters. */
function NoRuns({ view }: { view: RunsView }) {
  const filtered = view.status.length + view.tags.length + view.params.length + view.metrics.length > 0;
  if (filtered)
    return (
      <EmptyState icon={<IconListSearch size={24} />} title="No runs match these filters">
        Remove a filter above{view.project === null ? "" : ", or choose “All projects” in the sidebar"}.
      </EmptyState>
    );
  const launchHref = view.project === null ? "/launch" : `/launch?project=${encodeURIComponent(view.project)}`;
  return (
    <EmptyState
      icon={<IconRocket size={24} />}
      title={view.project === null ? "No runs in this team yet" : "No runs in this project yet"}
      action={<ButtonLink href={launchHref}>Launch a run</ButtonLink>}
    >
      Pick a dataset and an architecture on the Launch page; the run shows up here as soon as it is queued, and its metrics as it trains.
    </EmptyState>
  );
}

/** One server-sorted, server-filtered page at a time; cursors of visited pages allow going back. */
export function RunsTable({ teamId, view, pageSize, selected, onToggle, onChange }: Props) {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: RunsPageDocument,
    variables: { filter: toRunFilter(view, teamId), sort: toRunSort(view.sort), first: pageSize, after },
  });
  const runs = data?.runs.nodes ?? [];
  const pageInfo = data?.runs.pageInfo;
  const firstRow = (cursors.length - 1) * pageSize + 1;

  return (
    <section aria-label="Runs">
      <ColumnPicker view={view} runs={runs} onChange={onChange} />
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="table-scroll">
        <Table className="runs-table" striped highlightOnHover verticalSpacing="xs" aria-busy={fetching} aria-describedby="runs-range">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={36}>
                <span className="sr-only">Select</span>
              </Table.Th>
              <SortHeader label="Name" target={{ field: "NAME", summary: "LAST" }} view={view} onChange={onChange} />
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Tags</Table.Th>
              {view.columns.map((column) => (
                <SortHeader
                  key={columnToText(column)}
                  label={column.kind === "param" ? column.key : `${column.key} (${column.summary.toLowerCase()})`}
                  target={sortOf(column)}
                  view={view}
                  onChange={onChange}
                  numeric={column.kind === "metric"}
                />
              ))}
              <SortHeader label="Created" target={{ field: "CREATED_AT", summary: "LAST" }} view={view} onChange={onChange} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((run) => (
              <Table.Tr key={run.id} data-run-id={run.id} bg={selected.has(run.id) ? "var(--mantine-primary-color-light)" : undefined}>
                <Table.Td>
                  <Checkbox size="xs" checked={selected.has(run.id)} onChange={() => onToggle(run.id)} aria-label={`Select ${run.name} to compare`} />
                </Table.Td>
                <Table.Td>
                  <AnchorLink href={`/runs/${run.id}`} fw={600} size="sm">
                    {run.name}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={run.status} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {run.tags.map((tag) => (
                      <Badge key={tag} variant="outline" color="gray" radius="xl" size="sm" tt="none">
                        {tag}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                {view.columns.map((column) => (
                  <Table.Td key={columnToText(column)} className={column.kind === "metric" ? "num" : undefined}>
                    {cellValue(run, column)}
                  </Table.Td>
                ))}
                <Table.Td>
                  <Text size="sm" c="dimmed" span>
                    {formatDate(run.createdAt)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      {!fetching && !error && runs.length === 0 && <NoRuns view={view} />}
      <Group component="nav" aria-label="Pages" mt="sm" gap="xs">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconChevronLeft size={14} aria-hidden />}
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous page
        </Button>
        <Button
          variant="default"
          size="xs"
          rightSection={<IconChevronRight size={14} aria-hidden />}
          disabled={!pageInfo?.hasNextPage}
          onClick={() => pageInfo?.endCursor && setCursors([...cursors, pageInfo.endCursor])}
        >
          Next page
        </Button>
        <Text id="runs-range" size="sm" c="dimmed" aria-live="polite">
          {fetching && runs.length === 0 ? "Loading runs…" : runs.length === 0 ? "No runs match." : `Runs ${firstRow}–${firstRow + runs.length - 1}`}
        </Text>
      </Group>
    </section>
  );
}
