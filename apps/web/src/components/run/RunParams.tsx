"use client";
/** The run's params grouped by prefix (transfer.*, auto.*, data.*, the other prefixes, the rest) in collapsible sections; transfer.* and auto.* start open. */
import { Accordion, Badge, Group, Paper, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { formatValue } from "../../lib/format.ts";
import { groupParams, type ParamRow } from "../../lib/run-story.ts";

const TITLES: Record<string, string> = {
  transfer: "transfer.* — backbone, recipe, stages",
  auto: "auto.* — what AUTO tried and chose",
  data: "data.* — the data set and split",
  other: "Other params",
};

export function RunParams({ params }: { params: ParamRow[] }) {
  const groups = groupParams(params);
  // Until the reader opens or folds a section, transfer.* and auto.* are open (else the first
  // group): the params arrive as the run starts, so this follows them rather than the first render's.
  const [chosen, setChosen] = useState<string[] | null>(null);
  const names = groups.map((group) => group.name);
  const preferred = names.filter((name) => name === "transfer" || name === "auto");
  const open = chosen ?? (preferred.length > 0 ? preferred : names.slice(0, 1));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Params" miw={0}>
      <Title order={2} size="h3" mt={0} mb="xs">
        Params
      </Title>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          This run recorded no params.
        </Text>
      ) : (
        <Accordion multiple value={open} onChange={setChosen} variant="separated" chevronPosition="left">
          {groups.map((group) => (
            <Accordion.Item key={group.name} value={group.name} data-param-group={group.name}>
              <Accordion.Control>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {TITLES[group.name] ?? `${group.name}.*`}
                  </Text>
                  <Badge size="sm" variant="light" color="gray">
                    {group.params.length}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Table verticalSpacing={4} striped className="wrap-values" layout="fixed" aria-label={`${group.name} params`}>
                  <Table.Tbody>
                    {group.params.map((param) => (
                      <Table.Tr key={param.key}>
                        <Table.Th scope="row" w="45%" fw={500} style={{ overflowWrap: "anywhere" }}>
                          {param.key}
                        </Table.Th>
                        <Table.Td ff="monospace" fz="xs" style={{ overflowWrap: "anywhere" }}>
                          {formatValue(param.value)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Paper>
  );
}
