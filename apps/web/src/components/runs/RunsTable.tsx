"use client";
import { Badge, Checkbox, Group, Progress, Stack, Table, Text, Tooltip, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconListSearch, IconRocket } from "@tabler/icons-react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { CombinedError } from "urql";
import { useClient } from "urql";
import { useCallback, useEffect, useRef, useState } from "react";
import type { RunsTableRowFragment } from "../../gql/graphql.ts";
import { RunsPageDocument, RunsRefreshDocument } from "../../graphql/runs.ts";
import { formatDate, formatNumber, formatValue } from "../../lib/format.ts";
import { backboneOf, describeSummary, durationSeconds, formatDuration, paramOf, progressOf, recipeOf } from "../../lib/runs-table.ts";
import { columnToText, sortByColumn, toRunFilter, toRunSort, type Column, type RunsView, type SortSpec } from "../../lib/runs-view.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { AnchorLink, ButtonLink } from "../ui/links.tsx";
import { StatusBadge } from "../ui/StatusBadge.tsx";
import type { QueryError } from "./RunSearch.tsx";

export type RunRow = RunsTableRowFragment;

const ROW_HEIGHT = 44;
/** Runs asked for per request while scrolling. */
const PAGE_SIZE = 100;
/** Start loading the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 40;
/** Running and queued rows are read again this often (status, duration, progress). */
const REFRESH_MS = 5_000;

interface Props {
  teamId: string;
  view: RunsView;
  selected: ReadonlySet<string>;
  onToggle: (runId: string) => void;
  onChange: (view: RunsView) => void;
  onQueryError: (error: QueryError | null) => void;
}

function sortOf(column: Column): Omit<SortSpec, "direction"> {
  return column.kind === "param" ? { field: "PARAM", key: column.key, summary: "LAST" } : { field: "METRIC", key: column.key, summary: column.summary };
}

function SortHeader(props: {
  label: string;
  target: Omit<SortSpec, "direction">;
  view: RunsView;
  onChange: (view: RunsView) => void;
  numeric?: boolean;
  width: number;
}) {
  const { sort } = props.view;
  const active = sort.field === props.target.field && sort.key === props.target.key && sort.summary === props.target.summary;
  const ariaSort = active ? (sort.direction === "ASC" ? "ascending" : "descending") : "none";
  return (
    <Table.Th aria-sort={ariaSort} className={props.numeric ? "num" : undefined} scope="col" w={props.width}>
      <UnstyledButton
        fw={600}
        fz="sm"
        onClick={() => props.onChange({ ...props.view, sort: sortByColumn(sort, props.target) })}
        className="runs-sort"
        title={`Sort by ${props.label}`}
      >
        <span className="runs-sort-label">{props.label}</span>
        {active ? sort.direction === "ASC" ? <IconArrowUp size={14} aria-label="ascending" /> : <IconArrowDown size={14} aria-label="descending" /> : ""}
      </UnstyledButton>
    </Table.Th>
  );
}

