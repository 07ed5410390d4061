"use client";
/** Interpretation from the run's artifacts: confusion matrix, most confused pairs, top losses, Grad-CAM, lr_find. */
import { useEffect, useState } from "react";
import { type ArtifactRef, type InterpretationArtifacts, artifactHref } from "../../lib/artifacts.ts";
import { formatNumber } from "../../lib/format.ts";
import { type ConfusionMatrix, type LrFindResult, mostConfused } from "../../lib/interpretation.ts";
import { ConfusionCellImages } from "./ConfusionCellImages.tsx";
import { LrFindChart } from "./LrFindChart.tsx";

interface TopLoss {
  index: number;
  predicted: string;
  actual: string;
  loss: number;
  probability: number;
}

function useArtifactJson<T>(ref: ArtifactRef | undefined): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    if (ref === undefined) return;
    let cancelled = false;
    void fetch(artifactHref(ref.id, true))
      .then((response) => (response.ok ? (response.json() as Promise<T>) : null))
      .then((json) => !cancelled && setValue(json));
    return () => {
      cancelled = true;
    };
  }, [ref]);
  return value;
}

interface Cell {
  actual: string;
  predicted: string;
}

/** Each count opens its validation images when the run has a predictions artifact. */
function ConfusionTable({ matrix, selected, onSelect }: { matrix: ConfusionMatrix; selected: Cell | null; onSelect: ((cell: Cell) => void) | null }) {
  const confused = mostConfused(matrix);
  const cellContent = (count: number, actual: string, predicted: string) =>
    onSelect === null ? (
      count
    ) : (
      <button
        type="button"
        className="cell-button"
        aria-pressed={selected?.actual === actual && selected.predicted === predicted}
        aria-label={`${count} images: actual ${actual}, predicted ${predicted}`}
        onClick={() => onSelect({ actual, predicted })}
      >
        {count}
      </button>
    );
  return (
    <div>
      <table aria-label="Confusion matrix (rows: actual, columns: predicted)">
        <thead>
          <tr>
            <th scope="col">actual \ predicted</th>
            {matrix.classes.map((name) => (
              <th key={name} scope="col" className="num">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.counts.map((row, a) => (
            <tr key={matrix.classes[a]}>
              <th scope="row">{matrix.classes[a]}</th>
              {row.map((count, p) => (
                <td key={p} className={`num${a === p ? " cell-hot" : ""}`}>
                  {cellContent(count, matrix.classes[a]!, matrix.classes[p]!)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p>Most confused: {confused.length === 0 ? "none" : confused.map((pair) => `${pair.actual} → ${pair.predicted} (${pair.count})`).join(", ")}</p>
    </div>
  );
}

export function Interpretation({ runId, artifacts }: { runId: string; artifacts: InterpretationArtifacts }) {
  const matrix = useArtifactJson<ConfusionMatrix>(artifacts.confusionJson);
  const [cell, setCell] = useState<Cell | null>(null);
  const topLosses = useArtifactJson<TopLoss[]>(artifacts.topLossesJson);
  const lrFind = useArtifactJson<LrFindResult>(artifacts.lrFindJson);
  const any = artifacts.confusionImage ?? artifacts.topLossesImage ?? artifacts.lrFindJson ?? artifacts.gradCams[0];
  if (any === undefined) return null;
  return (
    <section aria-label="Interpretation" className="interpretation">
      <h2>Interpretation</h2>
      <div className="grid">
        {(artifacts.confusionImage || matrix) && (
          <figure className="panel" style={{ margin: 0 }}>
            <figcaption>Confusion matrix (validation)</figcaption>
            {matrix && <ConfusionTable matrix={matrix} selected={cell} onSelect={artifacts.predictionsCsv ? setCell : null} />}
            {artifacts.confusionImage && <img src={artifactHref(artifacts.confusionImage.id, true)} alt="Confusion matrix of the validation set" />}
          </figure>
        )}
        {cell && <ConfusionCellImages runId={runId} actual={cell.actual} predicted={cell.predicted} />}
        {(artifacts.topLossesImage || topLosses) && (
          <figure className="panel" style={{ margin: 0 }}>
            <figcaption>Top losses (predicted / actual / loss / probability)</figcaption>
            {topLosses && (
              <ol aria-label="Top losses">
                {topLosses.map((item) => (
                  <li key={item.index}>
                    {item.predicted} / {item.actual} / {formatNumber(item.loss)} / {formatNumber(item.probability)}
                  </li>
                ))}
              </ol>
            )}
            {artifacts.topLossesImage && <img src={artifactHref(artifacts.topLossesImage.id, true)} alt="Validation images with the largest losses" />}
          </figure>
        )}
        {lrFind && (
          <div>
            <h3>lr_find</h3>
            <LrFindChart result={lrFind} />
          </div>
        )}
      </div>
      {artifacts.gradCams.length > 0 && (
        <>
          <h3>Grad-CAM (where the network looks, on the top losses)</h3>
          <div className="gallery" aria-label="Grad-CAM images">
            {artifacts.gradCams.map((artifact, i) => (
              <img key={artifact.id} src={artifactHref(artifact.id, true)} alt={`Grad-CAM overlay ${i + 1} of the top losses`} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
