import { CompareView } from "../../../components/compare/CompareView.tsx";
import { requireSession } from "../../../lib/session.ts";

const MAX_RUNS = 100;

export default async function ComparePage({ searchParams }: { searchParams: Promise<{ runs?: string }> }) {
  await requireSession();
  const { runs } = await searchParams;
  const runIds = [...new Set((runs ?? "").split(",").filter((id) => id !== ""))].slice(0, MAX_RUNS);
  return <CompareView runIds={runIds} />;
}
