/**
 * The trainer's backbone catalog on the platform: `modelCatalog(teamId)` lists its entries (with
 * whether each is in the server's model cache, already registered in the team, or downloading
 * right now), and `importArchitecture(input: { catalog: NAME })` downloads an entry into the
 * cache (resuming a partial download), verifies its size and sha256, loads it, and registers it
 * with `fileUri` `catalog:NAME`, which the workers load from the same cache.
 *
 * Downloads run in this process, streamed to disk and hashed as a stream, so the API keeps
 * answering. One entry downloads once at a time: a second import of the same entry (from any
 * team) waits for the download in progress instead of starting another one. Progress lives in
 * memory (`download` of each entry in `modelCatalog`), where the dashboard polls it; the last
 * outcome of each entry stays there until the next try.
 */
import { ARCHITECTURE_COLUMNS, type ArchitectureRecord, badInput } from "@runboard/db";
import {
  cachedSize,
  type CatalogEntry,
  type CatalogLocation,
  findCatalogEntry,
  findFeatureTensor,
  loadCatalogModelFile,
  NoNetworkError,
  pullCatalogModel,
  readCatalog,
} from "@runboard/trainer/models";
import type { Model } from "@runboard/trainer/onnx";
import { GraphQLError } from "graphql";
import { z } from "zod";
import { id, parseArgs } from "../validation.ts";
import { insertArchitecture } from "./catalog.ts";
import { authorize } from "./permissions.ts";
import type { Scope } from "./projects.ts";

export type DownloadState = "DOWNLOADING" | "VERIFYING" | "DONE" | "FAILED";

export interface CatalogDownload {
  state: DownloadState;
  receivedBytes: number;
  totalBytes: number;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  errorCode: string | null;
}

/** An entry as the `CatalogModel` type shows it. */
export interface CatalogModelView {
  entry: CatalogEntry;
  teamId: string;
  cached: boolean;
  download: CatalogDownload | null;
}

/** The catalog entry name rule (the trainer's catalog validates the same). */
export const catalogName = z
  .string()
  .max(200, { message: "must be at most 200 characters" })
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "must be a catalog entry name: lowercase letters, digits, '.', '_' or '-'" });

interface Running {
  status: CatalogDownload;
  done: Promise<string>;
}

/** Per cache folder and pinned file: the download in progress, else the last one's outcome. */
const downloads = new Map<string, Running>();
const keyOf = (entry: CatalogEntry, cacheDir: string) => `${cacheDir}\0${entry.name}\0${entry.sha256}`;

function readCatalogOf(location: CatalogLocation) {
  try {
    return readCatalog(location.catalogFile);
  } catch (error) {
    throw new GraphQLError(`the server's model catalog cannot be read: ${(error as Error).message}`, { extensions: { code: "CATALOG_UNAVAILABLE" } });
  }
}

