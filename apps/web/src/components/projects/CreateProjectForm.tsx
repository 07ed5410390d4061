"use client";
/** Create a project in the session's team (createProject); the list and the sidebar refresh. */
import { Alert, Button, Group, Paper, Stack, TextInput, Textarea, Title } from "@mantine/core";
import { IconCheck, IconPlus } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { CreateProjectDocument } from "../../graphql/projects.ts";
import { AnchorLink } from "../ui/links.tsx";

/** The API's message without urql's "[GraphQL] " prefix. */
function apiMessage(message: string): string {
  return message.replace(/^\[(GraphQL|Network)\]\s*/, "");
}

export function CreateProjectForm({ teamId, teamName }: { teamId: string; teamName: string }) {
  const router = useRouter();
  const [{ fetching }, createProject] = useMutation(CreateProjectDocument);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === "") return setError("Give the project a name.");
    setError(null);
    const result = await createProject({ input: { teamId, name: name.trim(), description: description.trim() || undefined } });
    if (result.error || !result.data) return setError(apiMessage(result.error?.message ?? "The project was not created."));
    setCreated(result.data.createProject);
    setName("");
    setDescription("");
    router.refresh();
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-project">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Title order={2} id="new-project" size="h3" mt={0}>
            New project in {teamName}
          </Title>
          <TextInput
            label="Project name"
            placeholder="pets-classifier"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={error}
            required
            maxLength={200}
          />
          <Textarea
            label="Description"
            description="Optional: what the runs of this project try to find out."
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={5}
          />
          <Group>
            <Button type="submit" loading={fetching} leftSection={<IconPlus size={16} aria-hidden />}>
              Create project
            </Button>
          </Group>
          {created && (
            <Alert role="status" color="teal" icon={<IconCheck size={18} aria-hidden />} title={`Project ${created.name} created`}>
              <Group gap="md">
                <AnchorLink href={`/launch?project=${created.id}`}>Launch its first run</AnchorLink>
                <AnchorLink href={`/runs?project=${created.id}`}>Open its runs</AnchorLink>
              </Group>
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
