"use client";
/**
 * The team's members with their roles. Owners change roles and remove members; owners and
 * members may leave; viewers read. Each action's API error is shown in its row.
 */
import { Badge, Button, Group, NativeSelect, Paper, Table, TableScrollContainer, TableTbody, TableTd, TableTh, TableThead, TableTr, Text } from "@mantine/core";
import { IconDoorExit, IconUserMinus } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "urql";
import { ChangeMemberRoleDocument, LeaveTeamDocument, RemoveMemberDocument } from "../../graphql/team.ts";
import { formatDate } from "../../lib/format.ts";
import { apiMessage, canLeave, canManageMembers, ROLE_COLORS, ROLE_LABELS, ROLES, type Role } from "../../lib/team-roles.ts";

interface Member {
  user: { id: string; email: string; name: string };
  role: Role;
  joinedAt: string;
}

interface Props {
  teamId: string;
  teamName: string;
  ownRole: Role;
  ownUserId: string;
  members: Member[];
}

export function MembersTable({ teamId, teamName, ownRole, ownUserId, members }: Props) {
  const router = useRouter();
  const manage = canManageMembers(ownRole);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [, changeRole] = useMutation(ChangeMemberRoleDocument);
  const [removing, removeMember] = useMutation(RemoveMemberDocument);
  const [leaving, leaveTeam] = useMutation(LeaveTeamDocument);

  const setError = (userId: string, message: string | null) =>
    setErrors((previous) => {
      const next = { ...previous };
      if (message === null) delete next[userId];
      else next[userId] = message;
      return next;
    });

  async function onRole(member: Member, role: Role) {
    setError(member.user.id, null);
    const result = await changeRole({ input: { teamId, userId: member.user.id, role } });
    if (result.error) return setError(member.user.id, apiMessage(result.error.message, "The role was not changed."));
    // Demoting oneself changes what this page may show.
    router.refresh();
  }

  async function onRemove(member: Member) {
    setError(member.user.id, null);
    const result = await removeMember({ teamId, userId: member.user.id });
    setConfirming(null);
    if (result.error) return setError(member.user.id, apiMessage(result.error.message, "The member was not removed."));
    router.refresh();
  }

  async function onLeave() {
    setError(ownUserId, null);
    const result = await leaveTeam({ teamId });
    setConfirming(null);
    if (result.error) return setError(ownUserId, apiMessage(result.error.message, "You are still in the team."));
    // The team is gone from the session: start over on the runs of the next team.
    window.location.assign("/runs");
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="members-title">
      <Group justify="space-between" mb="sm">
        <Text id="members-title" fw={600} size="lg">
          {members.length} {members.length === 1 ? "member" : "members"} of {teamName}
        </Text>
        {!manage && (
          <Text size="sm" c="dimmed">
            Only owners change roles and remove members.
          </Text>
        )}
      </Group>
      <TableScrollContainer minWidth={720}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Members">
          <TableThead>
            <TableTr>
              <TableTh scope="col">Name</TableTh>
              <TableTh scope="col">Email</TableTh>
              <TableTh scope="col">Role</TableTh>
              <TableTh scope="col">Joined</TableTh>
              <TableTh scope="col">
                <span className="sr-only">Actions</span>
              </TableTh>
            </TableTr>
          </TableThead>
          <TableTbody>
            {members.map((member) => {
              const self = member.user.id === ownUserId;
              const error = errors[member.user.id];
              return (
                <TableTr key={member.user.id} data-member={member.user.email}>
                  <TableTd>
                    <Text fw={600} size="sm">
                      {member.user.name || member.user.email}
                      {self && (
                        <Badge ml="xs" size="xs" variant="outline">
                          you
                        </Badge>
                      )}
                    </Text>
                  </TableTd>
                  <TableTd>{member.user.email}</TableTd>
                  <TableTd>
                    {manage ? (
                      <NativeSelect
                        size="xs"
                        w={130}
                        aria-label={`Role of ${member.user.email}`}
                        value={member.role}
                        onChange={(event) => void onRole(member, event.currentTarget.value as Role)}
                        data={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
                      />
                    ) : (
                      <Badge color={ROLE_COLORS[member.role]} variant="light">
                        {ROLE_LABELS[member.role]}
                      </Badge>
                    )}
                  </TableTd>
                  <TableTd>{formatDate(member.joinedAt)}</TableTd>
                  <TableTd>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {confirming === member.user.id ? (
                        <>
                          <Text size="sm">{self ? `Leave ${teamName}?` : `Remove ${member.user.email}?`}</Text>
                          <Button
                            size="xs"
                            color="red"
                            loading={self ? leaving.fetching : removing.fetching}
                            onClick={() => void (self ? onLeave() : onRemove(member))}
                          >
                            {self ? "Leave" : "Remove"}
                          </Button>
                          <Button size="xs" variant="default" onClick={() => setConfirming(null)}>
                            Cancel
                          </Button>
                        </>
                      ) : self ? (
                        canLeave(ownRole) && (
                          <Button
                            size="xs"
                            variant="light"
                            color="red"
                            leftSection={<IconDoorExit size={14} aria-hidden />}
                            onClick={() => setConfirming(member.user.id)}
                          >
                            Leave team
                          </Button>
                        )
                      ) : (
                        manage && (
                          <Button
                            size="xs"
                            variant="light"
                            color="red"
                            leftSection={<IconUserMinus size={14} aria-hidden />}
                            aria-label={`Remove ${member.user.email}`}
                            onClick={() => setConfirming(member.user.id)}
                          >
                            Remove
                          </Button>
                        )
                      )}
                    </Group>
                    {error && (
                      <Text role="alert" c="red" size="sm" ta="right" mt={4}>
                        {error}
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
  );
}
