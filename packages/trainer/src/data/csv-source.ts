/**
 * CSV data sets: a header row with `path,label` and optionally `fold`; paths are relative to
 * the CSV file's folder and may not leave it.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { buildDataset, type Candidate } from "./build-dataset.ts";
import { parseCsv, type CsvRow } from "./csv-parse.ts";
import type { FileLimits, ImageDataset, SkippedFile } from "./dataset.ts";

const requiredColumns = ["path", "label"] as const;
const allowedColumns = new Set(["path", "label", "fold"]);

interface Columns {
  path: number;
  label: number;
  fold: number | undefined;
}

function readHeader(csvName: string, header: CsvRow | undefined): Columns {
  if (!header) throw new Error(`${csvName}: is empty; expected a header row "path,label[,fold]"`);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  for (const name of names) {
    if (!allowedColumns.has(name)) {
      throw new Error(`${csvName} line ${header.line}: unknown column "${name}"; allowed columns are path, label, fold`);
    }
  }
  for (const name of requiredColumns) {
    if (!names.includes(name)) throw new Error(`${csvName} line ${header.line}: missing column "${name}" (header must name path and label)`);
  }
  const fold = names.indexOf("fold");
  return { path: names.indexOf("path"), label: names.indexOf("label"), fold: fold < 0 ? undefined : fold };
}

function rowToCandidate(csvName: string, folder: string, row: CsvRow, columns: Columns): Candidate {
  const where = `${csvName} line ${row.line}`;
  const field = (index: number, name: string) => {
    const value = row.fields[index]?.trim() ?? "";
    if (value === "") throw new Error(`${where}: field "${name}" is empty`);
    return value;
  };
  const relativePath = field(columns.path, "path").replaceAll("\\", "/");
  const className = field(columns.label, "label");
  if (isAbsolute(relativePath)) throw new Error(`${where}: field "path" must be relative to the CSV's folder, got ${relativePath}`);
  const path = resolve(folder, relativePath);
  const inside = relative(folder, path);
  if (inside.startsWith(`..${sep}`) || inside === "..") {
    throw new Error(`${where}: field "path" must stay inside the CSV's folder, got ${relativePath}`);
  }
  const candidate: Candidate = { path, relativePath: inside.split(sep).join("/"), className };
  if (columns.fold !== undefined) {
    const text = field(columns.fold, "fold");
    const fold = Number(text);
    if (!Number.isInteger(fold) || fold < 0) throw new Error(`${where}: field "fold" must be a non-negative integer, got "${text}"`);
    candidate.fold = fold;
  }
  return candidate;
}

/** Reads a CSV data set; missing or unusable image files are skipped and reported. */
export async function readImageCsv(csvPath: string, limits: Partial<FileLimits> = {}): Promise<ImageDataset> {
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
    throw new Error(`${csvName} ${(error as Error).message}`);
  }
  const folder = dirname(resolve(csvPath));
  const columns = readHeader(csvName, rows[0]);
  const candidates: Candidate[] = [];
  const skipped: SkippedFile[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const candidate = rowToCandidate(csvName, folder, row, columns);
    const seen = firstLine.get(candidate.relativePath);
    if (seen !== undefined) throw new Error(`${csvName} line ${row.line}: field "path" repeats ${candidate.relativePath} from line ${seen}`);
    firstLine.set(candidate.relativePath, row.line);
    if (existsSync(candidate.path)) candidates.push(candidate);
    else skipped.push({ relativePath: candidate.relativePath, reason: `file not found (${csvName} line ${row.line})` });
  }
  if (candidates.length === 0) throw new Error(`${csvName}: no existing image files listed`);
  return buildDataset(folder, candidates, skipped, limits);
}
