import { Alert, Badge, Code, Group, Paper, Table, TableScrollContainer, TableTbody, TableTd, TableTh, TableThead, TableTr, Text } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import type { Metadata } from "next";
import { ButtonLink } from "../../../../components/ui/links.tsx";
import { AuditLogDocument } from "../../../../graphql/team.ts";
import { formatDate } from "../../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../../lib/session.ts";
import { auditDetail, canReadAudit, type Role } from "../../../../lib/team-roles.ts";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

const ACTION_COLORS: Record<string, string> = {
  TEAM_CREATED: "runboard",
  INVITE_CREATED: "cyan",
  INVITE_REVOKED: "orange",
  MEMBER_JOINED: "teal",
  MEMBER_ROLE_CHANGED: "grape",
  MEMBER_REMOVED: "red",
  MEMBER_LEFT: "orange",
  TOKEN_CREATED: "cyan",
  TOKEN_REVOKED: "orange",
};

/** Owners read who changed what, newest first, 50 at a time (`?after=` is the API's cursor). */
export default async function AuditPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const { team } = await requireSession();
  if (!canReadAudit(team.role as Role)) {
    return (
      <Alert color="gray" icon={<IconLock size={18} aria-hidden />} title="Owners read the audit log">
        The audit log of {team.name} (membership, invite, role and token changes) is for its owners (the API&apos;s <code>audit:read</code> permission).
      </Alert>
    );
  }
  const { after } = await searchParams;
  const { auditLog } = await serverQuery(AuditLogDocument, { teamId: team.id, first: PAGE_SIZE, after: after ?? null });
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Audit log">
      {auditLog.nodes.length === 0 ? (
        <Text c="dimmed">No event {after ? "before these" : "yet"}.</Text>
      ) : (
        <TableScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" striped aria-label="Audit events">
            <TableThead>
              <TableTr>
                <TableTh scope="col">When (UTC)</TableTh>
                <TableTh scope="col">Action</TableTh>
                <TableTh scope="col">By</TableTh>
                <TableTh scope="col">Subject</TableTh>
                <TableTh scope="col">Detail</TableTh>
              </TableTr>
            </TableThead>
            <TableTbody>
              {auditLog.nodes.map((event) => (
                <TableTr key={event.id} data-action={event.action}>
                  <TableTd style={{ whiteSpace: "nowrap" }}>{formatDate(event.createdAt)}</TableTd>
                  <TableTd style={{ whiteSpace: "nowrap" }}>
                    <Badge
                      color={ACTION_COLORS[event.action] ?? "gray"}
                      variant="light"
                      styles={{ root: { maxWidth: "none" }, label: { overflow: "visible" } }}
                    >
                      {event.action.toLowerCase().replaceAll("_", " ")}
                    </Badge>
                  </TableTd>
                  <TableTd>{event.actor?.email ?? <Text c="dimmed">deleted user</Text>}</TableTd>
                  <TableTd>
                    <Text size="xs" c="dimmed">
                      {event.subjectType.toLowerCase().replace("_", " ")}
                    </Text>
                    <Code>{event.subjectId.slice(0, 8)}</Code>
                  </TableTd>
                  <TableTd>
                    <Text size="sm">{auditDetail(event.detail)}</Text>
                  </TableTd>
                </TableTr>
              ))}
            </TableTbody>
          </Table>
        </TableScrollContainer>
      )}
      <Group mt="sm" gap="sm">
        {after && (
          <ButtonLink href="/settings/audit" variant="default" size="xs">
            Newest events
          </ButtonLink>
        )}
        {auditLog.pageInfo.hasNextPage && auditLog.pageInfo.endCursor && (
          <ButtonLink href={`/settings/audit?after=${encodeURIComponent(auditLog.pageInfo.endCursor)}`} variant="default" size="xs">
            Older events
          </ButtonLink>
        )}
      </Group>
    </Paper>
  );
}
