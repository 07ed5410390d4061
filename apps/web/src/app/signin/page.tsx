import { Alert, Button, Center, Code, Group, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { IconAlertCircle, IconLogin } from "@tabler/icons-react";
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign in" };

const REASONS: Record<string, string> = {
  missing: "Enter an API token.",
  refused: "The API refused this token (unknown or revoked).",
  unreachable: "The API could not be reached; is it running?",
  expired: "Your session is no longer valid; sign in again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; next?: string }> }) {
  const { error, next } = await searchParams;
  const reason = error === undefined ? undefined : (REASONS[error] ?? "Sign-in failed.");
  return (
    <Center mih="100vh" p="md" component="main" id="content">
      <Paper withBorder shadow="sm" radius="lg" p="xl" w="100%" maw={460}>
        <Stack gap="md">
          <Group gap="sm">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 32 px SVG logo */}
            <img src="/icon.svg" alt="" width={32} height={32} />
            <Title order={1} m={0}>
              Sign in to Runboard
            </Title>
          </Group>
          <Text c="dimmed" size="sm">
            Use an API token: the one printed at the first start, or one made with <Code>createApiToken</Code>.
          </Text>
          <form method="post" action="/api/session">
            {/* Where to go once signed in (an invite link, for one); the route keeps same-site paths only. */}
            {next && <input type="hidden" name="next" value={next} />}
            <Stack gap="sm">
              <PasswordInput
                id="token"
                name="token"
                label="API token"
                autoComplete="off"
                required
                aria-describedby={reason ? "signin-error" : undefined}
                error={reason !== undefined}
              />
              {reason && (
                <Alert id="signin-error" role="alert" color="red" icon={<IconAlertCircle size={18} aria-hidden />}>
                  {reason}
                </Alert>
              )}
              <Button type="submit" fullWidth leftSection={<IconLogin size={16} aria-hidden />}>
                Sign in
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
