"use client";
import { Badge, Button, Checkbox, CloseButton, Group, NativeSelect, Paper, Text, TextInput } from "@mantine/core";
import { IconFilterPlus } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import type { RunStatus, SummaryField } from "../../gql/graphql.ts";
import { RUN_STATUSES, SUMMARY_FIELDS, parseParamValue, type ParamCondition, type RunsView } from "../../lib/runs-view.ts";

function describeParam(condition: ParamCondition): string {
  if ("equals" in condition) return `${condition.key} = ${String(condition.equals)}`;
  return `${condition.gte ?? "−∞"} ≤ ${condition.key} ≤ ${condition.lte ?? "∞"}`;
}

const optionalNumber = (text: FormDataEntryValue | null) => (text === null || text === "" ? undefined : Number(text));

/** Status, tags, param and metric conditions; each change goes to the URL through onChange. */
export function RunFilters({ view, onChange }: { view: RunsView; onChange: (view: RunsView) => void }) {
  const [error, setError] = useState<string | null>(null);

  function toggleStatus(status: RunStatus) {
    const next = view.status.includes(status) ? view.status.filter((s) => s !== status) : [...view.status, status];
    onChange({ ...view, status: next });
  }

  function addCondition(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kind = String(form.get("kind"));
    const key = String(form.get("key") ?? "").trim();
    const min = optionalNumber(form.get("min"));
    const max = optionalNumber(form.get("max"));
    const equals = String(form.get("equals") ?? "");
    if (key === "") return setError("key: enter a param or metric name");
    if ([min, max].some((bound) => bound !== undefined && !Number.isFinite(bound))) return setError("min/max: must be numbers");
    if (kind === "tag") onChange({ ...view, tags: [...view.tags, key] });
    else if (kind === "param" && equals !== "") onChange({ ...view, params: [...view.params, { key, equals: parseParamValue(equals) }] });
    else if (min === undefined && max === undefined) return setError("min/max: give a value, a min or a max");
    else if (kind === "param") onChange({ ...view, params: [...view.params, { key, gte: min, lte: max }] });
    else onChange({ ...view, metrics: [...view.metrics, { key, field: String(form.get("field")) as SummaryField, gte: min, lte: max }] });
    setError(null);
    event.currentTarget.reset();
  }

  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label="Filters">
      <Group component="fieldset" gap="md" style={{ border: 0, margin: 0, padding: 0 }}>
        <Text component="legend" size="sm" fw={600} mb={6}>
          Status
        </Text>
        {RUN_STATUSES.map((status) => (
          <Checkbox key={status} size="sm" label={status.toLowerCase()} checked={view.status.includes(status)} onChange={() => toggleStatus(status)} />
        ))}
      </Group>
      <form onSubmit={addCondition} aria-label="Add a filter">
        <Group align="flex-end" gap="xs" mt="sm">
          <NativeSelect label="Filter on" name="kind" defaultValue="metric" size="xs" data={["metric", "param", "tag"]} />
          <TextInput label="Key" name="key" size="xs" w={160} />
          <NativeSelect label="Summary" name="field" defaultValue="LAST" size="xs" data={SUMMARY_FIELDS} />
          <TextInput label="Min" name="min" size="xs" w={80} inputMode="decimal" />
          <TextInput label="Max" name="max" size="xs" w={80} inputMode="decimal" />
          <TextInput label="Param equals" name="equals" size="xs" w={120} />
          <Button type="submit" size="xs" variant="light" leftSection={<IconFilterPlus size={14} aria-hidden />}>
            Add filter
          </Button>
        </Group>
        {error && (
          <Text role="alert" className="error" size="sm" mt={4}>
            {error}
          </Text>
        )}
      </form>
      <Group
        component="ul"
        gap={6}
        mt={view.tags.length + view.params.length + view.metrics.length > 0 ? "sm" : 0}
        aria-label="Active filters"
        style={{ listStyle: "none", padding: 0, marginBottom: 0 }}
      >
        {view.tags.map((tag, index) => (
          <ActiveFilter key={`t${index}`} label={`tag ${tag}`} onRemove={() => onChange({ ...view, tags: view.tags.filter((_, i) => i !== index) })} />
        ))}
        {view.params.map((param, index) => (
          <ActiveFilter
            key={`p${index}`}
            label={`param ${describeParam(param)}`}
            onRemove={() => onChange({ ...view, params: view.params.filter((_, i) => i !== index) })}
          />
        ))}
        {view.metrics.map((metric, index) => (
          <ActiveFilter
            key={`m${index}`}
            label={`${metric.gte ?? "−∞"} ≤ ${metric.key} (${metric.field.toLowerCase()}) ≤ ${metric.lte ?? "∞"}`}
            onRemove={() => onChange({ ...view, metrics: view.metrics.filter((_, i) => i !== index) })}
          />
        ))}
      </Group>
    </Paper>
  );
}

function ActiveFilter({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <li>
      <Badge variant="light" radius="xl" tt="none" size="lg" rightSection={<CloseButton size="xs" onClick={onRemove} aria-label={`Remove filter ${label}`} />}>
        {label}
      </Badge>
    </li>
  );
}
