"use client";
import { Button } from "@mantine/core";
import { IconDeviceFloppy } from "@tabler/icons-react";
import { useEffect, useState, type FormEvent } from "react";
import { deleteView, loadViews, saveView, type SavedView } from "../../lib/saved-views.ts";

/** Save the current view (its URL query) under a name; apply or delete saved ones. */
export function SavedViews({ teamId, query, onApply }: { teamId: string; query: string; onApply: (query: string) => void }) {
  const [views, setViews] = useState<SavedView[]>([]);
  useEffect(() => setViews(loadViews(window.localStorage, teamId)), [teamId]);

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    if (name.trim() === "") return;
    setViews(saveView(window.localStorage, teamId, { name, query }));
    event.currentTarget.reset();
  }

  return (
    <section aria-label="Saved views" className="row" style={{ margin: "4px 0" }}>
      <form onSubmit={save} className="row">
        <label>
          Save view as <input name="name" size={14} />
        </label>
        <Button type="submit" size="xs" variant="default" leftSection={<IconDeviceFloppy size={14} aria-hidden />}>
          Save view
        </Button>
      </form>
      {views.map((view) => (
        <span key={view.name} className="tag">
          <button type="button" className="link" onClick={() => onApply(view.query)}>
            {view.name}
          </button>{" "}
          <button
            type="button"
            className="link"
            aria-label={`Delete view ${view.name}`}
            onClick={() => setViews(deleteView(window.localStorage, teamId, view.name))}
          >
            ×
          </button>
        </span>
      ))}
    </section>
  );
}