/** NETWORK_UNAVAILABLE: the host cannot be reached (one line); DOWNLOAD_FAILED: anything else of the transfer, its verification or its unpacking. */
function downloadError(entry: CatalogEntry, error: unknown): GraphQLError {
  if (error instanceof NoNetworkError) {
    return new GraphQLError(`${error.message}; catalog model '${entry.name}' is not in the server's model cache`, {
      extensions: { code: "NETWORK_UNAVAILABLE", field: "input.catalog" },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GraphQLError(`catalog model '${entry.name}': ${message}`, {
    extensions: { code: "DOWNLOAD_FAILED", field: "input.catalog" },
  });
}

/** The entry's verified model file: the download in progress if there is one, else a new pull (offline when cached). */
export function pullShared(entry: CatalogEntry, cacheDir: string): Promise<string> {
  const key = keyOf(entry, cacheDir);
  const current = downloads.get(key);
  if (current && current.status.finishedAt === null) return current.done;
  const status: CatalogDownload = {
    // A cached file is only hashed again.
    state: cachedSize(entry, cacheDir) === entry.size ? "VERIFYING" : "DOWNLOADING",
    receivedBytes: 0,
    totalBytes: entry.size,
    startedAt: new Date(),
    finishedAt: null,
    error: null,
    errorCode: null,
  };
  const done = pullCatalogModel(entry, cacheDir, {
    onProgress: (received, total) => {
      status.receivedBytes = received;
      status.totalBytes = total;
      if (received >= total) status.state = "VERIFYING";
    },
  }).then(
    (file) => {
      Object.assign(status, { state: "DONE", receivedBytes: entry.size, finishedAt: new Date() });
      return file;
    },
    (error: unknown) => {
      const failure = downloadError(entry, error);
      Object.assign(status, { state: "FAILED", finishedAt: new Date(), error: failure.message, errorCode: failure.extensions.code });
      throw failure;
    },
  );
  downloads.set(key, { status, done });
  return done;
}

export async function listCatalogModels({ caller }: Scope, args: unknown, location: CatalogLocation): Promise<CatalogModelView[]> {
  const { teamId } = parseArgs(z.object({ teamId: id }), args);
  authorize(caller, teamId, "team:read", { kind: "team", id: teamId });
  return readCatalogOf(location).entries.map((entry) => ({
    entry,
    teamId,
    // Size only, so listing stays fast; every use verifies the sha256.
    cached: cachedSize(entry, location.cacheDir) === entry.size,
    download: downloads.get(keyOf(entry, location.cacheDir))?.status ?? null,
  }));
}

/** The team's architectures registered from the entry (any name), oldest first. */
export function registeredFrom({ db }: Scope, view: CatalogModelView): Promise<ArchitectureRecord[]> {
  return db.rows<ArchitectureRecord>(`SELECT ${ARCHITECTURE_COLUMNS} FROM architecture a WHERE a.team_id = $1 AND a.file_uri = $2 ORDER BY a.created_at`, [
    view.teamId,
    `catalog:${view.entry.name}`,
  ]);
}

export interface CatalogImportInput {
  teamId: string;
  name: string;
  catalog: string;
  family?: string | null;
  pretrainedOn?: string | null;
}

/** [channels, height, width] of the model's image input; the catalog's size where the model leaves it open. */
function inputSizeOf(model: Model, entry: CatalogEntry): number[] {
  const feed = model.graph.inputs.find((input) => !model.graph.initializers.has(input.name));
  const shape = feed?.shape ?? [];
  const known = (axis: number, fallback: number) => (typeof shape[axis] === "number" && (shape[axis] as number) > 0 ? (shape[axis] as number) : fallback);
  return [known(1, 3), known(2, entry.inputSize[0]), known(3, entry.inputSize[1])];
}

function parameterCount(model: Model): number {
  let count = 0;
  for (const tensor of model.graph.initializers.values()) count += tensor.dims.reduce((a, b) => a * b, 1);
  return count;
}

/** importArchitecture with `catalog`: architecture:write, like a zoo name (the catalog pins every URL and hash; no server path is named). */
export async function importCatalogArchitecture(scope: Scope, input: CatalogImportInput, location: CatalogLocation): Promise<ArchitectureRecord> {
  authorize(scope.caller, input.teamId, "architecture:write", { kind: "team", id: input.teamId });
  const catalog = readCatalogOf(location);
  const entry = findCatalogEntry(catalog, input.catalog);
  if (!entry) throw badInput("input.catalog", `no catalog entry '${input.catalog}'; entries: ${catalog.entries.map((e) => e.name).join(", ")}`);
  // Checked before a download that can take minutes; the insert checks again.
  const taken = await scope.db.rows(`SELECT 1 FROM architecture WHERE team_id = $1 AND name = $2`, [input.teamId, input.name]);
  if (taken.length > 0) throw badInput("input.name", "an architecture of this name exists in the team");
  const file = await pullShared(entry, location.cacheDir);
  let model: Model;
  try {
    model = loadCatalogModelFile(entry, file);
    findFeatureTensor(model);
  } catch (error) {
    throw badInput("input.catalog", `catalog model '${entry.name}' does not load as a backbone: ${error instanceof Error ? error.message : String(error)}`);
  }
  return insertArchitecture(scope, {
    input: {
      teamId: input.teamId,
      name: input.name,
      family: input.family ?? entry.family,
      sourceFormat: entry.format === "tflite" ? "TFLITE" : "ONNX",
      fileUri: `catalog:${entry.name}`,
      fileHash: entry.sha256,
      inputSize: inputSizeOf(model, entry),
      parameterCount: parameterCount(model),
      pretrainedOn: input.pretrainedOn ?? entry.pretrainedOn,
    },
  });
}
