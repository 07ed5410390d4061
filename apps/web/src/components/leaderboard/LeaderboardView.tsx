"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "urql";
import type { Direction, LeaderboardGroupBy, SummaryField } from "../../gql/graphql.ts";
import { DatasetMetricKeysDocument, LeaderboardDocument } from "../../graphql/leaderboard.ts";
import { formatNumber } from "../../lib/format.ts";

const GROUPS: Array<{ value: LeaderboardGroupBy; label: string }> = [
  { value: "ARCHITECTURE", label: "Best per architecture" },
  { value: "GROUP_KEY", label: "Groups (folds, seeds): mean ± std" },
  { value: "EXPERIMENT", label: "Per experiment" },
  { value: "RUN", label: "Every run" },
];

interface Options {
  datasetId: string;
  metric: string;
  direction: Direction;
  groupBy: LeaderboardGroupBy;
  summary: SummaryField;
}

function readOptions(query: URLSearchParams, datasets: Array<{ id: string }>): Options {
  const pick = <T extends string>(value: string | null, allowed: T[], fallback: T) => (allowed.includes(value as T) ? (value as T) : fallback);
  return {
    datasetId: query.get("dataset") ?? datasets[0]?.id ?? "",
    metric: query.get("metric") ?? "",
    direction: pick(query.get("direction"), ["MAX", "MIN"], "MAX"),
    groupBy: pick(query.get("groupBy"), GROUPS.map((group) => group.value), "ARCHITECTURE"),
    summary: pick(query.get("summary"), ["LAST", "MIN", "MAX"], "LAST"),
  };
}

export function LeaderboardView({ datasets }: { datasets: Array<{ id: string; name: string }> }) {
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams();
  const options = readOptions(query, datasets);
  const set = (changes: Partial<Record<"dataset" | "metric" | "direction" | "groupBy" | "summary", string>>) => {
    const next = new URLSearchParams(query);
    for (const [name, value] of Object.entries(changes)) next.set(name, value);
    router.replace(`${pathname}?${next}`, { scroll: false });
  };

  const [{ data: keysData }] = useQuery({ query: DatasetMetricKeysDocument, variables: { datasetId: options.datasetId }, pause: options.datasetId === "" });
  const metricKeys = [...new Set(keysData?.runs.nodes.flatMap((run) => run.metrics.map((metric) => metric.key)) ?? [])].sort();
  const metric = options.metric || metricKeys.find((key) => /acc/i.test(key)) || metricKeys[0] || "";
  const [{ data, fetching, error }] = useQuery({
    query: LeaderboardDocument,
    variables: { datasetId: options.datasetId, metric, direction: options.direction, groupBy: options.groupBy, summary: options.summary },
    pause: options.datasetId === "" || metric === "",
  });

  if (datasets.length === 0) return <p>No datasets registered in this team yet.</p>;
  return (
    <>
      <h1>Leaderboard</h1>
      <form className="row panel" aria-label="Leaderboard options" onSubmit={(event) => event.preventDefault()}>
        <label>
          Dataset{" "}
          <select value={options.datasetId} onChange={(event) => set({ dataset: event.target.value, metric: "" })}>
            {datasets.map((dataset) => (
              <option key={dataset.id} value={dataset.id}>
                {dataset.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Metric{" "}
          <input list="metric-keys" value={metric} onChange={(event) => set({ metric: event.target.value })} size={16} />
          <datalist id="metric-keys">
            {metricKeys.map((key) => (
              <option key={key} value={key} />
            ))}
          </datalist>
        </label>
        <label>
          Better is{" "}
          <select value={options.direction} onChange={(event) => set({ direction: event.target.value })}>
            <option value="MAX">higher</option>
            <option value="MIN">lower</option>
          </select>
        </label>
        <label>
          Summary{" "}
          <select value={options.summary} onChange={(event) => set({ summary: event.target.value })}>
            <option value="LAST">last</option>
            <option value="MIN">min</option>
            <option value="MAX">max</option>
          </select>
        </label>
        <label>
          Rank{" "}
          <select value={options.groupBy} onChange={(event) => set({ groupBy: event.target.value })}>
            {GROUPS.map((group) => (
              <option key={group.value} value={group.value}>
                {group.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <table aria-busy={fetching} aria-label={`Leaderboard by ${metric}`}>
        <thead>
          <tr>
            <th scope="col" className="num">Rank</th>
            <th scope="col">Group</th>
            <th scope="col">Best run</th>
            <th scope="col" className="num">Best</th>
            <th scope="col" className="num">Mean ± std</th>
            <th scope="col" className="num">Runs</th>
            <th scope="col">All runs</th>
          </tr>
        </thead>
        <tbody>
          {data?.leaderboard.entries.map((entry) => (
            <tr key={entry.group}>
              <td className="num">{entry.rank}</td>
              <td>{entry.group}</td>
              <td>
                <Link href={`/runs/${entry.bestRun.id}`}>{entry.bestRun.name}</Link>
                {entry.bestRun.architecture && <span className="muted"> ({entry.bestRun.architecture.name})</span>}
              </td>
              <td className="num">{formatNumber(entry.best)}</td>
              <td className="num">
                {formatNumber(entry.mean)} ± {formatNumber(entry.std)}
              </td>
              <td className="num">{entry.runCount}</td>
              <td>
                <Link href={`/compare?runs=${entry.runs.map((run) => run.id).join(",")}`} aria-label={`Compare the ${entry.runCount} runs of ${entry.group}`}>
                  compare
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.leaderboard.entries.length === 0 && <p className="muted">No finished runs report {metric} on this dataset.</p>}
    </>
  );
}
