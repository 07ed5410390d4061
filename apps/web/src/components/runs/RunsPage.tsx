"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { viewFromQuery, viewToQuery, type RunsView } from "../../lib/runs-view.ts";
import { RunFilters } from "./RunFilters.tsx";
import { RunsTable } from "./RunsTable.tsx";
import { SavedViews } from "./SavedViews.tsx";

const PAGE_SIZES = [25, 50, 100, 200];

export function RunsPage({ teamId }: { teamId: string }) {
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
      <div className="row">
        <h1>Runs</h1>
        <span className="spacer" style={{ flex: 1 }} />
        <Link
          href={`/compare?runs=${[...selected].join(",")}`}
          aria-disabled={selected.size < 2}
          onClick={(event) => selected.size < 2 && event.preventDefault()}
          className={selected.size < 2 ? "muted" : undefined}
        >
          Compare selected ({selected.size})
        </Link>
        {selected.size > 0 && (
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
      </div>
      {problems.length > 0 && (
        <p role="alert" className="error">
          Ignored in the address: {problems.join("; ")}
        </p>
      )}
      <RunFilters view={view} onChange={setView} />
      <div className="row">
        <SavedViews teamId={teamId} query={query} onApply={navigate} />
        <label>
          Rows per page{" "}
          <select value={pageSize} onChange={(event) => setPageSize(Number(event.target.value))}>
            {PAGE_SIZES.map((size) => (
              <option key={size}>{size}</option>
            ))}
          </select>
        </label>
      </div>
      <RunsTable key={`${teamId}?${query}&${pageSize}`} teamId={teamId} view={view} pageSize={pageSize} selected={selected} onToggle={toggle} onChange={setView} />
    </>
  );
}
