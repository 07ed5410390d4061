"use client";
import { NativeSelect } from "@mantine/core";
import { IconUsersGroup } from "@tabler/icons-react";
import { usePathname } from "next/navigation";

interface TeamOption {
  id: string;
  name: string;
  role: string;
}

/** Switching posts the team id; the route handler keeps it in a cookie and comes back here. */
export function TeamSwitcher({ teams, currentTeamId }: { teams: TeamOption[]; currentTeamId: string }) {
  const pathname = usePathname();
  return (
    <form method="post" action="/api/team">
      <input type="hidden" name="back" value={pathname} />
      <NativeSelect
        id="team-switcher"
        name="teamId"
        label="Team"
        size="xs"
        styles={{ root: { display: "flex", alignItems: "center", gap: 8 }, label: { marginBottom: 0 } }}
        leftSection={<IconUsersGroup size={16} aria-hidden />}
        defaultValue={currentTeamId}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        data={teams.map((team) => ({ value: team.id, label: `${team.name} (${team.role.toLowerCase()})` }))}
      />
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
