/** Seeds a project, a dataset, architectures, runs, params and metric curves through GraphQL. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { gql, type ApiStack } from "./stack.ts";

type Stack = Pick<ApiStack, "apiUrl" | "token" | "teamId">;

export interface SeededCatalog {
  projectId: string;
  datasetId: string;
  architectureIds: string[];
}

/** `sourceRoot`: a folder inside the API's source roots (registered paths must lie there). */
export async function seedCatalog(stack: Stack, sourceRoot: string): Promise<SeededCatalog> {
  const datasetFolder = path.join(sourceRoot, "ants_bees");
  mkdirSync(datasetFolder, { recursive: true });
  const { createProject } = await gql<{ createProject: { id: string } }>(stack, `mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }`, {
    i: { teamId: stack.teamId, name: "pets", description: "Oxford pets fine-tuning" },
  });
  const { registerDataset } = await gql<{ registerDataset: { id: string } }>(
    stack,
    `mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { id } }`,
    {
      i: {
        teamId: stack.teamId,
        name: "ants-bees",
        kind: "IMAGE_FOLDER",
        sourceUri: datasetFolder,
        classNames: ["ants", "bees"],
        splitCounts: { train: { ants: 120, bees: 121 }, valid: { ants: 70, bees: 83 } },
        contentHash: "9f2c1e7a4b8d3f60c5a2e1d7b9f4c3a8e6d2b1c0f9e8d7c6b5a4f3e2d1c0b9a8",
      },
    },
  );
  const architectureIds: string[] = [];
  for (const [name, parameterCount] of [
    ["mobilenet_v2", 2_257_984],
    ["mobilenet_v1", 3_228_864],
  ] as const) {
    const { registerArchitecture } = await gql<{ registerArchitecture: { id: string } }>(
      stack,
      `mutation($i: RegisterArchitectureInput!) { registerArchitecture(input: $i) { id } }`,
      {
        i: { teamId: stack.teamId, name, family: "mobilenet", sourceFormat: "TFLITE", inputSize: [3, 224, 224], parameterCount, pretrainedOn: "imagenet" },
      },
    );
    architectureIds.push(registerArchitecture.id);
  }
  return { projectId: createProject.id, datasetId: registerDataset.id, architectureIds };
}

export interface RunSpec {
  name: string;
  architectureIndex: number;
  learningRate: number;
  seed: number;
  groupKey?: string;
  tags: string[];
  /** Final validation accuracy the curve converges to. */
  accuracy: number;
  finish: "SUCCEEDED" | "FAILED" | null;
}

/** Creates runs in batches of aliased mutations (one request per batch); returns their ids. */
export async function createRuns(stack: Stack, catalog: SeededCatalog, specs: RunSpec[], batchSize = 100): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < specs.length; start += batchSize) {
    const batch = specs.slice(start, start + batchSize);
    const fields = batch.map((_, i) => `r${i}: createRun(input: $i${i}) { id }`).join("\n");
    const declarations = batch.map((_, i) => `$i${i}: CreateRunInput!`).join(", ");
    const variables = Object.fromEntries(
      batch.map((spec, i) => [
        `i${i}`,
        {
          projectId: catalog.projectId,
          name: spec.name,
          datasetId: catalog.datasetId,
          architectureId: catalog.architectureIds[spec.architectureIndex],
          seed: spec.seed,
          groupKey: spec.groupKey,
          tags: spec.tags,
          hyperparameters: { lr: spec.learningRate, epochs: 4, optimizer: { name: "adamw", weight_decay: 0.01 } },
        },
      ]),
    );
    const data = await gql<Record<string, { id: string }>>(stack, `mutation(${declarations}) {\n${fields}\n}`, variables);
    ids.push(...batch.map((_, i) => data[`r${i}`]!.id));
  }
  return ids;
}

/** A deterministic training curve: loss falls and accuracy rises toward `accuracy`. */
export function curvePoints(accuracy: number, steps: number, every = 1) {
  const points: Array<{ key: string; step: number; value: number }> = [];
  for (let step = 0; step < steps; step += every) {
    const progress = 1 - Math.exp(-step / (steps / 4));
    const wiggle = 0.01 * Math.sin(step / 7);
    points.push({ key: "train_loss", step, value: 1.2 * (1 - progress) + 0.1 + wiggle });
    points.push({ key: "valid_accuracy", step, value: 0.5 + (accuracy - 0.5) * progress });
    points.push({ key: "lr", step, value: 0.001 * Math.cos((Math.PI * step) / (2 * steps)) });
  }
  return points;
}

export async function logPoints(stack: Stack, runId: string, points: Array<{ key: string; step: number; value: number }>): Promise<void> {
  for (let start = 0; start < points.length; start += 10_000) {
    await gql(stack, `mutation($r: ID!, $p: [MetricPointInput!]!) { logMetrics(runId: $r, points: $p) { inserted } }`, {
      r: runId,
      p: points.slice(start, start + 10_000),
    });
  }
}

export async function finishRuns(stack: Stack, runs: Array<{ id: string; status: "SUCCEEDED" | "FAILED" }>, batchSize = 100): Promise<void> {
  for (let start = 0; start < runs.length; start += batchSize) {
    const batch = runs.slice(start, start + batchSize);
    const fields = batch.map((run, i) => `f${i}: finishRun(runId: "${run.id}", status: ${run.status}) { id }`).join("\n");
    await gql(stack, `mutation {\n${fields}\n}`);
  }
}