/** Why the table is empty, and what to do: launch a first run, or loosen the filters. */
function NoRuns({ view }: { view: RunsView }) {
  const filtered = view.status.length + view.tags.length + view.params.length + view.metrics.length > 0 || view.query.trim() !== "";
  if (filtered)
    return (
      <EmptyState icon={<IconListSearch size={24} />} title="No runs match these filters">
        Change the search or remove a filter above{view.project === null ? "" : ", or choose “All projects” in the sidebar"}.
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

function MetricCell({ run, column }: { run: RunRow; column: Extract<Column, { kind: "metric" }> }) {
  const summary = run.metrics.find((metric) => metric.key === column.key);
  if (summary === undefined)
    return (
      <Text span size="sm" c="dimmed">
        –
      </Text>
    );
  const value = column.summary === "LAST" ? summary.last : column.summary === "MIN" ? summary.min : summary.max;
  const span = summary.max - summary.min;
  // where the shown value lies between min and max, as a thin bar under it
  const at = span > 0 ? ((value - summary.min) / span) * 100 : 100;
  return (
    <Tooltip label={`${column.key}: ${describeSummary(summary)}`} openDelay={150} withArrow>
      <span className="metric-cell" data-metric={column.key}>
        <span>{formatNumber(value)}</span>
        <span className="metric-range" aria-hidden>
          <span style={{ width: `${Math.min(100, Math.max(4, at))}%` }} />
        </span>
      </span>
    </Tooltip>
  );
}

function StatusCell({ run, now }: { run: RunRow; now: number }) {
  const progress = progressOf(run, now);
  if (progress === undefined) return <StatusBadge status={run.status} />;
  const eta = progress.etaSeconds === undefined ? "" : ` · about ${formatDuration(progress.etaSeconds)} left`;
  const label = `epoch ${progress.done} of ${progress.total}${eta}`;
  return (
    <Tooltip label={label} withArrow>
      <Stack gap={3} data-progress={progress.fraction.toFixed(3)}>
        <StatusBadge status={run.status} />
        <Progress value={progress.fraction * 100} size={4} aria-label={label} animated />
      </Stack>
    </Tooltip>
  );
}

function RunRowCells({ run, view, selected, onToggle, now }: { run: RunRow; view: RunsView; selected: boolean; onToggle: () => void; now: number }) {
  const backbone = backboneOf(run);
  const recipe = recipeOf(run);
  return (
    <>
      <Table.Td>
        <Checkbox size="xs" checked={selected} onChange={onToggle} aria-label={`Select ${run.name} to compare`} />
      </Table.Td>
      <Table.Td className="runs-ellipsis">
        <AnchorLink href={`/runs/${run.id}`} fw={600} size="sm" title={run.name}>
          {run.name}
        </AnchorLink>
      </Table.Td>
      <Table.Td>
        <StatusCell run={run} now={now} />
      </Table.Td>
      <Table.Td className="runs-ellipsis" title={backbone}>
        {backbone ?? (
          <Text span size="sm" c="dimmed">
            –
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {recipe ? (
          <Badge variant="light" color="gray" radius="sm" size="sm" tt="none">
            {recipe}
          </Badge>
        ) : (
          <Text span size="sm" c="dimmed">
            –
          </Text>
        )}
      </Table.Td>
      <Table.Td className="num">{formatDuration(durationSeconds(run, now))}</Table.Td>
      <Table.Td className="runs-ellipsis">
        <Group gap={4} wrap="nowrap">
          {run.tags.map((tag) => (
            <Badge key={tag} variant="outline" color="gray" radius="xl" size="sm" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      {view.columns.map((column) => (
        <Table.Td key={columnToText(column)} className={column.kind === "metric" ? "num" : "runs-ellipsis"}>
          {column.kind === "metric" ? <MetricCell run={run} column={column} /> : formatValue(paramOf(run, column.key))}
        </Table.Td>
      ))}
      <Table.Td>
        <Text size="sm" c="dimmed" span title={formatDate(run.createdAt)}>
          {formatDate(run.createdAt).slice(0, 16)}
        </Text>
      </Table.Td>
    </>
  );
}

interface Loaded {
  rows: RunRow[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number | null;
  fetching: boolean;
  error: CombinedError | null;
}

/** The query-language error of a failed request, when that is what failed. */
function queryErrorOf(error: CombinedError | null, query: string): QueryError | null {
  const found = error?.graphQLErrors.find((e) => e.extensions?.field === "filter.query");
  if (!found) return null;
  const position = typeof found.extensions.position === "number" ? found.extensions.position : 1;
  const rule = String(found.extensions.rule ?? found.message).replace(/^at \d+: /, "");
  return { rule, position, query: query.trim() };
}

/**
 * Every run of the view in one scrolling table: pages of PAGE_SIZE are fetched as the rows come
 * into view (server-side filter, search and sort, keyset cursors), and only the rows in the
 * viewport (plus a few) are in the DOM, so thousands of runs scroll as smoothly as ten.
 */
export function RunsTable({ teamId, view, selected, onToggle, onChange, onQueryError }: Props) {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded>({ rows: [], endCursor: null, hasNextPage: false, totalCount: null, fetching: true, error: null });
  const inFlight = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(
    async (after: string | null) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setLoaded((state) => ({ ...state, fetching: true }));
      const result = await client
        .query(RunsPageDocument, { filter: toRunFilter(view, teamId), sort: toRunSort(view.sort), first: PAGE_SIZE, after }, { requestPolicy: "network-only" })
        .toPromise();
      inFlight.current = false;
      const runs = result.data?.runs;
      setLoaded((state) => ({
        rows: runs ? [...(after === null ? [] : state.rows), ...runs.nodes] : state.rows,
        endCursor: runs?.pageInfo.endCursor ?? state.endCursor,
        hasNextPage: runs?.pageInfo.hasNextPage ?? false,
        totalCount: runs?.totalCount ?? state.totalCount,
        fetching: false,
        error: result.error ?? null,
      }));
      onQueryError(queryErrorOf(result.error ?? null, view.query));
    },
    // the table is remounted (keyed) when the view or team changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const { rows } = loaded;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (loaded.hasNextPage && !loaded.fetching && lastIndex >= rows.length - PREFETCH_ROWS) void load(loaded.endCursor);
  }, [lastIndex, rows.length, loaded.hasNextPage, loaded.fetching, loaded.endCursor, load]);

  // Live rows: running and queued runs are read again (by id) and the durations tick.
  const liveIds = rows.filter((run) => run.status === "RUNNING" || run.status === "QUEUED").map((run) => run.id);
  const liveKey = liveIds.slice(0, 200).join(",");
  useEffect(() => {
    if (liveKey === "") return;
    const tick = setInterval(() => setNow(Date.now()), 1_000);
    const refresh = setInterval(async () => {
      const result = await client.query(RunsRefreshDocument, { filter: { teamId, ids: liveKey.split(",") } }, { requestPolicy: "network-only" }).toPromise();
      const fresh = new Map((result.data?.runs.nodes ?? []).map((run) => [run.id, run]));
      if (fresh.size > 0) setLoaded((state) => ({ ...state, rows: state.rows.map((run) => fresh.get(run.id) ?? run) }));
    }, REFRESH_MS);
    return () => {
      clearInterval(tick);
      clearInterval(refresh);
    };
  }, [client, liveKey, teamId]);

  const columnCount = 8 + view.columns.length;
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const otherError = loaded.error && !queryErrorOf(loaded.error, view.query) ? loaded.error : null;
  const total = loaded.totalCount;

  return (
    <section aria-label="Runs">
      {otherError && (
        <p role="alert" className="error">
          {otherError.message}
        </p>
      )}
      <div ref={scrollRef} className="runs-scroll" data-testid="runs-scroll">
        <Table
          className="runs-table"
          striped
          highlightOnHover
          stickyHeader
          verticalSpacing={0}
          aria-busy={loaded.fetching}
          aria-rowcount={total === null ? -1 : total + 1}
          aria-describedby="runs-range"
          style={{ tableLayout: "fixed", minWidth: 972 + view.columns.length * 120 }}
        >
          <Table.Thead>
            <Table.Tr aria-rowindex={1}>
              <Table.Th scope="col" w={40}>
                <span className="sr-only">Select</span>
              </Table.Th>
              <SortHeader label="Name" target={{ field: "NAME", summary: "LAST" }} view={view} onChange={onChange} width={180} />
              <Table.Th scope="col" w={132}>
                Status
              </Table.Th>
              <Table.Th scope="col" w={150}>
                Backbone
              </Table.Th>
              <Table.Th scope="col" w={130}>
                Recipe
              </Table.Th>
              <Table.Th scope="col" w={84} className="num">
                Duration
              </Table.Th>
              <Table.Th scope="col" w={110}>
                Tags
              </Table.Th>
              {view.columns.map((column) => (
                <SortHeader
                  key={columnToText(column)}
                  label={column.kind === "param" ? column.key : `${column.key} (${column.summary.toLowerCase()})`}
                  target={sortOf(column)}
                  view={view}
                  onChange={onChange}
                  numeric={column.kind === "metric"}
                  width={120}
                />
              ))}
              <SortHeader label="Created" target={{ field: "CREATED_AT", summary: "LAST" }} view={view} onChange={onChange} width={140} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {paddingTop > 0 && (
              <tr aria-hidden className="runs-spacer" style={{ height: paddingTop }}>
                <td colSpan={columnCount} />
              </tr>
            )}
            {items.map((item) => {
              const run = rows[item.index]!;
              return (
                <Table.Tr
                  key={run.id}
                  data-run-id={run.id}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  style={{ height: ROW_HEIGHT }}
                  bg={selected.has(run.id) ? "var(--mantine-primary-color-light)" : undefined}
                >
                  <RunRowCells run={run} view={view} selected={selected.has(run.id)} onToggle={() => onToggle(run.id)} now={now} />
                </Table.Tr>
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden className="runs-spacer" style={{ height: paddingBottom }}>
                <td colSpan={columnCount} />
              </tr>
            )}
          </Table.Tbody>
        </Table>
        {!loaded.fetching && !loaded.error && rows.length === 0 && <NoRuns view={view} />}
      </div>
      <Text id="runs-range" size="sm" c="dimmed" mt="xs" aria-live="polite">
        {loaded.fetching && rows.length === 0
          ? "Loading runs…"
          : rows.length === 0
            ? loaded.error
              ? "No runs: the search did not run."
              : "No runs match."
            : `${total === null ? rows.length : total.toLocaleString("en-US")} runs${loaded.hasNextPage ? ` · ${rows.length.toLocaleString("en-US")} loaded, more load as you scroll` : ""}${loaded.fetching ? " · loading…" : ""}`}
      </Text>
    </section>
  );
}
