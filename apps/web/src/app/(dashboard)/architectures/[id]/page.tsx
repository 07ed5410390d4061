import { Code, Paper } from "@mantine/core";
import { notFound } from "next/navigation";
import { PageHeader } from "../../../../components/ui/PageHeader.tsx";
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
      <PageHeader title={architecture.name} titleId="architecture-title" description={`${architecture.family}, ${architecture.sourceFormat}`} />
      <Paper withBorder p="md" radius="md">
        <dl className="facts">
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
            <Code>{architecture.fileUri ?? "–"}</Code>
          </dd>
          <dt>File hash</dt>
          <dd>
            <Code>{architecture.fileHash ?? "–"}</Code>
          </dd>
          <dt>Registered</dt>
          <dd>{formatDate(architecture.createdAt)}</dd>
        </dl>
      </Paper>
    </article>
  );
}
