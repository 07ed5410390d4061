/**
 * A run's validation predictions (the worker's predictions.csv: path, actual, predicted, loss,
 * p_<class>...), the items of one confusion-matrix cell, and the diff of two runs' predictions:
 * items that went from right to wrong and from wrong to right.
 */

export interface Prediction {
  path: string;
  actual: string;
  predicted: string;
  loss: number;
  probabilities: Record<string, number>;
}

export interface Predictions {
  classes: string[];
  rows: Prediction[];
}

/** The first field is a JSON string (the worker writes JSON.stringify(path)); the rest hold no quotes or commas. */
function splitLine(line: string, lineNumber: number): string[] {
  if (!line.startsWith('"')) return line.split(",");
  let end = 1;
  while (end < line.length && line[end] !== '"') end += line[end] === "\\" ? 2 : 1;
  if (end >= line.length) throw new Error(`predictions line ${lineNumber}: unterminated quoted path`);
  const path = JSON.parse(line.slice(0, end + 1)) as string;
  const rest = line.slice(end + 1);
  if (rest !== "" && !rest.startsWith(",")) throw new Error(`predictions line ${lineNumber}: expected a comma after the path`);
  return [path, ...(rest === "" ? [] : rest.slice(1).split(","))];
}

export function parsePredictionsCsv(text: string): Predictions {
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  const header = lines[0]?.split(",") ?? [];
  if (header.slice(0, 4).join(",") !== "path,actual,predicted,loss") {
    throw new Error('predictions: the header must start with "path,actual,predicted,loss"');
  }
  const classes = header.slice(4).map((column) => column.replace(/^p_/, ""));
  const rows = lines.slice(1).map((line, i) => {
    const fields = splitLine(line, i + 2);
    if (fields.length !== 4 + classes.length) throw new Error(`predictions line ${i + 2}: expected ${4 + classes.length} fields, found ${fields.length}`);
    const probabilities = Object.fromEntries(classes.map((name, c) => [name, Number(fields[4 + c])]));
    return { path: fields[0]!, actual: fields[1]!, predicted: fields[2]!, loss: Number(fields[3]), probabilities };
  });
  return { classes, rows };
}

/** The items of one confusion-matrix cell (row: actual, column: predicted), largest loss first. */
export function cellItems(rows: readonly Prediction[], actual: string, predicted: string): Prediction[] {
  return rows.filter((row) => row.actual === actual && row.predicted === predicted).sort((a, b) => b.loss - a.loss);
}

export interface SideOfDiff {
  predicted: string;
  /** Probability of the predicted class. */
  confidence: number;
  /** Probability of the actual class. */
  actualProbability: number;
}

export interface DiffItem {
  path: string;
  actual: string;
  before: SideOfDiff;
  after: SideOfDiff;
}

export interface PredictionDiff {
  /** Right in the first run, wrong in the second; the second run's most confident mistakes first. */
  becameWrong: DiffItem[];
  /** Wrong in the first run, right in the second; the first run's most confident mistakes first. */
  becameRight: DiffItem[];
  /** Items (paths) both runs predicted; the diff only covers these. */
  shared: number;
  /** Items only one of the runs validated on (another split, fold or seed). */
  unmatched: number;
}

function side(row: Prediction): SideOfDiff {
  return {
    predicted: row.predicted,
    confidence: row.probabilities[row.predicted] ?? Number.NaN,
    actualProbability: row.probabilities[row.actual] ?? Number.NaN,
  };
}

export function predictionDiff(first: readonly Prediction[], second: readonly Prediction[]): PredictionDiff {
  const afterByPath = new Map(second.map((row) => [row.path, row]));
  const becameWrong: DiffItem[] = [];
  const becameRight: DiffItem[] = [];
  let shared = 0;
  for (const before of first) {
    const after = afterByPath.get(before.path);
    if (after === undefined || after.actual !== before.actual) continue;
    shared += 1;
    const rightBefore = before.predicted === before.actual;
    const rightAfter = after.predicted === after.actual;
    if (rightBefore === rightAfter) continue;
    (rightBefore ? becameWrong : becameRight).push({ path: before.path, actual: before.actual, before: side(before), after: side(after) });
  }
  becameWrong.sort((a, b) => b.after.confidence - a.after.confidence);
  becameRight.sort((a, b) => b.before.confidence - a.before.confidence);
  return { becameWrong, becameRight, shared, unmatched: first.length + second.length - 2 * shared };
}

/** An item's path relative to the dataset's folder (a CSV's folder for CSV datasets), or null when it lies elsewhere. */
export function datasetRelativePath(sourceUri: string, itemPath: string): string | null {
  const slashes = (path: string) => path.replaceAll("\\", "/").replace(/\/+$/, "");
  const source = slashes(sourceUri);
  const folder = /\.csv$/i.test(source) ? source.slice(0, source.lastIndexOf("/")) : source;
  const item = slashes(itemPath);
  if (folder === "" || !item.startsWith(`${folder}/`)) return null;
  const relative = item.slice(folder.length + 1);
  return relative.split("/").some((part) => part === ".." || part === "." || part === "") ? null : relative;
}

/** The web app's proxy of the API's dataset file route; `size` asks for a thumbnail. */
export function datasetFileHref(datasetId: string, path: string, size?: number): string {
  const query = new URLSearchParams({ path, ...(size === undefined ? {} : { size: String(size) }) });
  return `/api/datasets/${encodeURIComponent(datasetId)}/files?${query}`;
}
