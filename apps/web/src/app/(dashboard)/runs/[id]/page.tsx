import type { Metadata } from "next";
import { RunView } from "../../../../components/run/RunView.tsx";
import { requireSession } from "../../../../lib/session.ts";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireSession();
  const { id } = await params;
  return <RunView runId={id} />;
}
