import type { Metadata } from "next";
import { Suspense } from "react";
import { LeaderboardView } from "../../../components/leaderboard/LeaderboardView.tsx";
import { DatasetsDocument } from "../../../graphql/catalog.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Leaderboards" };

export default async function LeaderboardsPage() {
  const { team } = await requireSession();
  const { datasets } = await serverQuery(DatasetsDocument, { teamId: team.id });
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <LeaderboardView datasets={datasets.map(({ id, name }) => ({ id, name }))} />
    </Suspense>
  );
}
