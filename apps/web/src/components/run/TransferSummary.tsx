"use client";
/**
 * The transfer story at a glance: backbone, the recipe that trained the model (AUTO's choice and
 * its reason), the recipe's stages as a bar in epochs (coloured like the charts' shading), and
 * the linear probe's accuracy beside the fine-tuned score.
 */
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from "@mantine/core";
import { formatNumber } from "../../lib/format.ts";
import { PROBE_KEY, scoreKey, type TransferStory } from "../../lib/run-story.ts";

interface MetricSummary {
  key: string;
  last: number;
}

const PHASE_TEXT: Record<string, string> = {
  probe: "linear probe written into the head",
  frozen: "backbone frozen, head trains",
  unfrozen: "every layer trains",
};

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <div style={{ overflowWrap: "anywhere" }}>{children}</div>
    </Stack>
  );
}

export function TransferSummary({ story, metrics }: { story: TransferStory; metrics: MetricSummary[] }) {
  const probe = metrics.find((metric) => metric.key === PROBE_KEY);
  const key = scoreKey(metrics.map((metric) => metric.key));
  const score = key === null ? undefined : metrics.find((metric) => metric.key === key);
  const trained = story.stages.filter((stage) => stage.epochs > 0);
  const totalEpochs = trained.reduce((sum, stage) => sum + stage.epochs, 0);
  if (story.backbone === null && story.recipe === null && probe === undefined && story.stages.length === 0) return null;
  const gain = probe !== undefined && score !== undefined ? score.last - probe.last : undefined;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Transfer learning" miw={0}>
      <Title order={2} size="h3" mt={0} mb="sm">
        Transfer learning
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" verticalSpacing="md">
        <Fact label="Backbone">
          <Text ff="monospace" size="sm" data-testid="backbone">
            {story.backbone ?? "–"}
          </Text>
        </Fact>
        <Fact label="Recipe">
          <Group gap={6} wrap="wrap">
            <Badge variant="light" data-testid="recipe">
              {story.recipe ?? "–"}
            </Badge>
            {story.launchedRecipe && (
              <Text size="xs" c="dimmed">
                chosen by {story.launchedRecipe}
              </Text>
            )}
          </Group>
          {story.autoReason && (
            <Text size="xs" c="dimmed" mt={4} data-testid="auto-reason">
              {story.autoReason}
            </Text>
          )}
        </Fact>
        <Fact label="Probe baseline">
          {probe ? (
            <Text size="lg" fw={600} ff="monospace" data-testid="probe-baseline">
              {formatNumber(probe.last)}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Not recorded yet (the worker logs {PROBE_KEY} at the end).
            </Text>
          )}
          <Text size="xs" c="dimmed">
            linear probe on the frozen backbone
          </Text>
        </Fact>
        <Fact label={key === null ? "Fine-tuned score" : `Fine-tuned ${key}`}>
          {score ? (
            <Group gap="xs" align="baseline">
              <Text size="lg" fw={600} ff="monospace" data-testid="fine-tuned-score">
                {formatNumber(score.last)}
              </Text>
              {gain !== undefined && (
                <Text size="sm" fw={600} c={gain >= 0 ? "teal" : "red"} data-testid="gain-over-probe">
                  {gain >= 0 ? "+" : "−"}
                  {formatNumber(Math.abs(gain))} vs probe
                </Text>
              )}
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              No accuracy metric yet.
            </Text>
          )}
        </Fact>
      </SimpleGrid>
      {story.stages.length > 0 && (
        <Stack gap={6} mt="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Stages{story.freezeSchedule ? ` · ${story.freezeSchedule}` : ""}
          </Text>
          {totalEpochs > 0 && (
            <div className="stage-bar" role="list" aria-label="Stages by epochs">
              {trained.map((stage) => (
                <Tooltip key={stage.index} label={`${PHASE_TEXT[stage.phase] ?? stage.phase}: ${stage.epochs} epochs`}>
                  <div role="listitem" className={`stage-bar-part stage-${stage.phase}`} style={{ flexGrow: stage.epochs }}>
                    {stage.phase} · {stage.epochs} ep
                  </div>
                </Tooltip>
              ))}
            </div>
          )}
          <Group component="ol" gap="lg" className="stage-list" aria-label="Stages">
            {story.stages.map((stage) => (
              <li key={stage.index}>
                <Text size="sm" span fw={600}>
                  {stage.index}. {stage.phase || "stage"}
                </Text>{" "}
                <Text size="sm" span c="dimmed">
                  {stage.epochs > 0 ? `${stage.epochs} epoch${stage.epochs === 1 ? "" : "s"}` : (PHASE_TEXT[stage.phase] ?? "no epochs")}
                  {stage.learningRates.length > 0 && ` · lr ${stage.learningRates.map((lr) => String(Number(lr.toPrecision(3)))).join(" / ")}`}
                </Text>
              </li>
            ))}
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
