"use client";
import Link from "next/link";
import { useState } from "react";
import { formatValue } from "../../lib/format.ts";
import { paramDiff } from "../../lib/param-diff.ts";

interface RunParams {
  id: string;
  name: string;
  params: Array<{ key: string; value: unknown }>;
}

export function ParamDiffTable({ runs }: { runs: RunParams[] }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const rows = paramDiff(runs).filter((row) => !onlyDiffering || row.differs);
  return (
    <section aria-label="Param differences">
      <div className="row">
        <h2>Params</h2>
        <label>
          <input type="checkbox" checked={onlyDiffering} onChange={(event) => setOnlyDiffering(event.target.checked)} /> Only params that differ
        </label>
      </div>
      <div className="table-scroll">
        <table>
          <caption className="sr-only">Params of the compared runs; highlighted rows differ</caption>
          <thead>
            <tr>
              <th scope="col">Param</th>
              {runs.map((run) => (
                <th key={run.id} scope="col">
                  <Link href={`/runs/${run.id}`}>{run.name}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={row.differs ? "differs" : undefined} data-differs={row.differs}>
                <th scope="row">
                  {row.key}
                  {row.differs && <span className="sr-only"> (differs)</span>}
                </th>
                {row.values.map((value, i) => (
                  <td key={runs[i]?.id}>{formatValue(value)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
