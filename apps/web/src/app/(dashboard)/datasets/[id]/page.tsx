import Link from "next/link";
import { notFound } from "next/navigation";
import { DatasetSamples, groupSamples } from "../../../../components/catalog/DatasetSamples.tsx";
import { classCounts } from "../../../../components/catalog/split-counts.ts";
import { DatasetsDocument } from "../../../../graphql/catalog.ts";
import { DatasetSamplesDocument } from "../../../../graphql/samples.ts";
import { formatDate } from "../../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../../lib/session.ts";

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { team } = await requireSession();
  const { id } = await params;
  const { datasets } = await serverQuery(DatasetsDocument, { teamId: team.id });
  const dataset = datasets.find((candidate) => candidate.id === id);
  if (dataset === undefined) notFound();
  const counts = classCounts(dataset.splitCounts, dataset.classNames);
  // A folder outside the server's readable roots answers with an error naming sourceUri: shown instead of the grid.
  const samples = await serverQuery(DatasetSamplesDocument, { id, perClass: 6 }).then(
    (data) => ({ groups: groupSamples(data.dataset.samples), error: null }),
    (error: unknown) => ({ groups: [], error: error instanceof Error ? error.message : String(error) }),
  );
  return (
    <article aria-labelledby="dataset-title">
      <h1 id="dataset-title">{dataset.name}</h1>
      <dl className="facts panel">
        <dt>Kind</dt>
        <dd>{dataset.kind}</dd>
        <dt>Source</dt>
        <dd>
          <code>{dataset.sourceUri}</code>
        </dd>
        <dt>Content hash</dt>
        <dd>
          <code>{dataset.contentHash ?? "–"}</code>
        </dd>
        <dt>Registered</dt>
        <dd>{formatDate(dataset.createdAt)}</dd>
        {dataset.conversion !== null && (
          <>
            <dt>Conversion</dt>
            <dd>
              <code>{JSON.stringify(dataset.conversion)}</code>
            </dd>
          </>
        )}
      </dl>
      <p>
        <Link href={`/leaderboards?dataset=${dataset.id}`}>Leaderboard for {dataset.name}</Link>
      </p>
      <h2>Class counts</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Class</th>
            {counts.splits.map((split) => (
              <th key={split} scope="col" className="num">
                {split}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.rows.map((row) => (
            <tr key={row.className}>
              <th scope="row">{row.className}</th>
              {row.counts.map((count, i) => (
                <td key={counts.splits[i]} className="num">
                  {count}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {counts.totals.map((total, i) => (
              <td key={counts.splits[i]} className="num">
                {total}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
      <h2>Samples</h2>
      {samples.error === null ? <DatasetSamples datasetId={dataset.id} groups={samples.groups} /> : <p className="error">{samples.error}</p>}
    </article>
  );
}
