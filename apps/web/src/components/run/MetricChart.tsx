"use client";
/**
 * One metric of a run as a uPlot chart: the raw series (faint once smoothed) and its EMA, an
 * optional baseline line, the recipe's stages shaded on the step axis, a log or linear y scale,
 * and a cursor synced with every chart of the same `syncKey`. What it drew is mirrored in data
 * attributes (scale, smoothing, drawn values, cursor step, stages) for tests and tools, since a
 * canvas has no paths to read.
 */
import { Text, useComputedColorScheme } from "@mantine/core";
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import { formatNumber } from "../../lib/format.ts";
import { emaSmooth, type StageSpan } from "../../lib/run-story.ts";
import type { Sample } from "../../lib/series.ts";
import { seriesColor } from "../Chart.tsx";

export interface MetricChartProps {
  metricKey: string;
  points: Sample[];
  /** EMA weight, 0 (none) to < 1. */
  smoothing: number;
  logScale: boolean;
  syncKey: string;
  spans: StageSpan[];
  baseline?: { label: string; value: number } | undefined;
  colorIndex: number;
  /** The steps every chart of the run spans, so their x axes line up (a per-epoch metric starts at the first epoch's end). */
  stepExtent: [number, number] | null;
  height?: number;
}

const STAGE_FILL: Record<string, string> = {
  frozen: "rgba(34, 139, 230, 0.13)",
  unfrozen: "rgba(250, 176, 5, 0.10)",
};
const BASELINE_COLOR = "#868e96";

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Shades each stage's steps and labels it at the top left of its span, under the series. */
function drawStages(chart: uPlot, spans: readonly StageSpan[]): void {
  const { ctx, bbox } = chart;
  const ratio = devicePixelRatio;
  ctx.save();
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  // uPlot leaves the axis labels' alignment on the context.
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  for (const span of spans) {
    const left = Math.max(chart.valToPos(span.from - 0.5, "x", true), bbox.left);
    const right = Math.min(chart.valToPos(span.to + 0.5, "x", true), bbox.left + bbox.width);
    if (!(right > left)) continue;
    ctx.fillStyle = STAGE_FILL[span.phase] ?? "rgba(134, 142, 150, 0.10)";
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.fillStyle = cssVar("--muted", "#666");
    if (right - left > 48 * ratio) ctx.fillText(span.phase, left + 4 * ratio, bbox.top + 3 * ratio);
  }
  ctx.restore();
}

/** Tick labels short enough for the axis: 2e-5 rather than 2.000e-5. A log scale leaves some ticks unlabelled (null). */
function tick(value: number | null): string {
  if (value === null) return "";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(1).replace(/\.0e/, "e");
  return String(Number(value.toPrecision(4)));
}

function digest(values: ReadonlyArray<number | null | undefined>): string {
  const finite = values.filter((value): value is number => typeof value === "number" && Number.isFinite(value));
  return `${finite.length}:${finite.reduce((sum, value) => sum + value, 0).toPrecision(8)}`;
}

