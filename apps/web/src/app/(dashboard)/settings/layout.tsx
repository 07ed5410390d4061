import { Badge, Stack } from "@mantine/core";
import type { ReactNode } from "react";
import { SettingsTabs } from "../../../components/settings/SettingsTabs.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { requireSession } from "../../../lib/session.ts";
import { ROLE_COLORS, ROLE_LABELS, type Role } from "../../../lib/team-roles.ts";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { team } = await requireSession();
  const role = team.role as Role;
  return (
    <Stack gap={0} maw={1100}>
      <PageHeader
        title={`Team settings: ${team.name}`}
        description={
          <>
            Your role in this team:{" "}
            <Badge color={ROLE_COLORS[role]} variant="light" data-testid="own-role">
              {ROLE_LABELS[role]}
            </Badge>
            {role === "VIEWER" && " (read-only: owners change members and invites)"}
          </>
        }
      />
      <SettingsTabs />
      {children}
    </Stack>
  );
}
