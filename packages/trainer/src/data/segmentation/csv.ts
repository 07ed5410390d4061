/**
 * Segmentation data sets as a CSV: a header row `image,mask` and optionally `split` (train,
 * valid or val); paths are relative to the CSV's folder and may not leave it. Rows whose image or
 * mask is missing are skipped with the line number.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { parseCsv, type CsvRow } from "../csv-parse.ts";
import type { FileLimits, SkippedFile, SplitName } from "../dataset.ts";
import { buildSegmentationDataset, type ClassSource, type PairCandidate } from "./build.ts";
import { type ClassList, defaultIgnoreIndex, readClassList, validateClassList } from "./classes.ts";
import type { SegmentationDataset } from "./dataset.ts";

export interface SegmentationCsvOptions {
  /** The classes: a list or a classes file (JSON or codes.txt); default: derived from the masks. */
  classes?: ClassList | string;
  /** Ignore index when the classes are derived (default 255). */
  ignoreIndex?: number;
  limits?: Partial<FileLimits>;
}

const allowedColumns = ["image", "mask", "split"];

function columnsOf(csvName: string, header: CsvRow | undefined): Record<string, number> {
  if (!header) throw new Error(`${csvName}: is empty; expected a header row "image,mask[,split]"`);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  for (const name of names) {
    if (!allowedColumns.includes(name)) throw new Error(`${csvName} line ${header.line}: unknown column "${name}"; allowed columns are image, mask, split`);
  }
  for (const name of ["image", "mask"]) {
    if (!names.includes(name)) throw new Error(`${csvName} line ${header.line}: missing column "${name}" (header must name image and mask)`);
  }
  return Object.fromEntries(names.map((name, i) => [name, i]));
}

function insidePath(folder: string, value: string, where: string, field: string): { path: string; relativePath: string } {
  const text = value.replaceAll("\\", "/");
  if (isAbsolute(text)) throw new Error(`${where}: field "${field}" must be relative to the CSV's folder, got ${text}`);
  const path = resolve(folder, text);
  const inside = relative(folder, path);
  if (inside.startsWith(`..${sep}`) || inside === "..") throw new Error(`${where}: field "${field}" must stay inside the CSV's folder, got ${text}`);
  return { path, relativePath: inside.split(sep).join("/") };
}

function splitOf(value: string, where: string): SplitName {
  const lower = value.toLowerCase();
  if (lower === "train") return "train";
  if (lower === "valid" || lower === "val") return "valid";
  throw new Error(`${where}: field "split" must be train, valid or val, got "${value}"`);
}

export async function readSegmentationCsv(csvPath: string, options: SegmentationCsvOptions = {}): Promise<SegmentationDataset> {
  const csvName = basename(csvPath);
  let text: string;
  try {
    text = await readFile(csvPath, "utf8");
  } catch {
    throw new Error(`dataset CSV ${csvPath}: does not exist or cannot be read`);
  }
  let rows: CsvRow[];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new Error(`${csvName} ${(error as Error).message}`, { cause: error });
  }
  const folder = dirname(resolve(csvPath));
  const columns = columnsOf(csvName, rows[0]);
  const candidates: PairCandidate[] = [];
  const skipped: SkippedFile[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const where = `${csvName} line ${row.line}`;
    const field = (name: string) => {
      const value = row.fields[columns[name]!]?.trim() ?? "";
      if (value === "") throw new Error(`${where}: field "${name}" is empty`);
      return value;
    };
    const image = insidePath(folder, field("image"), where, "image");
    const mask = insidePath(folder, field("mask"), where, "mask");
    const seen = firstLine.get(image.relativePath);
    if (seen !== undefined) throw new Error(`${where}: field "image" repeats ${image.relativePath} from line ${seen}`);
    firstLine.set(image.relativePath, row.line);
    const split = columns.split === undefined ? undefined : splitOf(field("split"), where);
    if (!existsSync(image.path)) {
      skipped.push({ relativePath: image.relativePath, reason: `image not found (${where})` });
      continue;
    }
    if (!existsSync(mask.path)) {
      skipped.push({ relativePath: image.relativePath, reason: `mask ${mask.relativePath} not found (${where})` });
      continue;
    }
    candidates.push({ ...image, maskPath: mask.path, maskRelativePath: mask.relativePath, ...(split === undefined ? {} : { split }) });
  }
  if (candidates.length === 0 && skipped.length === 0) throw new Error(`${csvName}: lists no image/mask pairs`);
  let classSource: ClassSource;
  if (typeof options.classes === "object") classSource = { list: validateClassList(options.classes), source: "given" };
  else if (typeof options.classes === "string") {
    const list = await readClassList(options.classes);
    const withIgnore =
      options.ignoreIndex !== undefined && options.classes.toLowerCase().endsWith(".txt")
        ? validateClassList({ ...list, ignoreIndex: options.ignoreIndex })
        : list;
    classSource = { list: withIgnore, source: options.classes };
  } else classSource = { derived: true, ignoreIndex: options.ignoreIndex ?? defaultIgnoreIndex };
  return buildSegmentationDataset(folder, candidates, skipped, classSource, options.limits);
}
