"use client";
/**
 * A uPlot line chart of aligned series (built for long series: canvas, no per-point DOM).
 * Drag to zoom on steps (onZoom gets the range, e.g. to re-fetch it at full detail);
 * double-click to zoom out.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { formatNumber } from "../lib/format.ts";
import { alignSeries, type Series } from "../lib/series.ts";

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
export const seriesColor = (index: number) => PALETTE[index % PALETTE.length]!;

/** A series with optional styling (group means, band edges). */
export type ChartSeries = Series & { color?: string; width?: number; dash?: number[] };

interface Props {
  title: string;
  series: ChartSeries[];
  /** Filled areas between two series (indices into series), e.g. mean ± std of a group. */
  bands?: Array<{ upper: number; lower: number; fill: string }>;
  height?: number;
  logScale?: boolean;
  onZoom?: (range: { fromStep: number; toStep: number } | null) => void;
  /** Vertical lines at steps (phase changes), labelled. */
  markers?: Array<{ step: number; label: string }>;
}

/** Draws each marker as a dashed vertical line with its label at the top of the plot area. */
function drawMarkers(chart: uPlot, markers: ReadonlyArray<{ step: number; label: string }>): void {
  const { ctx, bbox } = chart;
  ctx.save();
  ctx.strokeStyle = themeColor("--muted", "#666");
  ctx.fillStyle = ctx.strokeStyle;
  ctx.setLineDash([4, 4]);
  ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
  for (const marker of markers) {
    // A phase that starts before the first plotted step is marked at the left edge.
    const x = Math.max(chart.valToPos(marker.step, "x", true), bbox.left);
    if (x > bbox.left + bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillText(marker.label, x + 4 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
  }
  ctx.restore();
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function options(props: Props, width: number): uPlot.Options {
  const axisColor = themeColor("--fg", "#333");
  const gridColor = themeColor("--border", "#ddd");
  const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
  return {
    width,
    height: props.height ?? 260,
    title: props.title,
    scales: { x: { time: false }, y: props.logScale ? { distr: 3 } : {} },
    axes: [
      { ...axis, label: "step" },
      { ...axis, size: 80, values: (_self: uPlot, splits: number[]) => splits.map((value) => formatNumber(value)) },
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false, setScale: true } },
    series: [
      { label: "step" },
      ...props.series.map((one, i) => ({
        label: one.label,
        stroke: one.color ?? seriesColor(i),
        width: one.width ?? 1.5,
        ...(one.dash ? { dash: one.dash } : {}),
        spanGaps: true,
        points: { show: false },
      })),
    ],
    bands: (props.bands ?? []).map((band) => ({ series: [band.upper + 1, band.lower + 1] as [number, number], fill: band.fill })),
  };
}

export function Chart(props: Props) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = props.series.map((one) => `${one.label}\u0001${one.color ?? ""}`).join("\u0000") + JSON.stringify(props.bands ?? []);
  const zoomed = useRef(false);
  // Time from handing data to uPlot until its draw hook, as a User Timing entry
  // ("chart-draw:<title>") that the benchmark reads.
  const drawStart = useRef<number | null>(null);
  const onZoom = useRef(props.onZoom);
  onZoom.current = props.onZoom;
  const markers = useRef(props.markers ?? []);
  markers.current = props.markers ?? [];

  // Create when the set of series changes; otherwise only the data is replaced (keeping zoom).
  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const chartOptions = options(props, element.clientWidth || 400);
    chartOptions.hooks = {
      draw: [
        (self) => drawMarkers(self, markers.current),
        () => {
          if (drawStart.current === null) return;
          performance.measure(`chart-draw:${props.title}`, { start: drawStart.current });
          drawStart.current = null;
        },
      ],
    };
    drawStart.current = performance.now();
    const chart = new uPlot(chartOptions, alignSeries(props.series) as uPlot.AlignedData, element);
    let userZoom = false;
    chart.over.addEventListener("mousedown", () => (userZoom = true));
    chart.over.addEventListener("dblclick", () => {
      zoomed.current = false;
      onZoom.current?.(null);
    });
    chart.hooks.setScale = [
      (self, scale) => {
        if (scale !== "x" || !userZoom) return;
        userZoom = false;
        zoomed.current = true;
        const min = self.scales.x?.min;
        const max = self.scales.x?.max;
        if (typeof min === "number" && typeof max === "number") onZoom.current?.({ fromStep: Math.floor(min), toStep: Math.ceil(max) });
      },
    ];
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth || 400, height: props.height ?? 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels, props.title, props.height, props.logScale]);

  useEffect(() => {
    // While the user is zoomed in, new data must not reset the visible range.
    if (plot.current === null) return;
    drawStart.current = performance.now();
    plot.current.setData(alignSeries(props.series) as uPlot.AlignedData, !zoomed.current);
  }, [props.series]);

  const markerText = (props.markers ?? []).map((marker) => `${marker.label} from step ${marker.step}`).join(", ");
  useEffect(() => plot.current?.redraw(false, false), [markerText]);

  const summary = props.series.map((one) => `${one.label}: ${one.points.length} points`).join("; ");
  return (
    <figure style={{ margin: 0 }} className="chart">
      <div
        ref={container}
        role="img"
        aria-label={`${props.title} chart. ${summary}${markerText ? `. Phases: ${markerText}` : ""}`}
        data-chart={props.title}
        data-markers={markerText || undefined}
      />
    </figure>
  );
}
