/**
 * importDataset: an image folder or CSV is read as it is; AUDIO, TIME_SERIES and DOCUMENT
 * sources are converted to an image folder first (import-converted.ts).
 */
import { statSync } from "node:fs";
import { z } from "zod";
import type { DatasetRecord } from "../data/records.ts";
import type { LaunchSettings } from "../server/context.ts";
import { badInput } from "../errors.ts";
import { id, name, parseArgs } from "../validation.ts";
import { convertedKinds, type ConvertedKind } from "./conversion-options.ts";
import { checkSourcePath, importImageDataset, pathText } from "./import-catalog.ts";
import { importConvertedDataset } from "./import-converted.ts";
import { authorize } from "./permissions.ts";
import type { Scope } from "./projects.ts";

const options = z.record(z.string(), z.unknown()).nullish();

const importDatasetArgs = z.object({
  input: z.object({
    teamId: id,
    name,
    path: pathText,
    kind: z.enum(["IMAGE_FOLDER", "IMAGE_CSV", ...convertedKinds], { message: "must be a DatasetKind" }).nullish(),
    labels: z.enum(["AUTO", "FOLDERS", "FILENAME_PREFIX"], { message: "must be AUTO, FOLDERS or FILENAME_PREFIX" }).nullish(),
    audio: options,
    timeSeries: options,
    document: options,
  }),
});

const isConverted = (kind: string | null | undefined): kind is ConvertedKind => convertedKinds.includes(kind as ConvertedKind);

export async function importDataset(scope: Scope, args: unknown, launch: LaunchSettings): Promise<DatasetRecord> {
  const { input } = parseArgs(importDatasetArgs, args);
  authorize(scope.caller, input.teamId, "dataset:write", { kind: "team", id: input.teamId });
  const path = checkSourcePath(input.path, "input.path", launch.sourceRoots);
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
