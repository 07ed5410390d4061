"use client";
import { Button, Code, Group } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { CenteredMessage } from "../components/ui/CenteredMessage.tsx";
import { ButtonLink } from "../components/ui/links.tsx";

/** A page that failed to render (the API down, a bug): say so and offer a retry. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <CenteredMessage
      icon={<IconAlertTriangle size={30} />}
      title="Something went wrong"
      actions={
        <Group justify="center" mt="xs">
          <Button onClick={reset}>Try again</Button>
          <ButtonLink href="/runs" variant="default">
            Go to runs
          </ButtonLink>
        </Group>
      }
    >
      <p>This page could not be shown. If the API is restarting, trying again in a moment usually helps.</p>
      {error.digest && (
        <p>
          Reference for the server log: <Code>{error.digest}</Code>
        </p>
      )}
    </CenteredMessage>
  );
}
