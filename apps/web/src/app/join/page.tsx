import { Alert, Button, Center, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconAlertCircle, IconUsersPlus } from "@tabler/icons-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AnchorLink } from "../../components/ui/links.tsx";
import { ViewerDocument } from "../../graphql/viewer.ts";
import { ApiError, apiRequest } from "../../lib/api-fetch.ts";
import { readWebEnv } from "../../lib/env.ts";
import { sessionToken } from "../../lib/session.ts";
import { bearer } from "../../lib/session-cookies.ts";

export const metadata: Metadata = { title: "Join a team" };

/**
 * An invite link (/join?token=rbi_…): the signed-in user accepts it with one button. Someone not
 * signed in signs in first and comes back here.
 */
export default async function JoinPage({ searchParams }: { searchParams: Promise<{ token?: string; error?: string }> }) {
  const { token = "", error } = await searchParams;
  const here = encodeURIComponent(`/join?token=${token}`);
  const authorization = bearer(await sessionToken());
  if (authorization === undefined) redirect(`/signin?next=${here}`);
  // Not requireSession: a user in no team yet (one who left their last) may accept an invite too.
  let viewer;
  try {
    viewer = (await apiRequest(readWebEnv().apiUrl, authorization, ViewerDocument, {})).me;
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) redirect(`/signin?error=expired&next=${here}`);
    throw error;
  }
  return (
    <Center mih="100vh" p="md" component="main" id="content">
      <Paper withBorder shadow="sm" radius="lg" p="xl" w="100%" maw={520}>
        <Stack gap="md">
          <Group gap="sm">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 32 px SVG logo */}
            <img src="/icon.svg" alt="" width={32} height={32} />
            <Title order={1} m={0}>
              Join a team
            </Title>
          </Group>
          {token === "" ? (
            <Alert role="alert" color="red" icon={<IconAlertCircle size={18} aria-hidden />}>
              This link holds no invite token. Ask the team&apos;s owner for the whole link.
            </Alert>
          ) : (
            <>
              <Text>
                You are signed in as <strong>{viewer.user.email}</strong>. Accepting invite <Code>{token.slice(0, 12)}…</Code> adds you to its team with the
                role it names; an invite works once.
              </Text>
              {error && (
                <Alert id="join-error" role="alert" color="red" icon={<IconAlertCircle size={18} aria-hidden />} title="The invite was not accepted">
                  {error}
                </Alert>
              )}
              <form method="post" action="/api/invites/accept">
                <input type="hidden" name="token" value={token} />
                <Button type="submit" fullWidth leftSection={<IconUsersPlus size={16} aria-hidden />}>
                  Join the team
                </Button>
              </form>
            </>
          )}
          <Text size="sm" c="dimmed">
            Not you? <AnchorLink href="/runs">Back to your runs</AnchorLink>, or sign out from the account menu first.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
