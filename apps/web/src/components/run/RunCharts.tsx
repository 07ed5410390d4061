"use client";
/**
 * Live charts of one run, one per metric key, in a responsive grid: downsampled history per key
 * from metricHistory (at most HISTORY_POINTS a series), then every append pushed by the
 * metricsAppended subscription merged in (a series that grows past twice that is read again,
 * downsampled). A smoothing slider (TensorBoard's EMA) and a log-scale switch apply to every
 * chart; their cursors are synced. The recipe's stages are shaded on every chart and the linear
 * probe's accuracy is drawn as a baseline on the score's chart.
 */
import { Group, Paper, Slider, Switch, Text, Title } from "@mantine/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClient, useSubscription } from "urql";
import { MetricHistoryDocument, MetricsAppendedDocument } from "../../graphql/metrics.ts";
import { chartKeys, PHASE_KEY, PROBE_KEY, scoreKey, stageSpans, type StageInfo } from "../../lib/run-story.ts";
import { mergePoints, type Sample } from "../../lib/series.ts";
import { MetricChart } from "./MetricChart.tsx";

const HISTORY_POINTS = 1000;
/** Per-epoch keys whose points mark where epochs ended (for placing stages without a phase metric). */
const EPOCH_KEYS = ["valid_loss", "epoch_seconds", "train_loss_epoch"];
type SeriesByKey = Record<string, Sample[]>;

interface Props {
  runId: string;
  initialKeys: string[];
  live: boolean;
  stages: StageInfo[];
}

export function RunCharts({ runId, initialKeys, live, stages }: Props) {
  const client = useClient();
  const [series, setSeries] = useState<SeriesByKey>({});
  const [error, setError] = useState<string | null>(null);
  const [smoothing, setSmoothing] = useState(0);
  const [logScale, setLogScale] = useState(false);
  const reading = useRef(new Set<string>());
  const keyList = initialKeys.join("\u0000");

  /** Reads a key's downsampled history; points appended after its last step are kept. */
  const readHistory = useCallback(
    async (key: string) => {
      if (reading.current.has(key)) return;
      reading.current.add(key);
      const result = await client.query(MetricHistoryDocument, { runId, key, maxPoints: HISTORY_POINTS }, { requestPolicy: "network-only" }).toPromise();
      reading.current.delete(key);
      if (result.error) return setError(result.error.message);
      const points = result.data?.metricHistory.points ?? [];
      const lastStep = points[points.length - 1]?.step ?? -Infinity;
      setSeries((current) => ({
        ...current,
        [key]: mergePoints(
          points,
          (current[key] ?? []).filter((point) => point.step > lastStep),
        ),
      }));
    },
    [client, runId],
  );

  // Each key's history is read once (keys the run page learns later too); a new run starts over.
  const requested = useRef({ runId, keys: new Set<string>() });
  useEffect(() => {
    if (requested.current.runId !== runId) {
      requested.current = { runId, keys: new Set() };
      setSeries({});
    }
    for (const key of keyList === "" ? [] : keyList.split("\u0000")) {
      if (requested.current.keys.has(key)) continue;
      requested.current.keys.add(key);
      void readHistory(key);
    }
  }, [runId, keyList, readHistory]);

  useSubscription({ query: MetricsAppendedDocument, variables: { runId }, pause: !live }, (_previous: true | undefined, event): true => {
    const byKey = new Map<string, Sample[]>();
    for (const point of event.metricsAppended.points) byKey.set(point.key, [...(byKey.get(point.key) ?? []), { step: point.step, value: point.value }]);
    setSeries((current) => {
      const next = { ...current };
      for (const [key, points] of byKey) next[key] = mergePoints(current[key] ?? [], points);
      return next;
    });
    return true;
  });

  // Keep every series bounded while the run trains.
  useEffect(() => {
    for (const [key, points] of Object.entries(series)) if (points.length > 2 * HISTORY_POINTS) void readHistory(key);
  }, [series, readHistory]);

  const keys = useMemo(() => chartKeys([...new Set([...(keyList === "" ? [] : keyList.split("\u0000")), ...Object.keys(series)])]), [keyList, series]);
  const phase = series[PHASE_KEY];
  const epochKey = EPOCH_KEYS.find((key) => (series[key]?.length ?? 0) > 0);
  const epochSeries = epochKey === undefined ? undefined : series[epochKey];
  const spans = useMemo(
    () =>
      stageSpans(
        phase ?? [],
        stages,
        (epochSeries ?? []).map((point) => point.step),
      ),
    [phase, stages, epochSeries],
  );
  const probe = series[PROBE_KEY]?.at(-1)?.value;
  const score = scoreKey(keys);
  const baseline = useMemo(() => (probe === undefined ? undefined : { label: "probe baseline", value: probe }), [probe]);

  const stepExtent = useMemo((): [number, number] | null => {
    const drawn = keys.map((key) => series[key] ?? []).filter((points) => points.length > 0);
    if (drawn.length === 0) return null;
    return [Math.min(...drawn.map((points) => points[0]!.step)), Math.max(...drawn.map((points) => points[points.length - 1]!.step))];
  }, [keys, series]);

  if (keys.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Charts">
      <Group justify="space-between" align="center" gap="md" mb="sm" wrap="wrap">
        <Group gap="xs" align="baseline">
          <Title order={2} size="h3" m={0}>
            Charts
          </Title>
          <Text size="sm" c="dimmed" aria-live="polite">
            {keys.length} metrics{live ? " · live" : ""}
          </Text>
        </Group>
        <Group gap="lg" align="center" wrap="wrap">
          <Group gap="xs" align="center" wrap="nowrap">
            <Text size="sm" aria-hidden>
              Smoothing
            </Text>
            <Slider
              w={180}
              min={0}
              max={0.99}
              step={0.01}
              value={smoothing}
              onChange={setSmoothing}
              label={(value) => value.toFixed(2)}
              thumbLabel="Smoothing"
              data-testid="smoothing"
            />
            <Text size="sm" ff="monospace" w="3ch" aria-hidden>
              {smoothing.toFixed(2)}
            </Text>
          </Group>
          <Switch label="Log scale" checked={logScale} onChange={(event) => setLogScale(event.currentTarget.checked)} />
        </Group>
      </Group>
      {error && (
        <Text role="alert" c="red" size="sm">
          {error}
        </Text>
      )}
      {spans.length > 0 && (
        <Group gap="md" mb="xs" aria-label="Stage legend">
          {[...new Set(spans.map((span) => span.phase))].map((name) => (
            <Group key={name} gap={6} align="center">
              <span className={`stage-swatch stage-${name}`} aria-hidden />
              <Text size="xs" c="dimmed">
                {name === "frozen" ? "frozen backbone (head only)" : name === "unfrozen" ? "unfrozen (every layer)" : name}
              </Text>
            </Group>
          ))}
        </Group>
      )}
      <div className="chart-grid">
        {keys.map((key, i) => (
          <MetricChart
            key={key}
            metricKey={key}
            points={series[key] ?? []}
            smoothing={smoothing}
            logScale={logScale}
            syncKey={`run-${runId}`}
            spans={spans}
            baseline={key === score ? baseline : undefined}
            colorIndex={i}
            stepExtent={stepExtent}
          />
        ))}
      </div>
    </Paper>
  );
}
