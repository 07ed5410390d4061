"use client";
/** Runs' validation predictions, read from their predictions.csv artifacts through the web app's proxy. */
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { PredictionSourcesDocument } from "../../graphql/samples.ts";
import { artifactHref } from "../../lib/artifacts.ts";
import { parsePredictionsCsv, type Predictions } from "../../lib/predictions.ts";

export interface RunPredictions {
  runId: string;
  name: string;
  dataset: { id: string; sourceUri: string } | null;
  predictions: Predictions;
}

export interface PredictionsState {
  runs: RunPredictions[] | null;
  error: string | null;
}

async function loadPredictions(artifactId: string): Promise<Predictions> {
  const response = await fetch(artifactHref(artifactId, true));
  if (!response.ok) throw new Error(`predictions.csv: the API answered ${response.status}`);
  return parsePredictionsCsv(await response.text());
}

/** The predictions of each run, in the order of `runIds`; an error names the run without a predictions artifact. */
export function usePredictions(runIds: readonly string[]): PredictionsState {
  const [{ data, error }] = useQuery({ query: PredictionSourcesDocument, variables: { ids: [...runIds] }, pause: runIds.length === 0 });
  const [state, setState] = useState<PredictionsState>({ runs: null, error: null });
  const nodes = data?.runs.nodes;
  useEffect(() => {
    if (nodes === undefined) return;
    let cancelled = false;
    const ordered = runIds.map((id) => nodes.find((node) => node.id === id));
    const load = async (): Promise<RunPredictions[]> =>
      Promise.all(
        ordered.map(async (run, i) => {
          if (run === undefined) throw new Error(`run ${runIds[i]} was not found in your teams`);
          const artifact = run.artifacts.find((candidate) => candidate.kind === "predictions" && candidate.name.endsWith(".csv"));
          if (artifact === undefined) throw new Error(`run ${run.name} has no predictions artifact (it is written when a run finishes)`);
          return { runId: run.id, name: run.name, dataset: run.dataset ?? null, predictions: await loadPredictions(artifact.id) };
        }),
      );
    setState({ runs: null, error: null });
    load().then(
      (runs) => !cancelled && setState({ runs, error: null }),
      (failure: unknown) => !cancelled && setState({ runs: null, error: failure instanceof Error ? failure.message : String(failure) }),
    );
    return () => {
      cancelled = true;
    };
  }, [nodes, runIds]);
  return error ? { runs: null, error: error.message } : state;
}
