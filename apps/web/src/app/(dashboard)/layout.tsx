import type { ReactNode } from "react";
import { NavLinks } from "../../components/NavLinks.tsx";
import { TeamSwitcher } from "../../components/TeamSwitcher.tsx";
import { UrqlProvider } from "../../lib/urql-provider.tsx";
import { requireSession } from "../../lib/session.ts";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <UrqlProvider>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top">
        <strong>Runboard</strong>
        <NavLinks />
        <span className="spacer" />
        <TeamSwitcher teams={session.viewer.teams} currentTeamId={session.team.id} />
        <span className="muted">{session.viewer.user.email}</span>
        <form method="post" action="/api/session">
          <input type="hidden" name="action" value="signout" />
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main id="content">{children}</main>
    </UrqlProvider>
  );
}
