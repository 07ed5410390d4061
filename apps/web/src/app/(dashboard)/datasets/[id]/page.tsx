import { Code, Paper, Table, TableScrollContainer, TableTbody, TableTd, TableTfoot, TableTh, TableThead, TableTr, Title } from "@mantine/core";
import { IconTrophy } from "@tabler/icons-react";
import { notFound } from "next/navigation";
import { DatasetSamples, groupSamples } from "../../../../components/catalog/DatasetSamples.tsx";
import { classCounts } from "../../../../components/catalog/split-counts.ts";
import { ButtonLink } from "../../../../components/ui/links.tsx";
import { PageHeader } from "../../../../components/ui/PageHeader.tsx";
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
      <PageHeader
        title={dataset.name}
        titleId="dataset-title"
        description={`${dataset.kind}, ${dataset.classNames.length} classes`}
        actions={
          <ButtonLink href={`/leaderboards?dataset=${dataset.id}`} variant="light" leftSection={<IconTrophy size={16} aria-hidden />}>
            Leaderboard for {dataset.name}
          </ButtonLink>
        }
      />
      <Paper withBorder p="md" radius="md">
        <dl className="facts">
          <dt>Kind</dt>
          <dd>{dataset.kind}</dd>
          <dt>Source</dt>
          <dd>
            <Code>{dataset.sourceUri}</Code>
          </dd>
          <dt>Content hash</dt>
          <dd>
            <Code>{dataset.contentHash ?? "–"}</Code>
          </dd>
          <dt>Registered</dt>
          <dd>{formatDate(dataset.createdAt)}</dd>
          {dataset.conversion !== null && (
            <>
              <dt>Conversion</dt>
              <dd>
                <Code>{JSON.stringify(dataset.conversion)}</Code>
              </dd>
            </>
          )}
        </dl>
      </Paper>
      <Title order={2}>Class counts</Title>
      <TableScrollContainer minWidth={360}>
        <Table striped verticalSpacing="xs" aria-label="Class counts">
          <TableThead>
            <TableTr>
              <TableTh scope="col">Class</TableTh>
              {counts.splits.map((split) => (
                <TableTh key={split} scope="col" className="num">
                  {split}
                </TableTh>
              ))}
            </TableTr>
          </TableThead>
          <TableTbody>
            {counts.rows.map((row) => (
              <TableTr key={row.className}>
                <TableTh scope="row">{row.className}</TableTh>
                {row.counts.map((count, i) => (
                  <TableTd key={counts.splits[i]} className="num">
                    {count}
                  </TableTd>
                ))}
              </TableTr>
            ))}
          </TableTbody>
          <TableTfoot>
            <TableTr>
              <TableTh scope="row">Total</TableTh>
              {counts.totals.map((total, i) => (
                <TableTd key={counts.splits[i]} className="num" fw={600}>
                  {total}
                </TableTd>
              ))}
            </TableTr>
          </TableTfoot>
        </Table>
      </TableScrollContainer>
      <Title order={2}>Samples</Title>
      {samples.error === null ? <DatasetSamples datasetId={dataset.id} groups={samples.groups} /> : <p className="error">{samples.error}</p>}
    </article>
  );
}
