"use client";
import { Button, Group, Paper } from "@mantine/core";
import { IconArrowsDiff, IconX } from "@tabler/icons-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { viewFromQuery, viewToQuery, type RunsView } from "../../lib/runs-view.ts";
import { ButtonLink } from "../ui/links.tsx";
import { PageHeader } from "../ui/PageHeader.tsx";
import { ColumnPicker } from "./ColumnPicker.tsx";
import { GroupByPicker } from "./GroupByPicker.tsx";
import { RunGroupsTable } from "./RunGroupsTable.tsx";
import { RunFilters } from "./RunFilters.tsx";
import { RunSearch, type QueryError } from "./RunSearch.tsx";
import { RunsTable } from "./RunsTable.tsx";
import { SavedViews } from "./SavedViews.tsx";

export function RunsPage({ teamId, projects }: { teamId: string; projects: Array<{ id: string; name: string }> }) {
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const { view, problems } = useMemo(() => viewFromQuery(new URLSearchParams(query)), [query]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [queryError, setQueryError] = useState<QueryError | null>(null);

  const navigate = (nextQuery: string) => router.replace(nextQuery === "" ? pathname : `${pathname}?${nextQuery}`, { scroll: false });
  const setView = (next: RunsView) => navigate(viewToQuery(next).toString());
  const toggle = (runId: string) => {
    const next = new Set(selected);
    if (!next.delete(runId)) next.add(runId);
    setSelected(next);
  };

  return (
    <>
      <PageHeader
        title="Runs"
        description={
          view.project === null ? "Every run of the team." : `Runs of ${projects.find((project) => project.id === view.project)?.name ?? "the chosen project"}.`
        }
        actions={
          <>
            {selected.size > 0 && (
              <Button variant="subtle" color="gray" leftSection={<IconX size={16} aria-hidden />} onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
            )}
            <ButtonLink
              href={`/compare?runs=${[...selected].join(",")}`}
              aria-disabled={selected.size < 2}
              data-disabled={selected.size < 2 || undefined}
              onClick={(event) => selected.size < 2 && event.preventDefault()}
              leftSection={<IconArrowsDiff size={16} aria-hidden />}
            >
              Compare selected ({selected.size})
            </ButtonLink>
          </>
        }
      />
      {problems.length > 0 && (
        <p role="alert" className="error">
          Ignored in the address: {problems.join("; ")}
        </p>
      )}
      <RunSearch query={view.query} error={queryError} onSearch={(text) => setView({ ...view, query: text })} />
      <RunFilters view={view} onChange={setView} />
      <Paper withBorder radius="md" px="sm" py={4} my="sm">
        <Group justify="space-between" gap="sm">
          <SavedViews teamId={teamId} query={query} onApply={navigate} />
          <Group gap="sm">
            <GroupByPicker teamId={teamId} view={view} onChange={setView} />
            <ColumnPicker teamId={teamId} view={view} onChange={setView} />
          </Group>
        </Group>
      </Paper>
      {view.groupBy === null ? (
        <RunsTable
          key={`${teamId}?${query}`}
          teamId={teamId}
          view={view}
          selected={selected}
          onToggle={toggle}
          onChange={setView}
          onQueryError={setQueryError}
        />
      ) : (
        <RunGroupsTable teamId={teamId} view={view} groupBy={view.groupBy} onChange={setView} onQueryError={setQueryError} />
      )}
    </>
  );
}
