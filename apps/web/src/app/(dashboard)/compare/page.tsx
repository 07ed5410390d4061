import type { Metadata } from "next";
import { CompareView } from "../../../components/compare/CompareView.tsx";
import { MAX_RUNS } from "../../../lib/compare-limits.ts";
import { requireSession } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Compare" };

export default async function ComparePage({ searchParams }: { searchParams: Promise<{ runs?: string }> }) {
  await requireSession();
  const { runs } = await searchParams;
  const runIds = [...new Set((runs ?? "").split(",").filter((id) => id !== ""))].slice(0, MAX_RUNS);
  return <CompareView runIds={runIds} />;
}
