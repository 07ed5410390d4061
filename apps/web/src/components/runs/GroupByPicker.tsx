"use client";
import { Select } from "@mantine/core";
import { IconStack2 } from "@tabler/icons-react";
import { useQuery } from "urql";
import { RunKeysDocument } from "../../graphql/runs.ts";
import { groupByToText, type GroupBy, type RunsView } from "../../lib/runs-view.ts";

const BUILT_IN = [
  { value: "GROUP_KEY", label: "Sweep / k-fold group" },
  { value: "BACKBONE", label: "Backbone" },
  { value: "RECIPE", label: "Recipe" },
  { value: "STATUS", label: "Status" },
  { value: "TAG", label: "Tag" },
];

/** Group the table's rows by a run field or any param of the team's runs. */
export function GroupByPicker({ teamId, view, onChange }: { teamId: string; view: RunsView; onChange: (view: RunsView) => void }) {
  const [{ data }] = useQuery({ query: RunKeysDocument, variables: { teamId } });
  const params = (data?.paramKeys ?? []).map((key) => ({ value: `PARAM:${key}`, label: `params.${key}` }));
  const current = view.groupBy === null ? null : groupByToText(view.groupBy);
  // a grouping from the URL stays choosable before the keys arrive
  if (current?.startsWith("PARAM:") && !params.some((option) => option.value === current))
    params.unshift({ value: current, label: `params.${current.slice(6)}` });

  function choose(value: string | null) {
    if (value === null || value === "") return onChange({ ...view, groupBy: null });
    const groupBy: GroupBy = value.startsWith("PARAM:") ? { field: "PARAM", key: value.slice(6) } : { field: value as Exclude<GroupBy["field"], "PARAM"> };
    onChange({ ...view, groupBy });
  }

  return (
    <Select
      size="xs"
      label="Group by"
      placeholder="No grouping"
      value={current}
      onChange={choose}
      clearable
      searchable
      nothingFoundMessage="No such param"
      leftSection={<IconStack2 size={14} aria-hidden />}
      data={[
        { group: "Runs", items: BUILT_IN },
        { group: "Params", items: params },
      ]}
      w={240}
      styles={{ root: { display: "flex", alignItems: "center", gap: 8 }, label: { marginBottom: 0, whiteSpace: "nowrap" } }}
      comboboxProps={{ width: 280, position: "bottom-end" }}
    />
  );
}
