"use client";
/** The validation images of one confusion-matrix cell (actual, predicted), largest loss first. */
import { useMemo } from "react";
import { formatNumber } from "../../lib/format.ts";
import { cellItems } from "../../lib/predictions.ts";
import { ItemImage } from "../predictions/ItemImage.tsx";
import { usePredictions } from "../predictions/use-predictions.ts";

const SHOWN = 60;

export function ConfusionCellImages({ runId, actual, predicted }: { runId: string; actual: string; predicted: string }) {
  const runIds = useMemo(() => [runId], [runId]);
  const { runs, error } = usePredictions(runIds);
  const run = runs?.[0];
  const items = run === undefined ? [] : cellItems(run.predictions.rows, actual, predicted);
  return (
    <section aria-label={`Images: actual ${actual}, predicted ${predicted}`} className="panel">
      <h3>
        actual {actual} → predicted {predicted}
        {run !== undefined && ` (${items.length})`}
      </h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {run === undefined && error === null && <p aria-busy="true">Loading predictions…</p>}
      {run !== undefined && items.length === 0 && <p className="muted">No validation images in this cell.</p>}
      <ul className="gallery thumbs" aria-label="Cell images">
        {items.slice(0, SHOWN).map((item) => (
          <li key={item.path}>
            <ItemImage dataset={run?.dataset ?? null} path={item.path} alt={`${actual} predicted as ${predicted}`} />
            <small>
              loss {formatNumber(item.loss)} · p({predicted}) {formatNumber(item.probabilities[predicted] ?? Number.NaN)}
            </small>
          </li>
        ))}
      </ul>
      {items.length > SHOWN && (
        <p className="muted">
          Showing the {SHOWN} with the largest loss of {items.length}.
        </p>
      )}
    </section>
  );
}
