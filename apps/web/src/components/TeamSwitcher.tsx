"use client";
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
    <form method="post" action="/api/team" className="row">
      <input type="hidden" name="back" value={pathname} />
      <label htmlFor="team-switcher">Team</label>
      <select id="team-switcher" name="teamId" defaultValue={currentTeamId} onChange={(event) => event.currentTarget.form?.requestSubmit()}>
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name} ({team.role.toLowerCase()})
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
