"use client";
/**
 * Owners invite: a one-time link anyone holding it may use, or an invite bound to an email
 * address (only that user may accept it). The token is shown once, as a link with a copy
 * button; pending invites are listed and can be revoked.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  NativeSelect,
  NumberInput,
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
import { IconCheck, IconCopy, IconMailPlus, IconX } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { InviteMemberDocument, RevokeInviteDocument } from "../../graphql/team.ts";
import { formatDate } from "../../lib/format.ts";
import { apiMessage, inviteLink, ROLE_COLORS, ROLE_LABELS, ROLES, type Role } from "../../lib/team-roles.ts";

interface Invite {
  id: string;
  role: Role;
  email?: string | null;
  prefix: string;
  createdAt: string;
  expiresAt: string;
}

export function InvitesPanel({ teamId, teamName, invites }: { teamId: string; teamName: string; invites: Invite[] }) {
  const router = useRouter();
  const [creating, inviteMember] = useMutation(InviteMemberDocument);
  const [revoking, revokeInvite] = useMutation(RevokeInviteDocument);
  const [role, setRole] = useState<Role>("MEMBER");
  const [email, setEmail] = useState("");
  const [hours, setHours] = useState<number | string>(168);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [created, setCreated] = useState<{ link: string; email: string | null; expiresAt: string } | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    const result = await inviteMember({
      input: { teamId, role, email: email.trim() === "" ? undefined : email.trim(), expiresInHours: hours === "" ? undefined : Number(hours) },
    });
    if (result.error || !result.data) {
      const field = result.error?.graphQLErrors[0]?.extensions?.field;
      return setError({ field: typeof field === "string" ? field : null, message: apiMessage(result.error?.message, "The invite was not created.") });
    }
    const { token, invite } = result.data.inviteMember;
    setCreated({ link: inviteLink(window.location.origin, token), email: invite.email ?? null, expiresAt: invite.expiresAt });
    setEmail("");
    router.refresh();
  }

  async function revoke(id: string) {
    setRowErrors(({ [id]: _, ...rest }) => rest);
    const result = await revokeInvite({ id });
    if (result.error) return setRowErrors((previous) => ({ ...previous, [id]: apiMessage(result.error?.message, "The invite was not revoked.") }));
    router.refresh();
  }

  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  const formError = error !== null && !["input.email", "input.expiresInHours", "input.role"].includes(error.field ?? "") ? error.message : null;

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="new-invite">
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="sm">
            <Title order={2} size="h3" id="new-invite" mt={0}>
              Invite to {teamName}
            </Title>
            <Text size="sm" c="dimmed">
              Leave the email empty for a one-time link anyone holding it may use; with an email, only the user of that address may accept. No mail is sent:
              pass the link on. The invited user needs an API token of their own to sign in.
            </Text>
            <Group align="flex-start" gap="sm" grow>
              <NativeSelect
                label="Role"
                value={role}
                onChange={(event) => setRole(event.currentTarget.value as Role)}
                data={ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }))}
                error={fieldError("input.role")}
              />
              <TextInput
                label="Email (optional)"
                type="email"
                placeholder="ada@example.com"
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                error={fieldError("input.email")}
              />
              <NumberInput
                label="Expires after (hours, 1 to 720)"
                min={1}
                max={720}
                // The API's rule is shown at the field rather than the value silently clamped.
                clampBehavior="none"
                value={hours}
                onChange={setHours}
                error={fieldError("input.expiresInHours")}
              />
            </Group>
            <Group>
              <Button type="submit" loading={creating.fetching} leftSection={<IconMailPlus size={16} aria-hidden />}>
                Create invite
              </Button>
            </Group>
            {formError && (
              <Text role="alert" c="red" size="sm">
                {formError}
              </Text>
            )}
            {created && (
              <Alert role="status" color="teal" icon={<IconCheck size={18} aria-hidden />} title="Invite created: copy the link now, it is shown once">
                <Stack gap="xs">
                  <Group gap="xs" wrap="nowrap">
                    <Code data-testid="invite-link" style={{ wordBreak: "break-all" }}>
                      {created.link}
                    </Code>
                    <CopyButton value={created.link}>
                      {({ copied, copy }) => (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={copy}
                          leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                        >
                          {copied ? "Copied" : "Copy link"}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                  <Text size="sm">
                    {created.email ? `Only ${created.email} may accept it` : "Anyone holding the link may accept it, once"}; it expires{" "}
                    {formatDate(created.expiresAt)} UTC.
                  </Text>
                </Stack>
              </Alert>
            )}
          </Stack>
        </form>
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="pending-invites">
        <Title order={2} size="h3" id="pending-invites" mt={0} mb="sm">
          Pending invites
        </Title>
        {invites.length === 0 ? (
          <Text c="dimmed" size="sm">
            No invite is waiting to be accepted.
          </Text>
        ) : (
          <TableScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" aria-label="Pending invites">
              <TableThead>
                <TableTr>
                  <TableTh scope="col">Invite</TableTh>
                  <TableTh scope="col">For</TableTh>
                  <TableTh scope="col">Role</TableTh>
                  <TableTh scope="col">Created</TableTh>
                  <TableTh scope="col">Expires</TableTh>
                  <TableTh scope="col">
                    <span className="sr-only">Actions</span>
                  </TableTh>
                </TableTr>
              </TableThead>
              <TableTbody>
                {invites.map((invite) => (
                  <TableTr key={invite.id} data-invite={invite.prefix}>
                    <TableTd>
                      <Code>{invite.prefix}…</Code>
                    </TableTd>
                    <TableTd>{invite.email ?? <Text c="dimmed">anyone with the link</Text>}</TableTd>
                    <TableTd>
                      <Badge color={ROLE_COLORS[invite.role]} variant="light">
                        {ROLE_LABELS[invite.role]}
                      </Badge>
                    </TableTd>
                    <TableTd>{formatDate(invite.createdAt)}</TableTd>
                    <TableTd>{formatDate(invite.expiresAt)}</TableTd>
                    <TableTd>
                      <Group justify="flex-end">
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          leftSection={<IconX size={14} aria-hidden />}
                          aria-label={`Revoke invite ${invite.prefix}`}
                          loading={revoking.fetching && revoking.operation?.variables.id === invite.id}
                          onClick={() => void revoke(invite.id)}
                        >
                          Revoke
                        </Button>
                      </Group>
                      {rowErrors[invite.id] && (
                        <Text role="alert" c="red" size="sm" ta="right" mt={4}>
                          {rowErrors[invite.id]}
                        </Text>
                      )}
                    </TableTd>
                  </TableTr>
                ))}
              </TableTbody>
            </Table>
          </TableScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}
