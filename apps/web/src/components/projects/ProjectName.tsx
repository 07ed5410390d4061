"use client";
/** A project's name in the projects table, with a Rename action (renameProject) for those who may write. */
import { ActionIcon, Button, Group, TextInput } from "@mantine/core";
import { IconPencil } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { RenameProjectDocument } from "../../graphql/projects.ts";
import { apiMessage } from "../../lib/team-roles.ts";
import { AnchorLink } from "../ui/links.tsx";

export function ProjectName({ id, name, canRename }: { id: string; name: string; canRename: boolean }) {
  const router = useRouter();
  const [{ fetching }, renameProject] = useMutation(RenameProjectDocument);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value.trim() === "") return setError("Give the project a name.");
    if (value.trim() === name) return setEditing(false);
    setError(null);
    const result = await renameProject({ input: { projectId: id, name: value.trim() } });
    if (result.error) return setError(apiMessage(result.error.message, "The project was not renamed."));
    setEditing(false);
    // The table and the sidebar's switcher are server-rendered: read them again.
    router.refresh();
  }

  if (editing) {
    return (
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={`Rename ${name}`}>
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            size="xs"
            aria-label={`New name of ${name}`}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            error={error}
            maxLength={200}
            autoFocus
            style={{ flex: 1, minWidth: 160 }}
          />
          <Button type="submit" size="xs" loading={fetching}>
            Save
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              setEditing(false);
              setValue(name);
              setError(null);
            }}
          >
            Cancel
          </Button>
        </Group>
      </form>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <AnchorLink href={`/runs?project=${id}`} fw={600}>
        {name}
      </AnchorLink>
      {canRename && (
        <ActionIcon
          variant="subtle"
          size="sm"
          color="gray"
          aria-label={`Rename ${name}`}
          onClick={() => {
            setValue(name);
            setEditing(true);
          }}
        >
          <IconPencil size={14} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}
