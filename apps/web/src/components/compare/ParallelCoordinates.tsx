"use client";
/** Parallel coordinates from the runs' differing params to a metric (a small SVG); each run a line, coloured by the metric. */
import Link from "next/link";
import { formatNumber } from "../../lib/format.ts";
import { type PcAxis, type PcRun, parallelAxes, runPositions } from "../../lib/parallel-coordinates.ts";

const WIDTH = 900;
const HEIGHT = 300;
const PAD = { top: 44, bottom: 36, side: 60 };

/** Long dotted keys (transfer.stage_0.lr_group_1) keep their last two parts on the axis; the title has all. */
function shortKey(key: string): string {
  const parts = key.split(".");
  return parts.length > 2 ? `…${parts.slice(-2).join(".")}` : key;
}

function axisTicks(axis: PcAxis): [string, string] {
  if (axis.kind === "category") return [axis.categories[0] ?? "", axis.categories[axis.categories.length - 1] ?? ""];
  return [formatNumber(axis.min), formatNumber(axis.max)];
}

/** Low metric values blue, high ones red. */
function metricColor(position: number | null): string {
  if (position === null) return "var(--muted)";
  return `hsl(${Math.round(220 - 220 * position)} 70% 50%)`;
}

export function ParallelCoordinates({ runs, metricKey }: { runs: PcRun[]; metricKey: string }) {
  const axes = parallelAxes(runs, metricKey);
  if (axes.length < 2) return <p className="muted">Parallel coordinates need at least one param that differs and the metric {metricKey}.</p>;
  const x = (i: number) => PAD.side + (i * (WIDTH - 2 * PAD.side)) / (axes.length - 1);
  const y = (position: number) => HEIGHT - PAD.bottom - position * (HEIGHT - PAD.top - PAD.bottom);
  const hasMetric = axes[axes.length - 1]!.key === metricKey;
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={`Parallel coordinates of ${runs.length} runs over ${axes.map((axis) => axis.key).join(", ")}`}
      data-testid="parallel-coordinates"
    >
      {runs.map((run) => {
        const positions = runPositions(run, axes, metricKey);
        const segments = positions.flatMap((position, i) => (position === null ? [] : [`${x(i).toFixed(1)},${y(position).toFixed(1)}`]));
        return (
          <Link key={run.id} href={`/runs/${run.id}`}>
            <polyline
              points={segments.join(" ")}
              fill="none"
              stroke={metricColor(hasMetric ? (positions[positions.length - 1] ?? null) : null)}
              strokeWidth={1.5}
              opacity={0.8}
              data-run={run.name}
            >
              <title>{`${run.name}: ${metricKey} ${formatNumber(run.metric)}`}</title>
            </polyline>
          </Link>
        );
      })}
      {axes.map((axis, i) => {
        const [low, high] = axisTicks(axis);
        return (
          <g key={axis.key}>
            <line x1={x(i)} x2={x(i)} y1={PAD.top} y2={HEIGHT - PAD.bottom} stroke="currentColor" opacity={0.5} />
            {/* Labels alternate between two rows so that neighbours do not overlap. */}
            <text x={x(i)} y={i % 2 === 0 ? 12 : 26} fontSize={11} textAnchor="middle" fill="currentColor" fontWeight={axis.key === metricKey ? 700 : 400}>
              <title>{axis.key}</title>
              {shortKey(axis.key)}
              {axis.kind === "number" && axis.log ? " (log)" : ""}
            </text>
            <text x={x(i)} y={PAD.top - 2} fontSize={10} textAnchor="middle" fill="currentColor" opacity={0.7}>
              {high}
            </text>
            <text x={x(i)} y={HEIGHT - PAD.bottom + 14} fontSize={10} textAnchor="middle" fill="currentColor" opacity={0.7}>
              {low}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
