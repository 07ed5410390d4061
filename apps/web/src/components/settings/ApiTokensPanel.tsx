"use client";
/**
 * The signed-in user's API tokens (tokens belong to a user, in all their teams): create one with
 * an optional expiry, its secret shown once with a copy button; the list with created, last
 * used and expiry times; revoke.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  TableScrollContainer,
  TableTbody,
  TableTd,
  TableTh,
  TableThead,
  TableTr,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconCheck, IconCopy, IconKey, IconX } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { CreateApiTokenDocument, RevokeApiTokenDocument } from "../../graphql/team.ts";
import { formatDate } from "../../lib/format.ts";
import { apiMessage, expiryFor, TOKEN_EXPIRY_CHOICES, tokenState } from "../../lib/team-roles.ts";

interface Token {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt?: string | null;
  expiresAt?: string | null;
  revokedAt?: string | null;
}

const STATE_COLORS = { active: "teal", expired: "orange", revoked: "gray" } as const;

export function ApiTokensPanel({ email, tokens, sessionTokenId }: { email: string; tokens: Token[]; sessionTokenId: string | null }) {
  const router = useRouter();
  const [creating, createToken] = useMutation(CreateApiTokenDocument);
  const [revoking, revokeToken] = useMutation(RevokeApiTokenDocument);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("never");
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string; expiresAt: string | null } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [now] = useState(() => Date.now());

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    if (name.trim() === "") return setError({ field: "name", message: "Give the token a name (where it is used, e.g. a training machine)." });
    setError(null);
    const result = await createToken({ name: name.trim(), expiresAt: expiryFor(expiry, Date.now()) });
    if (result.error || !result.data) {
      const field = result.error?.graphQLErrors[0]?.extensions?.field;
      return setError({ field: typeof field === "string" ? field : null, message: apiMessage(result.error?.message, "The token was not created.") });
    }
    const { token, apiToken } = result.data.createApiToken;
    setCreated({ token, name: apiToken.name, expiresAt: apiToken.expiresAt ?? null });
    setName("");
    router.refresh();
  }

  async function revoke(token: Token) {
    setConfirming(null);
    setRowErrors(({ [token.id]: _, ...rest }) => rest);
    const result = await revokeToken({ id: token.id });
    if (result.error) return setRowErrors((previous) => ({ ...previous, [token.id]: apiMessage(result.error?.message, "The token was not revoked.") }));
    // The session's own token: the API refuses it from now on.
    if (token.id === sessionTokenId) return window.location.assign("/signin?error=expired");
    router.refresh();
  }

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="new-token">
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="sm">
            <Title order={2} size="h3" id="new-token" mt={0}>
              New API token
            </Title>
            <Text size="sm" c="dimmed">
              Tokens belong to you ({email}), not to one team: a token works in every team you are in, with your role there. Scripts send it as{" "}
              <Code style={{ whiteSpace: "nowrap" }}>Authorization: Bearer …</Code>.
            </Text>
            <Group align="flex-start" gap="sm" grow>
              <TextInput
                label="Name"
                placeholder="gpu-box training"
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                error={error?.field === "name" ? error.message : undefined}
                maxLength={200}
                required
              />
              <NativeSelect
                label="Expires"
                value={expiry}
                onChange={(event) => setExpiry(event.currentTarget.value)}
                data={TOKEN_EXPIRY_CHOICES.map(({ value, label }) => ({ value, label }))}
                error={error?.field === "expiresAt" ? error.message : undefined}
              />
            </Group>
            <Group>
              <Button type="submit" loading={creating.fetching} leftSection={<IconKey size={16} aria-hidden />}>
                Create token
              </Button>
            </Group>
            {error && error.field !== "name" && error.field !== "expiresAt" && (
              <Text role="alert" c="red" size="sm">
                {error.message}
              </Text>
            )}
            {created && (
              <Alert
                role="status"
                color="teal"
                icon={<IconCheck size={18} aria-hidden />}
                title={`Token ${created.name} created: copy it now, it is shown once`}
              >
                <Stack gap="xs">
                  <Group gap="xs" wrap="nowrap">
                    <Code data-testid="new-token-secret" style={{ wordBreak: "break-all" }}>
                      {created.token}
                    </Code>
                    <CopyButton value={created.token}>
                      {({ copied, copy }) => (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={copy}
                          leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                        >
                          {copied ? "Copied" : "Copy token"}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                  <Text size="sm">
                    Only its hash is stored. {created.expiresAt ? `It is refused from ${formatDate(created.expiresAt)} UTC.` : "It does not expire."}
                  </Text>
                </Stack>
              </Alert>
            )}
          </Stack>
        </form>
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="token-list">
        <Title order={2} size="h3" id="token-list" mt={0} mb="sm">
          Your tokens
        </Title>
        <TableScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" aria-label="API tokens">
            <TableThead>
              <TableTr>
                <TableTh scope="col">Name</TableTh>
                <TableTh scope="col">Token</TableTh>
                <TableTh scope="col">Created</TableTh>
                <TableTh scope="col">Last used</TableTh>
                <TableTh scope="col">Expires</TableTh>
                <TableTh scope="col">Status</TableTh>
                <TableTh scope="col">
                  <span className="sr-only">Actions</span>
                </TableTh>
              </TableTr>
            </TableThead>
            <TableTbody>
              {tokens.map((token) => {
                const state = tokenState(token, now);
                const current = token.id === sessionTokenId;
                return (
                  <TableTr key={token.id} data-token={token.name}>
                    <TableTd>
                      <Text fw={600} size="sm">
                        {token.name}
                        {current && (
                          <Badge ml="xs" size="xs" variant="outline">
                            this session
                          </Badge>
                        )}
                      </Text>
                    </TableTd>
                    <TableTd>
                      <Code>{token.prefix}…</Code>
                    </TableTd>
                    <TableTd>{formatDate(token.createdAt)}</TableTd>
                    <TableTd c={token.lastUsedAt ? undefined : "dimmed"}>{token.lastUsedAt ? formatDate(token.lastUsedAt) : "never"}</TableTd>
                    <TableTd c={token.expiresAt ? undefined : "dimmed"}>{token.expiresAt ? formatDate(token.expiresAt) : "never"}</TableTd>
                    <TableTd>
                      <Badge color={STATE_COLORS[state]} variant="light">
                        {state === "revoked" ? `revoked ${formatDate(token.revokedAt)}` : state}
                      </Badge>
                    </TableTd>
                    <TableTd>
                      {state !== "revoked" && (
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {confirming === token.id ? (
                            <>
                              <Text size="sm">{current ? "This signs you out. Revoke?" : `Revoke ${token.name}?`}</Text>
                              <Button size="xs" color="red" loading={revoking.fetching} onClick={() => void revoke(token)}>
                                Revoke
                              </Button>
                              <Button size="xs" variant="default" onClick={() => setConfirming(null)}>
                                Cancel
                              </Button>
                            </>
                          ) : (
                            <Button
                              size="xs"
                              variant="light"
                              color="red"
                              leftSection={<IconX size={14} aria-hidden />}
                              aria-label={`Revoke token ${token.name}`}
                              onClick={() => setConfirming(token.id)}
                            >
                              Revoke
                            </Button>
                          )}
                        </Group>
                      )}
                      {rowErrors[token.id] && (
                        <Text role="alert" c="red" size="sm" ta="right" mt={4}>
                          {rowErrors[token.id]}
                        </Text>
                      )}
                    </TableTd>
                  </TableTr>
                );
              })}
            </TableTbody>
          </Table>
        </TableScrollContainer>
      </Paper>
    </Stack>
  );
}
