import { Center, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A page of its own with one message (not found, an error): a card in the middle of the screen. */
export function CenteredMessage({
  icon,
  code,
  title,
  children,
  actions,
}: {
  icon: ReactNode;
  code?: string;
  title: string;
  children: ReactNode;
  actions: ReactNode;
}) {
  return (
    <Center mih="80vh" p="md" component="main" id="content">
      <Paper withBorder shadow="sm" radius="lg" p="xl" maw={520} w="100%">
        <Stack align="center" ta="center" gap="sm">
          <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
            {icon}
          </ThemeIcon>
          {code && (
            <Text c="dimmed" fw={700} size="sm" ff="monospace">
              {code}
            </Text>
          )}
          <Title order={1}>{title}</Title>
          <Text c="dimmed" component="div">
            {children}
          </Text>
          {actions}
        </Stack>
      </Paper>
    </Center>
  );
}
