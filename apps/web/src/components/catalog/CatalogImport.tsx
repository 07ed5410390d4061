"use client";
/**
 * "Add from catalog": the server's backbone catalog (modelCatalog) with an Add button per entry,
 * which calls importArchitecture with `catalog`. The API downloads into its model cache (resuming,
 * verifying size and sha256) and registers the architecture; while a download runs, this list
 * polls modelCatalog twice a second and shows its progress, so a reload or a second browser
 * sees it too. When the mutation's answer is lost (a proxy's timeout on a download of minutes),
 * the result is read from modelCatalog instead: the entry's new architecture or its error.
 */
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  TableScrollContainer,
  TableTbody,
  TableTd,
  TableTh,
  TableThead,
  TableTr,
  Text,
  Title,
} from "@mantine/core";
import { IconCloudDownload } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { ImportCatalogArchitectureDocument, ModelCatalogDocument } from "../../graphql/catalog.ts";
import { formatBytes } from "../../lib/artifacts.ts";

type Outcome = { ok: true; message: string } | { ok: false; message: string };

const POLL_MS = 500;

export function CatalogImport({ teamId }: { teamId: string }) {
  const router = useRouter();
  const [{ data, error }, refetch] = useQuery({ query: ModelCatalogDocument, variables: { teamId }, requestPolicy: "cache-and-network" });
  const [, importArchitecture] = useMutation(ImportCatalogArchitectureDocument);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Readonly<Record<string, Outcome>>>({});
  // Imports whose answer was lost (a proxy gave up on a long download): settled from what modelCatalog shows, by name → polls seen since the download ended.
  const [watching, setWatching] = useState<Readonly<Record<string, number>>>({});
  const entries = useMemo(() => data?.modelCatalog ?? [], [data]);
  const active =
    pending.size > 0 || Object.keys(watching).length > 0 || entries.some((e) => e.download?.state === "DOWNLOADING" || e.download?.state === "VERIFYING");

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), POLL_MS);
    return () => clearInterval(timer);
  }, [active, refetch]);

  // A new architecture from the catalog (this page's import, another tab's, one that finished after a reload): redraw the table above.
  const registered = entries.reduce((count, entry) => count + entry.architectures.length, 0);
  const registeredBefore = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (registeredBefore.current !== undefined && registered > registeredBefore.current) router.refresh();
    registeredBefore.current = registered;
  }, [registered, router]);

  useEffect(() => {
    const names = Object.keys(watching);
    if (names.length === 0) return;
    if (error) {
      // The API does not answer at all: say so rather than wait.
      setWatching({});
      setOutcomes((current) => ({ ...current, ...Object.fromEntries(names.map((name) => [name, { ok: false, message: error.message }])) }));
      return;
    }
    const settled: Record<string, Outcome> = {};
    const still: Record<string, number> = {};
    for (const name of names) {
      const entry = entries.find((e) => e.name === name);
      const download = entry?.download;
      if (entry?.architectures.some((a) => a.name === name)) settled[name] = { ok: true, message: `Added ${name}.` };
      else if (download?.state === "FAILED") settled[name] = { ok: false, message: download.error ?? "the download failed" };
      else if (download?.state === "DOWNLOADING" || download?.state === "VERIFYING") still[name] = 0;
      else if ((watching[name] ?? 0) >= 3)
        settled[name] = { ok: false, message: "The answer to the import was lost, and no architecture of this name was registered: try again." };
      else still[name] = (watching[name] ?? 0) + 1;
    }
    setWatching(still);
    if (Object.keys(settled).length > 0) setOutcomes((current) => ({ ...current, ...settled }));
    // Runs once per answer of modelCatalog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entries, error]);

  async function add(name: string) {
    setPending((current) => new Set(current).add(name));
    setOutcomes(({ [name]: _, ...rest }) => rest);
    const result = await importArchitecture({ input: { teamId, name, catalog: name } });
    const architecture = result.data?.importArchitecture;
    if (!architecture && result.error && result.error.graphQLErrors.length === 0) {
      // No answer from the API (the request, not the import, failed): the server may still be downloading.
      setWatching((current) => ({ ...current, [name]: 0 }));
    } else {
      const outcome: Outcome = architecture
        ? { ok: true, message: `Added ${architecture.name}: ${architecture.parameterCount?.toLocaleString("en-US") ?? "?"} parameters.` }
        : { ok: false, message: result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? "import failed" };
      setOutcomes((current) => ({ ...current, [name]: outcome }));
    }
    setPending((current) => {
      const next = new Set(current);
      next.delete(name);
      return next;
    });
    refetch({ requestPolicy: "network-only" });
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Add from catalog">
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4">
            Add from catalog
          </Title>
          <Text size="sm" c="dimmed">
            Pretrained ImageNet backbones, pinned by URL, size and sha256; downloaded once into the server&apos;s model cache.
          </Text>
        </Group>
        {error && (
          <Text role="alert" className="error">
            {error.message}
          </Text>
        )}
        <TableScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" aria-label="Catalog models" aria-busy={data === undefined}>
            <TableThead>
              <TableTr>
                <TableTh scope="col">Model</TableTh>
                <TableTh scope="col">Input</TableTh>
                <TableTh scope="col" className="num">
                  Download
                </TableTh>
                <TableTh scope="col">Licence</TableTh>
                <TableTh scope="col" miw={280}>
                  Status
                </TableTh>
                <TableTh scope="col" aria-label="Action" />
              </TableTr>
            </TableThead>
            <TableTbody>
              {entries.map((entry) => {
                const download = entry.download;
                const busy = pending.has(entry.name) || entry.name in watching || download?.state === "DOWNLOADING" || download?.state === "VERIFYING";
                const outcome = outcomes[entry.name];
                const percent = download && download.totalBytes > 0 ? Math.floor((100 * download.receivedBytes) / download.totalBytes) : 0;
                return (
                  <TableTr key={entry.name} data-entry={entry.name}>
                    <TableTd>
                      <Text fw={600} size="sm" style={{ whiteSpace: "nowrap" }}>
                        {entry.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {entry.family} ·{" "}
                        <Anchor href={entry.sourceUrl} target="_blank" rel="noreferrer" size="xs">
                          source
                        </Anchor>
                      </Text>
                    </TableTd>
                    <TableTd style={{ whiteSpace: "nowrap" }}>
                      <Text size="sm">{entry.inputSize.join(" × ")}</Text>
                      <Text size="xs" c="dimmed">
                        {entry.format}
                      </Text>
                    </TableTd>
                    <TableTd className="num" style={{ whiteSpace: "nowrap" }}>
                      {formatBytes(entry.sizeBytes)}
                    </TableTd>
                    <TableTd>
                      <Text size="xs">{entry.license}</Text>
                    </TableTd>
                    <TableTd>
                      <Stack gap={4}>
                        <Group gap={4}>
                          {entry.architectures.length > 0 && (
                            <Badge color="teal" variant="light" tt="none">
                              added as {entry.architectures.map((a) => a.name).join(", ")}
                            </Badge>
                          )}
                          {entry.cached ? (
                            <Badge color="gray" variant="light" tt="none">
                              cached
                            </Badge>
                          ) : (
                            entry.architectures.length === 0 &&
                            !busy && (
                              <Text size="xs" c="dimmed">
                                not downloaded
                              </Text>
                            )
                          )}
                        </Group>
                        {busy && download?.state === "DOWNLOADING" && (
                          <Group gap="xs" wrap="nowrap">
                            <Progress value={percent} w={140} aria-label={`Download progress of ${entry.name}`} />
                            <Text size="xs" aria-live="polite">
                              {formatBytes(download.receivedBytes)} / {formatBytes(download.totalBytes)} ({percent}%)
                            </Text>
                          </Group>
                        )}
                        {busy && download?.state === "VERIFYING" && (
                          <Text size="xs" aria-live="polite">
                            Verifying sha256…
                          </Text>
                        )}
                        {outcome && (
                          <Text
                            size="xs"
                            role={outcome.ok ? "status" : "alert"}
                            c={outcome.ok ? "teal" : undefined}
                            className={outcome.ok ? undefined : "error"}
                          >
                            {outcome.message}
                          </Text>
                        )}
                      </Stack>
                    </TableTd>
                    <TableTd>
                      <Button
                        size="xs"
                        variant="light"
                        loading={busy}
                        disabled={entry.architectures.some((a) => a.name === entry.name)}
                        leftSection={<IconCloudDownload size={14} aria-hidden />}
                        onClick={() => void add(entry.name)}
                        aria-label={`Add ${entry.name}`}
                      >
                        Add
                      </Button>
                    </TableTd>
                  </TableTr>
                );
              })}
            </TableTbody>
          </Table>
        </TableScrollContainer>
      </Stack>
    </Paper>
  );
}
