import Link from "next/link";
import { UploadForm } from "../../../components/catalog/UploadForm.tsx";
import { classCounts } from "../../../components/catalog/split-counts.ts";
import { DatasetsDocument } from "../../../graphql/catalog.ts";
import { formatDate } from "../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export default async function DatasetsPage() {
  const { team } = await requireSession();
  const { datasets } = await serverQuery(DatasetsDocument, { teamId: team.id });
  return (
    <>
      <h1>Datasets</h1>
      <UploadForm target="dataset" teamId={team.id} />
      {datasets.length === 0 ? (
        <p>No datasets registered in {team.name} yet (registerDataset or upload one above).</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">Classes</th>
              <th scope="col" className="num">Images per split</th>
              <th scope="col">Content hash</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((dataset) => {
              const counts = classCounts(dataset.splitCounts, dataset.classNames);
              return (
                <tr key={dataset.id}>
                  <td>
                    <Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>
                  </td>
                  <td>{dataset.kind}</td>
                  <td className="num">{dataset.classNames.length}</td>
                  <td className="num">{counts.splits.map((split, i) => `${split} ${counts.totals[i]}`).join(", ") || "–"}</td>
                  <td>
                    <code>{dataset.contentHash?.slice(0, 12) ?? "–"}</code>
                  </td>
                  <td>{formatDate(dataset.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
