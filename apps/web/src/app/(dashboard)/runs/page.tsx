import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsPage } from "../../../components/runs/RunsPage.tsx";
import { teamProjects } from "../../../lib/projects.ts";
import { requireSession } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Runs" };

export default async function Runs() {
  const { team } = await requireSession();
  const projects = await teamProjects(team.id);
  return (
    <Suspense fallback={<p>Loading runs…</p>}>
      <RunsPage teamId={team.id} projects={projects.map(({ id, name }) => ({ id, name }))} />
    </Suspense>
  );
}
