"use client";
import { Button, Group, NativeSelect, Paper } from "@mantine/core";
import { IconArrowsDiff, IconX } from "@tabler/icons-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { viewFromQuery, viewToQuery, type RunsView } from "../../lib/runs-view.ts";
import { ButtonLink } from "../ui/links.tsx";
import { PageHeader } from "../ui/PageHeader.tsx";
import { RunFilters } from "./RunFilters.tsx";
import { RunsTable } from "./RunsTable.tsx";
import { SavedViews } from "./SavedViews.tsx";

const PAGE_SIZES = [25, 50, 100, 200];

export function RunsPage({ teamId, projects }: { teamId: string; projects: Array<{ id: string; name: string }> }) {
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const { view, problems } = useMemo(() => viewFromQuery(new URLSearchParams(query)), [query]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pageSize, setPageSize] = useState(50);

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
      <RunFilters view={view} onChange={setView} />
      <Paper withBorder radius="md" px="sm" py={4} mt="sm">
        <Group justify="space-between" gap="sm">
          <SavedViews teamId={teamId} query={query} onApply={navigate} />
          <NativeSelect
            label="Rows per page"
            size="xs"
            value={String(pageSize)}
            onChange={(event) => setPageSize(Number(event.currentTarget.value))}
            data={PAGE_SIZES.map(String)}
            styles={{ root: { display: "flex", alignItems: "center", gap: 8 }, label: { marginBottom: 0 } }}
          />
        </Group>
      </Paper>
      <RunsTable
        key={`${teamId}?${query}&${pageSize}`}
        teamId={teamId}
        view={view}
        pageSize={pageSize}
        selected={selected}
        onToggle={toggle}
        onChange={setView}
      />
    </>
  );
}
