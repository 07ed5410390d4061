/**
 * Datasets and architectures: metadata registered per team. registerDataset/registerArchitecture
 * name server paths by hand, so they get the path imports' rules (source-paths.ts): the owner-only
 * path:import, and a path inside the source roots, stored as its real path. The imports write
 * through insertDataset/insertArchitecture with paths they have checked or made themselves.
 */
import { ARCHITECTURE_COLUMNS, type ArchitectureRecord, DATASET_COLUMNS, type DatasetRecord, notFound } from "@runboard/db";
import { z } from "zod";
import { id, name, parseArgs } from "../validation.ts";
import { authorize, teamsWith } from "./permissions.ts";
import type { Scope } from "./projects.ts";
import { confinedSourcePath, modelFileOf, type PathRoots } from "./source-paths.ts";
import { uniqueAs } from "./unique.ts";

const uri = z.string().min(1, { message: "must not be empty" }).max(2_000, { message: "must be at most 2,000 characters" });
const hash = z.string().regex(/^[0-9a-f]{16,128}$/i, { message: "must be a hex digest" });
const count = z.number().int({ message: "must be a whole number" }).min(0, { message: "must be ≥ 0" });

const registerDatasetArgs = z.object({
  input: z.object({
    teamId: id,
    name,
    kind: z.enum(["IMAGE_FOLDER", "IMAGE_CSV", "AUDIO", "TIME_SERIES", "DOCUMENT"]),
    sourceUri: uri,
    classNames: z.array(name).max(100_000, { message: "must hold at most 100,000 classes" }),
    splitCounts: z.record(z.string(), z.record(z.string(), count)).nullish(),
    contentHash: hash.nullish(),
    conversion: z.record(z.string(), z.unknown()).nullish(),
  }),
});

const registerArchitectureArgs = z.object({
  input: z.object({
    teamId: id,
    name,
    family: name,
    sourceFormat: z.enum(["ONNX", "TFLITE", "TFJS_LAYERS", "TFJS_GRAPH"]),
    fileUri: uri.nullish(),
    fileHash: hash.nullish(),
    inputSize: z.array(count.min(1, { message: "must be ≥ 1" })).length(3, { message: "must be [channels, height, width]" }),
    parameterCount: count.nullish(),
    pretrainedOn: name.nullish(),
  }),
});

export async function listDatasets({ db, caller }: Scope, args: unknown): Promise<DatasetRecord[]> {
  const input = parseArgs(z.object({ teamId: id.nullish() }), args);
  return db.rows<DatasetRecord>(`SELECT ${DATASET_COLUMNS} FROM dataset d WHERE d.team_id = ANY($1::uuid[]) ORDER BY d.name`, [
    teamsWith(caller, "team:read", input.teamId),
  ]);
}

export async function listArchitectures({ db, caller }: Scope, args: unknown): Promise<ArchitectureRecord[]> {
  const input = parseArgs(z.object({ teamId: id.nullish() }), args);
  return db.rows<ArchitectureRecord>(`SELECT ${ARCHITECTURE_COLUMNS} FROM architecture a WHERE a.team_id = ANY($1::uuid[]) ORDER BY a.name`, [
    teamsWith(caller, "team:read", input.teamId),
  ]);
}

export async function readableDataset({ loaders, caller }: Scope, datasetId: string): Promise<DatasetRecord> {
  const dataset = await loaders.dataset.load(datasetId);
  if (dataset === null) throw notFound("dataset", datasetId);
  authorize(caller, dataset.teamId, "team:read", { kind: "dataset", id: datasetId });
  return dataset;
}

export async function readableArchitecture({ loaders, caller }: Scope, architectureId: string): Promise<ArchitectureRecord> {
  const architecture = await loaders.architecture.load(architectureId);
  if (architecture === null) throw notFound("architecture", architectureId);
  authorize(caller, architecture.teamId, "team:read", { kind: "architecture", id: architectureId });
  return architecture;
}

export async function findDataset(scope: Scope, args: unknown): Promise<DatasetRecord> {
  return readableDataset(scope, parseArgs(z.object({ id }), args).id);
}

