import { notFound } from "next/navigation";
import { ArchitecturesDocument } from "../../../../graphql/catalog.ts";
import { formatDate } from "../../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../../lib/session.ts";

export default async function ArchitecturePage({ params }: { params: Promise<{ id: string }> }) {
  const { team } = await requireSession();
  const { id } = await params;
  const { architectures } = await serverQuery(ArchitecturesDocument, { teamId: team.id });
  const architecture = architectures.find((candidate) => candidate.id === id);
  if (architecture === undefined) notFound();
  return (
    <article aria-labelledby="architecture-title">
      <h1 id="architecture-title">{architecture.name}</h1>
      <dl className="facts panel">
        <dt>Family</dt>
        <dd>{architecture.family}</dd>
        <dt>Source format</dt>
        <dd>{architecture.sourceFormat}</dd>
        <dt>Input size</dt>
        <dd>{architecture.inputSize.join(" × ")} (channels × height × width)</dd>
        <dt>Parameters</dt>
        <dd>{architecture.parameterCount?.toLocaleString("en-US") ?? "–"}</dd>
        <dt>Pretrained on</dt>
        <dd>{architecture.pretrainedOn ?? "–"}</dd>
        <dt>File</dt>
        <dd>
          <code>{architecture.fileUri ?? "–"}</code>
        </dd>
        <dt>File hash</dt>
        <dd>
          <code>{architecture.fileHash ?? "–"}</code>
        </dd>
        <dt>Registered</dt>
        <dd>{formatDate(architecture.createdAt)}</dd>
      </dl>
    </article>
  );
}
