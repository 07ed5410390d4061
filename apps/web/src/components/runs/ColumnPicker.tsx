"use client";
import { Button, Checkbox, Divider, Group, NativeSelect, Popover, ScrollArea, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { IconColumns, IconSearch } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useQuery } from "urql";
import type { SummaryField } from "../../gql/graphql.ts";
import { RunKeysDocument } from "../../graphql/runs.ts";
import { SUMMARY_FIELDS, columnToText, type Column, type RunsView } from "../../lib/runs-view.ts";

function KeyList(props: { title: string; keys: string[]; checked: (key: string) => boolean; onToggle: (key: string) => void; empty: string }) {
  return (
    <Stack gap={6} role="group" aria-label={props.title}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {props.title} ({props.keys.length})
      </Text>
      <ScrollArea.Autosize mah={260} type="auto" offsetScrollbars>
        <Stack gap={6}>
          {props.keys.length === 0 && (
            <Text size="xs" c="dimmed">
              {props.empty}
            </Text>
          )}
          {props.keys.map((key) => (
            <Checkbox key={key} size="xs" label={key} checked={props.checked(key)} onChange={() => props.onToggle(key)} />
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** Metric and param columns: every key of the team's runs (metricKeys, paramKeys), or one typed in. */
export function ColumnPicker({ teamId, view, onChange }: { teamId: string; view: RunsView; onChange: (view: RunsView) => void }) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const [{ data, error }] = useQuery({ query: RunKeysDocument, variables: { teamId }, pause: !open });
  const shown = new Set(view.columns.map(columnToText));
  const match = (key: string) => key.toLowerCase().includes(filter.trim().toLowerCase());
  const metricKeys = (data?.metricKeys ?? []).filter(match);
  const paramKeys = (data?.paramKeys ?? []).filter(match);
  const metricShown = (key: string) => view.columns.some((column) => column.kind === "metric" && column.key === key);

  function toggleMetric(key: string) {
    const columns = metricShown(key)
      ? view.columns.filter((column) => !(column.kind === "metric" && column.key === key))
      : [...view.columns, { kind: "metric" as const, key, summary: "LAST" as const }];
    onChange({ ...view, columns });
  }

  function toggleParam(key: string) {
    const columns = shown.has(`p:${key}`)
      ? view.columns.filter((column) => columnToText(column) !== `p:${key}`)
      : [...view.columns, { kind: "param" as const, key }];
    onChange({ ...view, columns });
  }

  function addTyped(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const key = String(form.get("key") ?? "").trim();
    if (key === "") return;
    const column: Column =
      form.get("kind") === "param" ? { kind: "param", key } : { kind: "metric", key, summary: String(form.get("summary")) as SummaryField };
    if (!shown.has(columnToText(column))) onChange({ ...view, columns: [...view.columns, column] });
    event.currentTarget.reset();
    // the new column's header is usually under the open chooser
    setOpen(false);
  }

  return (
    <Popover opened={open} onChange={setOpen} width={520} position="bottom-start" shadow="md" trapFocus={false}>
      <Popover.Target>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconColumns size={14} aria-hidden />}
          aria-expanded={open}
          aria-controls="column-picker"
          onClick={() => setOpen((o) => !o)}
        >
          Columns ({view.columns.length})
        </Button>
      </Popover.Target>
      <Popover.Dropdown id="column-picker" aria-label="Choose columns">
        <Stack gap="sm">
          <TextInput
            size="xs"
            label="Find a key"
            placeholder="accuracy, lr, transfer.…"
            leftSection={<IconSearch size={14} aria-hidden />}
            value={filter}
            onChange={(event) => setFilter(event.currentTarget.value)}
          />
          {error && (
            <Text size="xs" c="red" role="alert">
              {error.message}
            </Text>
          )}
          <SimpleGrid cols={2} spacing="md">
            <KeyList title="Metrics" keys={metricKeys} checked={metricShown} onToggle={toggleMetric} empty={data ? "No metric logged yet." : "Loading…"} />
            <KeyList
              title="Params"
              keys={paramKeys}
              checked={(key) => shown.has(`p:${key}`)}
              onToggle={toggleParam}
              empty={data ? "No param logged yet." : "Loading…"}
            />
          </SimpleGrid>
          <Divider label="Or add one by key (a metric's min or max, too)" labelPosition="left" />
          <form onSubmit={addTyped} aria-label="Add a column by key">
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <NativeSelect size="xs" name="kind" label="Column kind" defaultValue="metric" data={["metric", "param"]} />
              <TextInput size="xs" name="key" label="Column key" placeholder="key" style={{ flex: 1 }} />
              <NativeSelect size="xs" name="summary" label="Metric summary" defaultValue="LAST" data={SUMMARY_FIELDS} />
              <Button type="submit" size="xs" variant="light">
                Add column
              </Button>
            </Group>
          </form>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
