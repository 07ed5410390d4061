"use client";
/** The lr_find curve (loss over learning rate, log scale) with fastai's suggestions marked: a small SVG. */
import { formatNumber } from "../../lib/format.ts";
import { type LrFindResult, lrFindScales } from "../../lib/interpretation.ts";

const BOX = { width: 480, height: 260, padding: 36 };

export function LrFindChart({ result }: { result: LrFindResult }) {
  const scales = lrFindScales(result, BOX);
  if (scales.count < 2) return <p className="muted">The lr_find curve has too few points to draw.</p>;
  const suggestions = Object.entries(result.suggestions).flatMap(([name, suggestion]) => (suggestion ? [{ name, ...suggestion }] : []));
  const summary = suggestions.map((suggestion) => `${suggestion.name} ${suggestion.learningRate.toExponential(2)}`).join(", ");
  return (
    <figure className="panel" style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        width="100%"
        role="img"
        aria-label={`lr_find curve over ${scales.count} learning rates; suggestions: ${summary || "none"}`}
        data-testid="lr-find"
      >
        <line x1={BOX.padding} y1={BOX.height - BOX.padding} x2={BOX.width - BOX.padding} y2={BOX.height - BOX.padding} stroke="currentColor" opacity={0.4} />
        <line x1={BOX.padding} y1={BOX.padding} x2={BOX.padding} y2={BOX.height - BOX.padding} stroke="currentColor" opacity={0.4} />
        <path d={scales.path} fill="none" stroke="var(--accent)" strokeWidth={1.5} />
        {suggestions.map((suggestion) => (
          <g key={suggestion.name}>
            <circle cx={scales.x(suggestion.point[0])} cy={scales.y(suggestion.point[1])} r={4} fill="var(--danger)" />
            <text x={scales.x(suggestion.point[0]) + 6} y={scales.y(suggestion.point[1]) - 6} fontSize={11} fill="currentColor">
              {suggestion.name}
            </text>
          </g>
        ))}
        <text x={BOX.padding} y={BOX.height - 8} fontSize={11} fill="currentColor">
          lr 1e{formatNumber(Math.round(scales.xMin * 10) / 10)}
        </text>
        <text x={BOX.width - BOX.padding} y={BOX.height - 8} fontSize={11} fill="currentColor" textAnchor="end">
          lr 1e{formatNumber(Math.round(scales.xMax * 10) / 10)}
        </text>
        <text x={4} y={BOX.padding - 8} fontSize={11} fill="currentColor">
          loss {formatNumber(scales.yMin)}–{formatNumber(scales.yMax)}
        </text>
      </svg>
      <figcaption>Suggested learning rates: {summary || "none"}</figcaption>
    </figure>
  );
}
