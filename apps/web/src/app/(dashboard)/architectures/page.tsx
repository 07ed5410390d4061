import Link from "next/link";
import { UploadForm } from "../../../components/catalog/UploadForm.tsx";
import { ArchitecturesDocument } from "../../../graphql/catalog.ts";
import { formatDate } from "../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export default async function ArchitecturesPage() {
  const { team } = await requireSession();
  const { architectures } = await serverQuery(ArchitecturesDocument, { teamId: team.id });
  return (
    <>
      <h1>Architectures</h1>
      <UploadForm target="architecture" teamId={team.id} />
      {architectures.length === 0 ? (
        <p>No architectures registered in {team.name} yet (registerArchitecture or upload one above).</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Family</th>
              <th scope="col">Format</th>
              <th scope="col">Input (c × h × w)</th>
              <th scope="col" className="num">Parameters</th>
              <th scope="col">Pretrained on</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {architectures.map((architecture) => (
              <tr key={architecture.id}>
                <td>
                  <Link href={`/architectures/${architecture.id}`}>{architecture.name}</Link>
                </td>
                <td>{architecture.family}</td>
                <td>{architecture.sourceFormat}</td>
                <td>{architecture.inputSize.join(" × ")}</td>
                <td className="num">{architecture.parameterCount?.toLocaleString("en-US") ?? "–"}</td>
                <td>{architecture.pretrainedOn ?? "–"}</td>
                <td>{formatDate(architecture.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
