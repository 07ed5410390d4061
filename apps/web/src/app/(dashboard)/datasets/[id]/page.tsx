import Link from "next/link";
import { notFound } from "next/navigation";
import { classCounts } from "../../../../components/catalog/split-counts.ts";
import { DatasetsDocument } from "../../../../graphql/catalog.ts";
import { formatDate } from "../../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../../lib/session.ts";

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { team } = await requireSession();
  const { id } = await params;
  const { datasets } = await serverQuery(DatasetsDocument, { teamId: team.id });
  const dataset = datasets.find((candidate) => candidate.id === id);
  if (dataset === undefined) notFound();
  const counts = classCounts(dataset.splitCounts, dataset.classNames);
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
    </article>
  );
}
