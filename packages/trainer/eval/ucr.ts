/**
 * UCR time series (../shared/datasets/ucr): each series → a GASF/GADF/MTF image (one encoding
 * per RGB channel) with convert/, fine_tune of an ImageNet backbone on the archive's TRAIN
 * split, accuracy on TEST beside the 1-NN Euclidean and DTW baselines of DataSummary.csv.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertDataset } from "../src/convert/index.ts";
import { findSharedDataset, readImageFolder, splitTrainValid } from "../src/data/index.ts";
import type { Backbone } from "./backbones.ts";
import { trainConverted } from "./converted-case.ts";
import { percent } from "./report.ts";

export const UCR_SETS = ["GunPoint", "ECG200", "Coffee", "CBF"] as const;

export interface UcrOptions {
  epochs: number;
  imageSize: number;
}

export interface UcrResult {
  name: string;
  accuracy: number;
  euclidean1nn: number;
  dtw1nn: number;
  seconds: number;
}

/** 1-NN accuracies (1 − error rate) from DataSummary.csv: "ED (w=0)" and "DTW (learned_w)". */
export function readBaselines(csv: string): Map<string, { euclidean1nn: number; dtw1nn: number }> {
  const [header, ...rows] = csv.trim().split(/\r?\n/).map(splitCsvLine);
  const column = (prefix: string) => header!.findIndex((name) => name.trim().startsWith(prefix));
  const [name, ed, dtw] = [column("Name"), column("ED"), column("DTW (learned")];
  if (name < 0 || ed < 0 || dtw < 0) throw new Error("DataSummary.csv: expected the columns Name, ED (w=0) and DTW (learned_w)");
  const baselines = new Map<string, { euclidean1nn: number; dtw1nn: number }>();
  for (const row of rows) {
    const error = (index: number) => Number.parseFloat(row[index] ?? "");
    baselines.set(row[name]!.trim(), { euclidean1nn: 1 - error(ed), dtw1nn: 1 - error(dtw) });
  }
  return baselines;
}

/** Splits one CSV line, keeping quoted commas. */
function splitCsvLine(line: string): string[] {
  return [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((match) => match[2] ?? match[1]!);
}

async function evaluateSet(root: string, name: string, backbone: Backbone, options: UcrOptions, work: string): Promise<{ accuracy: number; seconds: number }> {
  const started = performance.now();
  const folder = join(work, name);
  mkdirSync(folder);
  const conversion = { imageSize: options.imageSize, encodings: ["gasf" as const, "gadf" as const, "mtf" as const] };
  for (const [part, split] of [["TRAIN", "train"], ["TEST", "valid"]] as const) {
    await convertDataset({ kind: "timeseries", source: join(root, name, `${name}_${part}.tsv`), outDir: join(folder, split), format: "ucr", options: conversion });
  }
  const dataset = await readImageFolder(folder);
  const split = splitTrainValid(dataset.items);
  const batchSize = Math.min(16, Math.floor(split.train.length / 2));
  console.log(`  ${name}: ${split.train.length} train, ${split.valid.length} test series → ${options.imageSize}px GASF/GADF/MTF`);
  const result = await trainConverted({
    dataset, split, backbone, size: [options.imageSize, options.imageSize], epochs: options.epochs, freezeEpochs: 3, baseLr: 4e-3, batchSize, unfreeze: 2, log: () => {},
  });
  return { accuracy: result.accuracy, seconds: (performance.now() - started) / 1000 };
}

export async function evaluateUcr(backbone: Backbone, options: UcrOptions): Promise<UcrResult[]> {
  const root = findSharedDataset("ucr");
  if (!root || !existsSync(join(root, "DataSummary.csv"))) {
    console.log("  skipped: ../shared/datasets/ucr is absent");
    return [];
  }
  const baselines = readBaselines(readFileSync(join(root, "DataSummary.csv"), "utf8"));
  const work = mkdtempSync(join(tmpdir(), "eval-ucr-"));
  const results: UcrResult[] = [];
  try {
    for (const name of UCR_SETS) {
      const baseline = baselines.get(name);
      if (!baseline || !existsSync(join(root, name))) {
        console.log(`  ${name}: skipped (absent)`);
        continue;
      }
      const { accuracy, seconds } = await evaluateSet(root, name, backbone, options, work);
      const verdict = accuracy > baseline.euclidean1nn ? "beats" : accuracy === baseline.euclidean1nn ? "ties" : "below";
      console.log(`    accuracy ${percent(accuracy)}; 1-NN ED ${percent(baseline.euclidean1nn)} (${verdict}), 1-NN DTW ${percent(baseline.dtw1nn)}; ${seconds.toFixed(0)} s`);
      results.push({ name, accuracy, ...baseline, seconds });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
