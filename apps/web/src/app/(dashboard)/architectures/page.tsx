import { Code, Stack, Table, TableScrollContainer, TableTbody, TableTd, TableTh, TableThead, TableTr } from "@mantine/core";
import { IconBox } from "@tabler/icons-react";
import type { Metadata } from "next";
import { CatalogImport } from "../../../components/catalog/CatalogImport.tsx";
import { UploadForm } from "../../../components/catalog/UploadForm.tsx";
import { EmptyState } from "../../../components/ui/EmptyState.tsx";
import { AnchorLink } from "../../../components/ui/links.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { ArchitecturesDocument } from "../../../graphql/catalog.ts";
import { formatDate } from "../../../lib/format.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Architectures" };

export default async function ArchitecturesPage() {
  const { team } = await requireSession();
  const { architectures } = await serverQuery(ArchitecturesDocument, { teamId: team.id });
  return (
    <Stack gap="md">
      <PageHeader title="Architectures" description="Pretrained backbones (ONNX or TFLite) that runs fine-tune." />
      <UploadForm target="architecture" teamId={team.id} />
      {architectures.length === 0 ? (
        <EmptyState icon={<IconBox size={24} />} title={`No architectures in ${team.name} yet`}>
          Upload an <Code>.onnx</Code> or <Code>.tflite</Code> model above, add one from the catalog below, or register one with the API&apos;s{" "}
          <Code>importArchitecture</Code> mutation: <Code>source</Code> is a model file on the server or a built-in backbone such as{" "}
          <Code>mobilenet-v2-imagenet</Code>, <Code>catalog</Code> a catalog entry&apos;s name.
        </EmptyState>
      ) : (
        <TableScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Architectures">
            <TableThead>
              <TableTr>
                <TableTh scope="col">Name</TableTh>
                <TableTh scope="col">Family</TableTh>
                <TableTh scope="col">Format</TableTh>
                <TableTh scope="col">Input (c × h × w)</TableTh>
                <TableTh scope="col" className="num">
                  Parameters
                </TableTh>
                <TableTh scope="col">Pretrained on</TableTh>
                <TableTh scope="col">Registered</TableTh>
              </TableTr>
            </TableThead>
            <TableTbody>
              {architectures.map((architecture) => (
                <TableTr key={architecture.id}>
                  <TableTd>
                    <AnchorLink href={`/architectures/${architecture.id}`} fw={600}>
                      {architecture.name}
                    </AnchorLink>
                  </TableTd>
                  <TableTd>{architecture.family}</TableTd>
                  <TableTd>{architecture.sourceFormat}</TableTd>
                  <TableTd>{architecture.inputSize.join(" × ")}</TableTd>
                  <TableTd className="num">{architecture.parameterCount?.toLocaleString("en-US") ?? "–"}</TableTd>
                  <TableTd>{architecture.pretrainedOn ?? "–"}</TableTd>
                  <TableTd>{formatDate(architecture.createdAt)}</TableTd>
                </TableTr>
              ))}
            </TableTbody>
          </Table>
        </TableScrollContainer>
      )}
      <CatalogImport teamId={team.id} />
    </Stack>
  );
}
