import { Suspense } from "react";
import { RunsPage } from "../../../components/runs/RunsPage.tsx";
import { requireSession } from "../../../lib/session.ts";

export default async function Runs() {
  const { team } = await requireSession();
  return (
    <Suspense fallback={<p>Loading runs…</p>}>
      <RunsPage teamId={team.id} />
    </Suspense>
  );
}
