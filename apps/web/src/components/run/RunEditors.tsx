"use client";
import { Badge, Button, CloseButton, Group, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
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
    <Stack component="section" aria-label="Tags" gap="xs">
      <Title order={2} size="h3" m={0}>
        Tags
      </Title>
      {tags.length === 0 ? (
        <Text size="sm" c="dimmed">
          No tags yet: add one to find and group this run in the runs table.
        </Text>
      ) : (
        <Group component="ul" gap={6} aria-label="Run tags" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {tags.map((tag) => (
            <li key={tag}>
              <Badge
                variant="light"
                radius="xl"
                tt="none"
                size="lg"
                rightSection={
                  <CloseButton
                    size="xs"
                    aria-label={`Remove tag ${tag}`}
                    disabled={fetching}
                    onClick={() => void setTags({ runId, tags: tags.filter((other) => other !== tag) })}
                  />
                }
              >
                {tag}
              </Badge>
            </li>
          ))}
        </Group>
      )}
      <form onSubmit={add}>
        <Group align="flex-end" gap="xs">
          <TextInput label="New tag" name="tag" size="sm" w={200} />
          <Button type="submit" variant="light" size="sm" disabled={fetching} leftSection={<IconPlus size={14} aria-hidden />}>
            Add tag
          </Button>
        </Group>
        {error && (
          <Text role="alert" className="error" size="sm" mt={4}>
            {error.message}
          </Text>
        )}
      </form>
    </Stack>
  );
}

export function NoteEditor({ runId, note }: { runId: string; note: string }) {
  const [draft, setDraft] = useState(note);
  const [{ fetching, error, data }, setNote] = useMutation(SetNoteDocument);
  const saved = data?.setNote.note ?? note;

  return (
    <Stack component="section" aria-label="Note" gap="xs">
      <Title order={2} size="h3" m={0}>
        <label htmlFor="run-note">Note</label>
      </Title>
      <Textarea
        id="run-note"
        autosize
        minRows={3}
        maxRows={10}
        value={draft}
        onChange={(event) => setDraft(event.currentTarget.value)}
        placeholder="What this run tried, what you learned"
      />
      <Group gap="sm">
        <Button variant="default" size="sm" disabled={fetching || draft === saved} onClick={() => void setNote({ runId, note: draft })}>
          Save note
        </Button>
        <Text aria-live="polite" size="sm" c="dimmed">
          {fetching ? "Saving…" : draft === saved ? "Saved" : "Unsaved changes"}
        </Text>
        {error && (
          <Text role="alert" className="error" size="sm">
            {error.message}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