export async function findArchitecture(scope: Scope, args: unknown): Promise<ArchitectureRecord> {
  return readableArchitecture(scope, parseArgs(z.object({ id }), args).id);
}

/** registerDataset: `sourceUri` is a server path the worker will read, so only owners name one, inside the source roots. */
export async function registerDataset(scope: Scope, args: unknown, roots: PathRoots): Promise<DatasetRecord> {
  const { input } = parseArgs(registerDatasetArgs, args);
  authorize(scope.caller, input.teamId, "dataset:write", { kind: "team", id: input.teamId });
  authorize(scope.caller, input.teamId, "path:import", { kind: "team", id: input.teamId });
  return insertDataset(scope, { input: { ...input, sourceUri: await confinedSourcePath(input.sourceUri, "input.sourceUri", roots) } });
}

/**
 * registerArchitecture: a source the trainer reads from disk (`fileUri`, else the name, when it
 * is an .onnx or .tflite path) is confined like registerDataset's; a zoo or catalog name is not.
 */
export async function registerArchitecture(scope: Scope, args: unknown, roots: PathRoots): Promise<ArchitectureRecord> {
  const { input } = parseArgs(registerArchitectureArgs, args);
  authorize(scope.caller, input.teamId, "architecture:write", { kind: "team", id: input.teamId });
  const file = modelFileOf(input.fileUri ?? input.name);
  if (file === null) return insertArchitecture(scope, { input });
  authorize(scope.caller, input.teamId, "path:import", { kind: "team", id: input.teamId });
  const field = input.fileUri == null ? "input.name" : "input.fileUri";
  return insertArchitecture(scope, { input: { ...input, fileUri: await confinedSourcePath(file, field, roots) } });
}

/** Writes a dataset whose source the caller has checked (or made); dataset:write. */
export async function insertDataset({ db, caller }: Scope, args: unknown): Promise<DatasetRecord> {
  const { input } = parseArgs(registerDatasetArgs, args);
  authorize(caller, input.teamId, "dataset:write", { kind: "team", id: input.teamId });
  const [dataset] = await uniqueAs("input.name", "a dataset of this name exists in the team", () =>
    db.rows<DatasetRecord>(
      `INSERT INTO dataset AS d (id, team_id, name, kind, source_uri, class_names, split_counts, content_hash, conversion)
       VALUES (gen_random_uuid(), $1, $2, $3::"DatasetKind", $4, $5, $6, $7, $8) RETURNING ${DATASET_COLUMNS}`,
      [
        input.teamId,
        input.name,
        input.kind,
        input.sourceUri,
        input.classNames,
        JSON.stringify(input.splitCounts ?? {}),
        input.contentHash ?? null,
        input.conversion === undefined || input.conversion === null ? null : JSON.stringify(input.conversion),
      ],
    ),
  );
  if (dataset === undefined) throw new Error("insert returned no dataset");
  return dataset;
}

/** Writes an architecture whose source the caller has checked (or a zoo name); architecture:write. */
export async function insertArchitecture({ db, caller }: Scope, args: unknown): Promise<ArchitectureRecord> {
  const { input } = parseArgs(registerArchitectureArgs, args);
  authorize(caller, input.teamId, "architecture:write", { kind: "team", id: input.teamId });
  const [architecture] = await uniqueAs("input.name", "an architecture of this name exists in the team", () =>
    db.rows<ArchitectureRecord>(
      `INSERT INTO architecture AS a (id, team_id, name, family, source_format, file_uri, file_hash, input_size,
         parameter_count, pretrained_on)
       VALUES (gen_random_uuid(), $1, $2, $3, $4::"ArchitectureFormat", $5, $6, $7, $8, $9) RETURNING ${ARCHITECTURE_COLUMNS}`,
      [
        input.teamId,
        input.name,
        input.family,
        input.sourceFormat,
        input.fileUri ?? null,
        input.fileHash ?? null,
        input.inputSize,
        input.parameterCount ?? null,
        input.pretrainedOn ?? null,
      ],
    ),
  );
  if (architecture === undefined) throw new Error("insert returned no architecture");
  return architecture;
}
