"use client";
/** Cancel (queued or running runs) and clone (the launch form, prefilled from this run). */
import { Button, Group, Text } from "@mantine/core";
import { IconCopy, IconPlayerStop } from "@tabler/icons-react";
import { useMutation } from "urql";
import { CancelRunDocument } from "../../graphql/launch.ts";
import { ButtonLink } from "../ui/links.tsx";

export function RunActions({ runId, active, cloneable }: { runId: string; active: boolean; cloneable: boolean }) {
  const [{ fetching, error }, cancelRun] = useMutation(CancelRunDocument);
  return (
    <Group gap="xs">
      {active && (
        <Button
          color="red"
          variant="light"
          loading={fetching}
          leftSection={<IconPlayerStop size={16} aria-hidden />}
          onClick={() => window.confirm("Cancel this run? What it recorded stays.") && void cancelRun({ runId })}
        >
          Cancel run
        </Button>
      )}
      {cloneable && (
        <ButtonLink href={`/launch?from=${encodeURIComponent(runId)}`} variant="default" leftSection={<IconCopy size={16} aria-hidden />}>
          Clone run
        </ButtonLink>
      )}
      {error && (
        <Text role="alert" className="error" size="sm">
          {error.message}
        </Text>
      )}
    </Group>
  );
}
