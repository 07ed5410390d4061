import type { ReactNode } from "react";
import { AppFrame } from "../../components/shell/AppFrame.tsx";
import { teamProjects } from "../../lib/projects.ts";
import { UrqlProvider } from "../../lib/urql-provider.tsx";
import { requireSession } from "../../lib/session.ts";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  const projects = await teamProjects(session.team.id);
  return (
    <UrqlProvider>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <AppFrame
        teams={session.viewer.teams}
        currentTeamId={session.team.id}
        user={session.viewer.user}
        projects={projects.map(({ id, name }) => ({ id, name }))}
      >
        {children}
      </AppFrame>
    </UrqlProvider>
  );
}
