/**
 * Datasets of raw audio, time series or documents: converted once into an image folder under
 * the artifact root (`datasets/<dataset id>`), which becomes the dataset's sourceUri, so
 * workers train on it like any image folder. Dataset.conversion holds the conversion record
 * (kind, format, every resolved option) and, under `summary`, the source, the counts, the
 * first failures and the images' shape. A failure leaves neither a folder nor a row.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { badInput, DATASET_COLUMNS, type DatasetRecord } from "@runboard/db";
import { type ConversionReport, convertDataset } from "@runboard/trainer/convert";
import { readImageFolder } from "@runboard/trainer/data";
import { type ConversionInput, type ConversionPlan, conversionPlan } from "./conversion-options.ts";
import { checkConversionSource, pngShape } from "./conversion-source.ts";
import { countsOf } from "./import-catalog.ts";
import type { Scope } from "./projects.ts";
import { uniqueAs } from "./unique.ts";

/** Failures kept in the row; conversion.json in the folder lists them all. */
export const storedFailures = 20;

export interface ConversionSummaryRecord {
  sourcePath: string;
  labels: string;
  inputs: number;
  converted: number;
  failed: number;
  images: number;
  failures: { file: string; reason: string }[];
  seconds: number;
  imageShape: number[];
}

export interface ConvertedImport extends ConversionInput {
  teamId: string;
  name: string;
}

const taken = "a dataset of this name exists in the team";

async function assertNameFree(scope: Scope, teamId: string, name: string): Promise<void> {
  const rows = await scope.db.rows<{ id: string }>(`SELECT id FROM dataset WHERE team_id = $1 AND name = $2`, [teamId, name]);
  if (rows.length > 0) throw badInput("input.name", taken);
}

/** convertDataset's own errors: an option it could only check against the data, else the source. */
function conversionFailed(error: unknown, plan: ConversionPlan): never {
  const message = error instanceof Error ? error.message : String(error);
  const option = /option (\S+) (.+)$/.exec(message);
  const field = { audio: "audio", timeseries: "timeSeries", document: "document" }[plan.kind];
  throw option === null ? badInput("input.path", message) : badInput(`input.${field}.${option[1]}`, option[2]!);
}

function summaryOf(report: ConversionReport, sourcePath: string, imageShape: number[]): ConversionSummaryRecord {
  const { inputs, converted, failed, images } = report.counts;
  return {
    sourcePath,
    labels: report.labels.toUpperCase().replace(/-/g, "_"),
    inputs,
    converted,
    failed,
    images,
    failures: report.failures.slice(0, storedFailures),
    seconds: report.seconds,
    imageShape,
  };
}

async function insertConverted(
  scope: Scope,
  id: string,
  input: ConvertedImport,
  outDir: string,
  report: ConversionReport,
  sourcePath: string,
): Promise<DatasetRecord> {
  const dataset = await readImageFolder(outDir);
  const shape = await pngShape(dataset.items[0]!.path);
  const conversion = { ...report.conversion, summary: summaryOf(report, sourcePath, shape) };
  const [row] = await uniqueAs("input.name", taken, () =>
    scope.db.rows<DatasetRecord>(
      `INSERT INTO dataset AS d (id, team_id, name, kind, source_uri, class_names, split_counts, content_hash, conversion)
       VALUES ($1, $2, $3, $4::"DatasetKind", $5, $6, $7, $8, $9) RETURNING ${DATASET_COLUMNS}`,
      [id, input.teamId, input.name, input.kind, outDir, dataset.classes, JSON.stringify(countsOf(dataset)), dataset.contentHash, JSON.stringify(conversion)],
    ),
  );
  if (row === undefined) throw new Error("insert returned no dataset");
  return row;
}

/** Checks options and source, converts into `<artifactRoot>/datasets/<id>`, then writes the row. */
export async function importConvertedDataset(scope: Scope, input: ConvertedImport, sourcePath: string, artifactRoot: string): Promise<DatasetRecord> {
  const plan = conversionPlan(input);
  await checkConversionSource(sourcePath, plan);
  await assertNameFree(scope, input.teamId, input.name);
  const id = randomUUID();
  const outDir = join(resolve(artifactRoot), "datasets", id);
  await mkdir(join(resolve(artifactRoot), "datasets"), { recursive: true });
  const report = await convertDataset({ ...plan, source: sourcePath, outDir } as Parameters<typeof convertDataset>[0]).catch((error: unknown) =>
    conversionFailed(error, plan),
  );
  if (report.classes.length < 2) {
    await rm(outDir, { recursive: true, force: true });
    throw badInput("input.path", `must hold at least 2 classes, found ${report.classes.length}`);
  }
  try {
    return await insertConverted(scope, id, input, outDir, report, sourcePath);
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
