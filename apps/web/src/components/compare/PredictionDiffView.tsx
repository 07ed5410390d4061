"use client";
/** Validation images that went from right to wrong and from wrong to right between two chosen runs. */
import { useMemo, useState } from "react";
import { formatNumber } from "../../lib/format.ts";
import { predictionDiff, type DiffItem } from "../../lib/predictions.ts";
import { ItemImage } from "../predictions/ItemImage.tsx";
import { type RunPredictions, usePredictions } from "../predictions/use-predictions.ts";

const SHOWN = 48;

function DiffGallery({ title, items, before, after }: { title: string; items: DiffItem[]; before: RunPredictions; after: RunPredictions }) {
  const side = (run: RunPredictions, item: DiffItem["before"]) =>
    `${run.name}: ${item.predicted} (${formatNumber(item.confidence)}), p(actual) ${formatNumber(item.actualProbability)}`;
  return (
    <section aria-label={title}>
      <h3>
        {title} ({items.length})
      </h3>
      {items.length === 0 && <p className="muted">None.</p>}
      <ul className="gallery thumbs">
        {items.slice(0, SHOWN).map((item) => (
          <li key={item.path}>
            <ItemImage
              dataset={after.dataset ?? before.dataset}
              path={item.path}
              alt={`${item.actual}: ${item.before.predicted} then ${item.after.predicted}`}
            />
            <small>actual {item.actual}</small>
            <small>{side(before, item.before)}</small>
            <small>{side(after, item.after)}</small>
          </li>
        ))}
      </ul>
      {items.length > SHOWN && (
        <p className="muted">
          Showing {SHOWN} of {items.length}, the most confident mistakes first.
        </p>
      )}
    </section>
  );
}

function RunPicker({ label, runs, value, onChange }: { label: string; runs: { id: string; name: string }[]; value: string; onChange: (id: string) => void }) {
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {runs.map((run) => (
          <option key={run.id} value={run.id}>
            {run.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PredictionDiffView({ runs }: { runs: { id: string; name: string }[] }) {
  const [firstId, setFirstId] = useState(runs[0]?.id ?? "");
  const [secondId, setSecondId] = useState(runs[1]?.id ?? "");
  const runIds = useMemo(() => (firstId !== "" && secondId !== "" && firstId !== secondId ? [firstId, secondId] : []), [firstId, secondId]);
  const { runs: loaded, error } = usePredictions(runIds);
  const [before, after] = loaded ?? [];
  const diff = useMemo(() => (before && after ? predictionDiff(before.predictions.rows, after.predictions.rows) : null), [before, after]);
  return (
    <section aria-label="Prediction diff">
      <h2>Prediction diff</h2>
      <div className="row">
        <RunPicker label="From run" runs={runs} value={firstId} onChange={setFirstId} />
        <RunPicker label="to run" runs={runs} value={secondId} onChange={setSecondId} />
      </div>
      {runIds.length === 0 && <p className="muted">Choose two different runs.</p>}
      {/* Runs logged from outside (no worker) have no predictions: said plainly, not as a failure. */}
      {error && (
        <p role="status" className="muted">
          {error}
        </p>
      )}
      {runIds.length > 0 && !diff && !error && <p aria-busy="true">Loading predictions…</p>}
      {diff && before && after && (
        <>
          <p data-testid="prediction-diff-summary">
            {diff.shared} validation images in both runs: {diff.becameWrong.length} went from right to wrong, {diff.becameRight.length} from wrong to right
            {diff.unmatched > 0 && `; ${diff.unmatched} were validated by only one of them (another split)`}.
          </p>
          <DiffGallery title="Right → wrong" items={diff.becameWrong} before={before} after={after} />
          <DiffGallery title="Wrong → right" items={diff.becameRight} before={before} after={after} />
        </>
      )}
    </section>
  );
}
