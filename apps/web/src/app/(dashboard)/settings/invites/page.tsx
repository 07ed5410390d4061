import { Alert } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import type { Metadata } from "next";
import { InvitesPanel } from "../../../../components/settings/InvitesPanel.tsx";
import { InvitesDocument } from "../../../../graphql/team.ts";
import { requireSession, serverQuery } from "../../../../lib/session.ts";
import { canManageMembers, type Role } from "../../../../lib/team-roles.ts";

export const metadata: Metadata = { title: "Invites" };

export default async function InvitesPage() {
  const { team } = await requireSession();
  if (!canManageMembers(team.role as Role)) {
    return (
      <Alert color="gray" icon={<IconLock size={18} aria-hidden />} title="Owners invite">
        Only the owners of {team.name} create and list invites (the API&apos;s <code>member:invite</code> permission). Ask one of them for an invite link.
      </Alert>
    );
  }
  const { invites } = await serverQuery(InvitesDocument, { teamId: team.id });
  return <InvitesPanel teamId={team.id} teamName={team.name} invites={invites} />;
}
