import { Code, Stack, Table, TableScrollContainer, TableTbody, TableTd, TableTh, TableThead, TableTr } from "@mantine/core";
import { IconDatabase } from "@tabler/icons-react";
import type { Metadata } from "next";
import { UploadForm } from "../../../components/catalog/UploadForm.tsx";
import { classCounts } from "../../../components/catalog/split-counts.ts";
import { EmptyState } from "../../../components/ui/EmptyState.tsx";
import { AnchorLink } from "../../../components/ui/links.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { DatasetsDocument } from "../../../graphql/catalog.ts";
import { formatDate } from "../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const { team } = await requireSession();
  const { datasets } = await serverQuery(DatasetsDocument, { teamId: team.id });
  return (
    <Stack gap="md">
      <PageHeader title="Datasets" description="Image folders and converted audio, document and time-series sets your runs train on." />
      <UploadForm target="dataset" teamId={team.id} />
      {datasets.length === 0 ? (
        <EmptyState icon={<IconDatabase size={24} />} title={`No datasets in ${team.name} yet`}>
          Upload a <Code>.zip</Code>, <Code>.tar</Code> or <Code>.tar.gz</Code> archive above (one folder per class, optionally under <Code>train/</Code> and{" "}
          <Code>valid/</Code>), or register a folder already on the server with the API&apos;s <Code>importDataset</Code> mutation (<Code>path</Code> inside the
          server&apos;s allowed source roots).
        </EmptyState>
      ) : (
        <TableScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Datasets">
            <TableThead>
              <TableTr>
                <TableTh scope="col">Name</TableTh>
                <TableTh scope="col">Kind</TableTh>
                <TableTh scope="col" className="num">
                  Classes
                </TableTh>
                <TableTh scope="col" className="num">
                  Images per split
                </TableTh>
                <TableTh scope="col">Content hash</TableTh>
                <TableTh scope="col">Registered</TableTh>
              </TableTr>
            </TableThead>
            <TableTbody>
              {datasets.map((dataset) => {
                const counts = classCounts(dataset.splitCounts, dataset.classNames);
                return (
                  <TableTr key={dataset.id}>
                    <TableTd>
                      <AnchorLink href={`/datasets/${dataset.id}`} fw={600}>
                        {dataset.name}
                      </AnchorLink>
                    </TableTd>
                    <TableTd>{dataset.kind}</TableTd>
                    <TableTd className="num">{dataset.classNames.length}</TableTd>
                    <TableTd className="num">{counts.splits.map((split, i) => `${split} ${counts.totals[i]}`).join(", ") || "–"}</TableTd>
                    <TableTd>
                      <Code>{dataset.contentHash?.slice(0, 12) ?? "–"}</Code>
                    </TableTd>
                    <TableTd>{formatDate(dataset.createdAt)}</TableTd>
                  </TableTr>
                );
              })}
            </TableTbody>
          </Table>
        </TableScrollContainer>
      )}
    </Stack>
  );
}
