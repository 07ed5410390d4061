import { CompareView } from "../../../components/compare/CompareView.tsx";
import { requireSession } from "../../../lib/session.ts";

/** compareRuns takes at most 50 runs. */
const MAX_RUNS = 50;

export default async function ComparePage({ searchParams }: { searchParams: Promise<{ runs?: string }> }) {
  await requireSession();
  const { runs } = await searchParams;
  const runIds = [...new Set((runs ?? "").split(",").filter((id) => id !== ""))].slice(0, MAX_RUNS);
  return <CompareView runIds={runIds} />;
}
