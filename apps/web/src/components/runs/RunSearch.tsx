"use client";
import { ActionIcon, Button, Code, CloseButton, Group, Popover, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconHelp, IconSearch } from "@tabler/icons-react";
import { useEffect, useState, type FormEvent } from "react";
import { markPosition } from "../../lib/runs-table.ts";

export interface QueryError {
  /** What the API said was expected, e.g. `expected a value … after ">"`. */
  rule: string;
  /** 1-based position in the query the error is about. */
  position: number;
  query: string;
}

const EXAMPLES = [
  'accuracy > 0.9 and backbone = "mobilenet-v2-imagenet"',
  "params.lr < 0.01 or tags.baseline",
  "max(valid_accuracy) >= 0.8 and not status = failed",
  'recipe = fine_tune and created > "2026-01-01"',
];

const FIELDS: Array<[string, string]> = [
  ["accuracy, last(x), min(x), max(x)", "a metric's last, smallest or largest value"],
  ["params.<key>", 'a param (numbers, "text", true/false)'],
  ['tags.<tag>, tag = "x"', "the run carries the tag"],
  ["status, name, backbone, dataset, recipe", "= != and ~ (contains)"],
  ["created, duration", 'a date ("2026-01-31"), seconds'],
];

function SearchHelp({ onPick }: { onPick: (query: string) => void }) {
  return (
    <Popover width={460} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Search help">
          <IconHelp size={18} aria-hidden />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            Search runs
          </Text>
          <Text size="xs" c="dimmed">
            Conditions joined with <Code>and</Code>, <Code>or</Code>, <Code>not</Code> and parentheses; the API evaluates them.
          </Text>
          <Table withRowBorders={false} verticalSpacing={2} fz="xs">
            <Table.Tbody>
              {FIELDS.map(([field, meaning]) => (
                <Table.Tr key={field}>
                  <Table.Td>
                    <Code>{field}</Code>
                  </Table.Td>
                  <Table.Td>{meaning}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" fw={600}>
            Examples
          </Text>
          {EXAMPLES.map((example) => (
            <Button key={example} variant="subtle" size="compact-xs" justify="start" ff="monospace" fw={400} onClick={() => onPick(example)}>
              {example}
            </Button>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** The error under the box: the API's rule, and the query with the character it points at marked. */
function ErrorMessage({ error }: { error: QueryError }) {
  const { before, at, after } = markPosition(error.query, error.position);
  return (
    <span>
      <span>
        At character {error.position}: {error.rule}
      </span>
      <Text component="span" display="block" ff="monospace" size="xs" mt={2} c="var(--mantine-color-text)" style={{ whiteSpace: "pre-wrap" }} aria-hidden>
        {before}
        <mark className="query-error-mark">{at}</mark>
        {after}
      </Text>
    </span>
  );
}

/** The search box of the runs table: a query in the API's language, applied on Enter. */
export function RunSearch({ query, error, onSearch }: { query: string; error: QueryError | null; onSearch: (query: string) => void }) {
  const [text, setText] = useState(query);
  useEffect(() => setText(query), [query]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text.trim());
  }

  return (
    <form onSubmit={submit} role="search" aria-label="Search runs" style={{ marginBottom: "var(--mantine-spacing-sm)" }}>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Search"
          labelProps={{ className: "sr-only" }}
          name="q"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          placeholder='Search: accuracy > 0.9 and backbone = "mobilenet-v2-imagenet"'
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            text !== "" ? (
              <CloseButton
                aria-label="Clear search"
                onClick={() => {
                  setText("");
                  onSearch("");
                }}
              />
            ) : null
          }
          spellCheck={false}
          autoComplete="off"
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          error={error && error.query === query ? <ErrorMessage error={error} /> : undefined}
        />
        <Button type="submit" variant="filled">
          Search
        </Button>
        <SearchHelp
          onPick={(example) => {
            setText(example);
            onSearch(example);
          }}
        />
      </Group>
    </form>
  );
}
