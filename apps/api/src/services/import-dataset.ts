/**
 * importDataset: an image folder or CSV is read as it is; AUDIO, TIME_SERIES and DOCUMENT
 * sources are converted to an image folder first (import-converted.ts). The source is a path
 * on the server (source-paths.ts) or an upload (POST /uploads) of the same team.
 */
import { statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { badInput, type DatasetRecord } from "@runboard/db";
import { z } from "zod";
import type { LaunchSettings } from "../server/context.ts";
import { id, name, parseArgs } from "../validation.ts";
import { convertedKinds, type ConvertedKind } from "./conversion-options.ts";
import { importImageDataset, pathText } from "./import-catalog.ts";
import { importConvertedDataset } from "./import-converted.ts";
import { datasetSource, importingUpload, uploadFolder } from "../uploads/sources.ts";
import { authorize } from "./permissions.ts";
import { confinedSourcePath } from "./source-paths.ts";
import type { Scope } from "./projects.ts";

const options = z.record(z.string(), z.unknown()).nullish();

const importDatasetArgs = z.object({
  input: z.object({
    teamId: id,
    name,
    path: pathText.nullish(),
    uploadId: z.string().nullish(),
    kind: z.enum(["IMAGE_FOLDER", "IMAGE_CSV", ...convertedKinds], { message: "must be a DatasetKind" }).nullish(),
    labels: z.enum(["AUTO", "FOLDERS", "FILENAME_PREFIX"], { message: "must be AUTO, FOLDERS or FILENAME_PREFIX" }).nullish(),
    audio: options,
    timeSeries: options,
    document: options,
  }),
});

/** An IMAGE_CSV upload is the one .csv file in the upload's folder (its image paths are relative to it). */
async function uploadedDataset(folder: string, kind: string | null | undefined): Promise<string> {
  const source = await datasetSource(folder);
  if (kind !== "IMAGE_CSV" || !statSync(source).isDirectory()) return source;
  const csvs = (await readdir(source)).filter((name) => name.toLowerCase().endsWith(".csv"));
  if (csvs.length !== 1) throw badInput("input.uploadId", `must hold exactly one .csv file for kind IMAGE_CSV, found ${csvs.length}`);
  return join(source, csvs[0]!);
}

const isConverted = (kind: string | null | undefined): kind is ConvertedKind => convertedKinds.includes(kind as ConvertedKind);

type ImportDatasetInput = z.output<typeof importDatasetArgs>["input"];

/**
 * From an upload of the team (removed again if the import fails), or from a path on the
 * server: path imports need path:import (owners) and read only inside the source roots.
 */
export async function importDataset(scope: Scope, args: unknown, launch: LaunchSettings): Promise<DatasetRecord> {
  const { input } = parseArgs(importDatasetArgs, args);
  authorize(scope.caller, input.teamId, "dataset:write", { kind: "team", id: input.teamId });
  if (input.path != null && input.uploadId != null) throw badInput("input.uploadId", "give either path or uploadId, not both");
  if (input.uploadId != null) {
    const folder = uploadFolder(launch.artifactRoot, input.teamId, input.uploadId);
    return importingUpload(scope.db, input.teamId, folder, async () => importFrom(scope, input, await uploadedDataset(folder, input.kind), launch));
  }
  if (input.path == null) throw badInput("input.path", "is required unless uploadId is given");
  authorize(scope.caller, input.teamId, "path:import", { kind: "team", id: input.teamId });
  return importFrom(scope, input, await confinedSourcePath(input.path, "input.path", launch), launch);
}

async function importFrom(scope: Scope, input: ImportDatasetInput, path: string, launch: LaunchSettings): Promise<DatasetRecord> {
  if (isConverted(input.kind)) return importConvertedDataset(scope, { ...input, kind: input.kind }, path, launch.artifactRoot);
  for (const field of ["audio", "timeSeries", "document"] as const) {
    if (input[field] !== null && input[field] !== undefined) throw badInput(`input.${field}`, "applies to kinds AUDIO, TIME_SERIES and DOCUMENT only");
  }
  const isFile = statSync(path).isFile();
  if ((input.kind === "IMAGE_FOLDER" && isFile) || (input.kind === "IMAGE_CSV" && !isFile)) {
    throw badInput("input.path", `must be ${input.kind === "IMAGE_CSV" ? "a CSV file" : "a folder"} for kind ${input.kind}`);
  }
  return importImageDataset(scope, input, path);
}
