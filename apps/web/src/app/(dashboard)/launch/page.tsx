import { Alert, Stack } from "@mantine/core";
import type { Metadata } from "next";
import { LaunchChecklist } from "../../../components/launch/LaunchChecklist.tsx";
import { LaunchForm } from "../../../components/launch/LaunchForm.tsx";
import { CloneSourceDocument, LaunchCatalogDocument } from "../../../graphql/launch.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Launch" };

export default async function LaunchPage({ searchParams }: { searchParams: Promise<{ from?: string; project?: string }> }) {
  const session = await requireSession();
  const { from, project } = await searchParams;
  const [catalog, source] = await Promise.all([
    serverQuery(LaunchCatalogDocument, { teamId: session.team.id }),
    from ? serverQuery(CloneSourceDocument, { id: from }).then((data) => data.run) : Promise.resolve(null),
  ]);
  if (from && source === null)
    return (
      <Alert role="alert" color="yellow" title="Run not found">
        No run with id {from} in your teams to clone.
      </Alert>
    );
  return (
    <Stack gap="md">
      <LaunchChecklist catalog={catalog} />
      <LaunchForm key={from ?? project ?? "new"} catalog={catalog} source={source} {...(project ? { projectId: project } : {})} />
    </Stack>
  );
}
