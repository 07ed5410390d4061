/**
 * Datasets and architectures registered from real sources on the server: the trainer reads
 * the folder/CSV (class names, counts, content hash) or loads the model (input size,
 * parameter count), so nothing is typed in by hand. Server paths are confined to the source
 * roots (source-paths.ts). importDataset (import-dataset.ts) picks the image or the converted path.
 */
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { type ArchitectureFormat, type ArchitectureRecord, badInput, type DatasetRecord } from "@runboard/db";
import { loadBackbone, zooNames } from "@runboard/trainer";
import { zooEntries } from "@runboard/trainer/models";
import { readImageCsv, readImageFolder, splitCounts, splitTrainValid, type ImageDataset } from "@runboard/trainer/data";
import type { Model } from "@runboard/trainer/onnx";
import { z } from "zod";
import { id, name, parseArgs } from "../validation.ts";
import { insertArchitecture, insertDataset } from "./catalog.ts";
import { catalogName, importCatalogArchitecture } from "./model-catalog.ts";
import type { LaunchSettings } from "../server/context.ts";
import { importingUpload, modelSource, uploadFolder } from "../uploads/sources.ts";
import { authorize } from "./permissions.ts";
import { confinedSourcePath } from "./source-paths.ts";
import type { Scope } from "./projects.ts";

export const pathText = z.string().min(1, { message: "must not be empty" }).max(2_000, { message: "must be at most 2,000 characters" });

async function readDatasetSource(path: string): Promise<ImageDataset> {
  try {
    return statSync(path).isFile() ? await readImageCsv(path) : await readImageFolder(path);
  } catch (error) {
    throw badInput("input.path", error instanceof Error ? error.message : String(error));
  }
}

/** Counts per split and class; a data set without its own split is counted under the default 20% validation split. */
export function countsOf(dataset: ImageDataset): Record<string, Record<string, number>> {
  const counts = splitCounts(dataset.items, dataset.classes, splitTrainValid(dataset.items));
  const train = Object.fromEntries(Object.entries(counts).map(([cls, c]) => [cls, c.train]));
  const valid = Object.fromEntries(Object.entries(counts).map(([cls, c]) => [cls, c.valid]));
  return { train, valid };
}

/** An image folder or CSV read as it is (importDataset without a conversion). */
export async function importImageDataset(scope: Scope, input: { teamId: string; name: string }, path: string): Promise<DatasetRecord> {
  const dataset = await readDatasetSource(path);
  if (dataset.classes.length < 2) throw badInput("input.path", `must hold at least 2 classes, found ${dataset.classes.length}`);
  return insertDataset(scope, {
    input: {
      teamId: input.teamId,
      name: input.name,
      kind: statSync(path).isFile() ? "IMAGE_CSV" : "IMAGE_FOLDER",
      sourceUri: path,
      classNames: dataset.classes,
      splitCounts: countsOf(dataset),
      contentHash: dataset.contentHash,
      conversion: dataset.skipped.length > 0 ? { skipped: dataset.skipped.slice(0, 100) } : null,
    },
  });
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function parameterCount(model: Model): number {
  let count = 0;
  for (const tensor of model.graph.initializers.values()) count += tensor.dims.reduce((a, b) => a * b, 1);
  return count;
}

/** [channels, height, width] of the image input (NCHW); 0 where the model leaves a size open. */
export function inputSizeOf(model: Model): number[] {
  const feed = model.graph.inputs.find((input) => !model.graph.initializers.has(input.name));
  const shape = feed?.shape ?? [];
  return [1, 2, 3].map((axis) => (typeof shape[axis] === "number" ? (shape[axis] as number) : 0));
}

const ZOO_FORMATS = { tflite: "TFLITE", "tfjs-layers": "TFJS_LAYERS", "tfjs-graph": "TFJS_GRAPH" } as const;

function formatOf(source: string): ArchitectureFormat {
  const zoo = zooEntries().find((entry) => entry.name === source);
  if (zoo) return ZOO_FORMATS[zoo.format];
  if (source.toLowerCase().endsWith(".tflite")) return "TFLITE";
  return "ONNX";
}

export async function importArchitecture(scope: Scope, args: unknown, launch: LaunchSettings): Promise<ArchitectureRecord> {
  const { input } = parseArgs(
    z.object({
      input: z.object({
        teamId: id,
        name,
        source: pathText.nullish(),
        uploadId: z.string().nullish(),
        catalog: catalogName.nullish(),
        family: name.nullish(),
        pretrainedOn: name.nullish(),
      }),
    }),
    args,
  );
  authorize(scope.caller, input.teamId, "architecture:write", { kind: "team", id: input.teamId });
  if (input.catalog != null) {
    if (input.source != null || input.uploadId != null) throw badInput("input.catalog", "give one of source, uploadId or catalog");
    return importCatalogArchitecture(scope, { ...input, catalog: input.catalog }, launch.modelCatalog);
  }
  if (input.source != null && input.uploadId != null) throw badInput("input.uploadId", "give either source or uploadId, not both");
  if (input.uploadId != null) {
    const folder = uploadFolder(launch.artifactRoot, input.teamId, input.uploadId);
    return importingUpload(scope.db, input.teamId, folder, async () => importModel(scope, input, await modelSource(folder), false));
  }
  if (input.source == null) throw badInput("input.source", "is required unless uploadId or catalog is given");
  if (zooNames().includes(input.source)) return importModel(scope, input, input.source, true);
  authorize(scope.caller, input.teamId, "path:import", { kind: "team", id: input.teamId });
  return importModel(scope, input, await confinedSourcePath(input.source, "input.source", launch), false);
}

type ArchitectureInput = { teamId: string; name: string; family?: string | null; pretrainedOn?: string | null };

/** Loads the model (a zoo name or a file already checked) and registers what it finds. */
async function importModel(scope: Scope, input: ArchitectureInput, source: string, isZoo: boolean): Promise<ArchitectureRecord> {
  let model: Model;
  try {
    model = loadBackbone(source).model;
  } catch (error) {
    throw badInput("input.source", error instanceof Error ? error.message : String(error));
  }
  const inputSize = inputSizeOf(model).map((size) => (size === 0 ? 224 : size));
  return insertArchitecture(scope, {
    input: {
      teamId: input.teamId,
      name: input.name,
      family: input.family ?? (isZoo ? source : model.graph.name || "imported"),
      sourceFormat: formatOf(source),
      fileUri: source,
      fileHash: isZoo ? null : await sha256File(source),
      inputSize,
      parameterCount: parameterCount(model),
      pretrainedOn: input.pretrainedOn ?? (source.startsWith("synthetic-") ? "random" : null),
    },
  });
}
