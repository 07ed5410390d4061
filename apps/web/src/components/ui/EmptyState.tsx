import { Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** What an empty list or panel says: what is missing and what to do about it. Inside a card, pass bordered={false}. */
export function EmptyState({
  icon,
  title,
  children,
  action,
  headingLevel = 2,
  bordered = true,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  action?: ReactNode;
  headingLevel?: 2 | 3;
  bordered?: boolean;
}) {
  return (
    <Paper withBorder={bordered} radius="md" p={bordered ? "lg" : "xs"} data-empty-state>
      <Stack align="center" gap="xs" ta="center">
        <ThemeIcon size={44} radius="xl" variant="light" aria-hidden>
          {icon}
        </ThemeIcon>
        <Title order={headingLevel} size="h3">
          {title}
        </Title>
        <Text c="dimmed" size="sm" maw={560} component="div">
          {children}
        </Text>
        {action}
      </Stack>
    </Paper>
  );
}
