import { Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A page's title, a line on what it is for, and its main actions on the right. */
export function PageHeader({ title, description, actions, titleId }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; titleId?: string }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" gap="md">
      <Stack gap={2}>
        <Title order={1} id={titleId} mb={0}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm" component="div">
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
