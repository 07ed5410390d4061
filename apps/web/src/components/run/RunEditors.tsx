"use client";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { SetNoteDocument, SetTagsDocument } from "../../graphql/runs.ts";

export function TagsEditor({ runId, tags }: { runId: string; tags: string[] }) {
  const [{ fetching, error }, setTags] = useMutation(SetTagsDocument);

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const tag = String(new FormData(form).get("tag") ?? "").trim();
    if (tag === "" || tags.includes(tag)) return;
    void setTags({ runId, tags: [...tags, tag] }).then((result) => !result.error && form.reset());
  }

  return (
    <section aria-label="Tags">
      <h2>Tags</h2>
      <ul className="row" style={{ listStyle: "none", padding: 0 }} aria-label="Run tags">
        {tags.map((tag) => (
          <li key={tag} className="tag">
            {tag}{" "}
            <button type="button" className="link" aria-label={`Remove tag ${tag}`} disabled={fetching} onClick={() => void setTags({ runId, tags: tags.filter((other) => other !== tag) })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add}>
        <label>
          New tag <input name="tag" size={16} />
        </label>
        <button type="submit" disabled={fetching}>
          Add tag
        </button>
        {error && (
          <span role="alert" className="error">
            {error.message}
          </span>
        )}
      </form>
    </section>
  );
}

export function NoteEditor({ runId, note }: { runId: string; note: string }) {
  const [draft, setDraft] = useState(note);
  const [{ fetching, error, data }, setNote] = useMutation(SetNoteDocument);
  const saved = data?.setNote.note ?? note;

  return (
    <section aria-label="Note">
      <h2>
        <label htmlFor="run-note">Note</label>
      </h2>
      <textarea id="run-note" rows={4} style={{ width: "100%" }} value={draft} onChange={(event) => setDraft(event.target.value)} />
      <div className="row">
        <button type="button" disabled={fetching || draft === saved} onClick={() => void setNote({ runId, note: draft })}>
          Save note
        </button>
        <span aria-live="polite" className="muted">
          {fetching ? "Saving…" : draft === saved ? "Saved" : "Unsaved changes"}
        </span>
        {error && (
          <span role="alert" className="error">
            {error.message}
          </span>
        )}
      </div>
    </section>
  );
}