export function MetricChart({ metricKey, points, smoothing, logScale, syncKey, spans, baseline, colorIndex, stepExtent, height = 200 }: MetricChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoomed = useRef(false);
  const scheme = useComputedColorScheme("light");
  const spansRef = useRef(spans);
  spansRef.current = spans;
  const extent = useRef(stepExtent);
  extent.current = stepExtent;
  /** Shows the run's whole step range (not only this series') unless the user zoomed in. */
  const showAllSteps = (chart: uPlot) => {
    if (extent.current !== null && extent.current[1] > extent.current[0]) chart.setScale("x", { min: extent.current[0], max: extent.current[1] });
  };

  // A log scale needs positive values: a series with zeros or negatives stays linear.
  const positive = points.length > 0 && points.every((point) => point.value > 0) && (baseline === undefined || baseline.value > 0);
  const log = logScale && positive;
  const smoothed = smoothing > 0;
  const hasBaseline = baseline !== undefined;
  // uPlot cannot range an empty series: the chart is made once the first points are here.
  const hasPoints = points.length > 0;

  const data = useMemo(() => {
    const steps = points.map((point) => point.step);
    const raw = points.map((point) => point.value);
    const columns: Array<Array<number | null>> = [raw];
    if (smoothed) columns.push(emaSmooth(raw, smoothing));
    if (baseline !== undefined) columns.push(steps.map(() => baseline.value));
    return [steps, ...columns] as uPlot.AlignedData;
  }, [points, smoothing, smoothed, baseline]);

  // Created again when the series, the scale or the colour scheme change; otherwise only the data is replaced.
  useEffect(() => {
    const element = container.current;
    if (element === null || !hasPoints) return;
    const color = seriesColor(colorIndex);
    const axisColor = cssVar("--fg", "#333");
    const gridColor = cssVar("--border", "#ddd");
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const series: uPlot.Series[] = [
      { label: "step" },
      { label: smoothed ? `${metricKey} (raw)` : metricKey, stroke: smoothed ? `${color}55` : color, width: smoothed ? 1 : 1.5, spanGaps: true },
    ];
    if (smoothed) series.push({ label: metricKey, stroke: color, width: 2, spanGaps: true, points: { show: false } });
    if (hasBaseline) series.push({ label: baseline.label, stroke: BASELINE_COLOR, width: 1.5, dash: [6, 4], points: { show: false } });
    const mirror = (chart: uPlot) => {
      const y = chart.scales.y;
      element.dataset.yScale = y?.distr === 3 ? "log" : "linear";
      element.dataset.yRange = `${formatNumber(y?.min)}..${formatNumber(y?.max)}`;
      element.dataset.drawn = digest((chart.data[smoothed ? 2 : 1] ?? []) as Array<number | null>);
    };
    const chart = new uPlot(
      {
        width: element.clientWidth || 360,
        height,
        scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : {} },
        axes: [
          { ...axis, label: "step", labelSize: 18, size: 36 },
          { ...axis, size: 64, values: (_self: uPlot, splits: number[]) => (splits as Array<number | null>).map(tick) },
        ],
        legend: { live: true },
        cursor: { sync: { key: syncKey, scales: ["x", null] }, drag: { x: true, y: false, setScale: true } },
        series,
        hooks: {
          drawAxes: [(self) => drawStages(self, spansRef.current)],
          draw: [mirror],
          setCursor: [
            (self) => {
              const left = self.cursor.left ?? -1;
              element.dataset.cursorStep = left >= 0 ? String(Math.round(self.posToVal(left, "x"))) : "";
            },
          ],
          setScale: [
            (self, scale) => {
              if (scale !== "x") return;
              const [first, last] = [self.data[0][0], self.data[0][self.data[0].length - 1]];
              zoomed.current = first !== undefined && last !== undefined && ((self.scales.x?.min ?? first) > first || (self.scales.x?.max ?? last) < last);
            },
          ],
        },
      },
      data,
      element,
    );
    plot.current = chart;
    showAllSteps(chart);
    chart.over.addEventListener("dblclick", () => showAllSteps(chart));
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth || 360, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // The data is handed over by the effect below; a new chart starts from the data at hand.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [metricKey, hasPoints, smoothed, hasBaseline, baseline?.label, log, syncKey, colorIndex, height, scheme]);

  useEffect(() => {
    // New points keep the user's zoom; otherwise the scales follow the data.
    if (plot.current === null) return;
    const reset = !zoomed.current;
    plot.current.setData(data, reset);
    if (reset) showAllSteps(plot.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, stepExtent?.[0], stepExtent?.[1]]);

  const stageText = spans.map((span) => `${span.phase} ${span.from}–${span.to}`).join(", ");
  useEffect(() => plot.current?.redraw(false, false), [stageText]);

  const markers = spans.map((span) => `${span.phase} from step ${span.from}`).join(", ");
  const last = points[points.length - 1];
  return (
    <figure className="chart metric-chart" style={{ margin: 0 }}>
      <figcaption className="metric-chart-title">
        <Text component="span" fw={600} size="sm" ff="monospace">
          {metricKey}
        </Text>
        <Text component="span" size="xs" c="dimmed">
          {last ? `last ${formatNumber(last.value)} at step ${last.step}` : "no points yet"}
          {logScale && !positive && points.length > 0 ? " · linear (values ≤ 0)" : ""}
        </Text>
      </figcaption>
      <div
        ref={container}
        role="img"
        aria-label={`${metricKey} chart. ${metricKey}: ${points.length} points${baseline ? `; ${baseline.label} ${formatNumber(baseline.value)}` : ""}${markers ? `. Phases: ${markers}` : ""}`}
        data-chart={metricKey}
        data-smoothing={smoothing}
        data-markers={markers || undefined}
        data-stages={stageText || undefined}
      />
    </figure>
  );
}
