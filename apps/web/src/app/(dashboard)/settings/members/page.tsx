import { Alert } from "@mantine/core";
import { IconCheck } from "@tabler/icons-react";
import type { Metadata } from "next";
import { MembersTable } from "../../../../components/settings/MembersTable.tsx";
import { MembersDocument } from "../../../../graphql/team.ts";
import { requireSession, serverQuery } from "../../../../lib/session.ts";
import { ROLE_LABELS, type Role } from "../../../../lib/team-roles.ts";

export const metadata: Metadata = { title: "Members" };

/** `?joined=<team name>`: the invite page's accept lands here. */
export default async function MembersPage({ searchParams }: { searchParams: Promise<{ joined?: string }> }) {
  const { team, viewer } = await requireSession();
  const { joined } = await searchParams;
  const { members } = await serverQuery(MembersDocument, { teamId: team.id });
  return (
    <>
      {joined !== undefined && (
        <Alert role="status" color="teal" icon={<IconCheck size={18} aria-hidden />} mb="md" title={`You joined ${team.name}`}>
          Your role: {ROLE_LABELS[team.role as Role]}. Its projects and runs are in the sidebar; the header&apos;s team switcher goes back to your other teams.
        </Alert>
      )}
      <MembersTable teamId={team.id} teamName={team.name} ownRole={team.role as Role} ownUserId={viewer.user.id} members={members} />
    </>
  );
}
