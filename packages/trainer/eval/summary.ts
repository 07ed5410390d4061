/**
 * The evaluation's closing table: one row per evaluated model, with the machine's load average
 * when the row was recorded (the numbers of a shared 2-core machine mean little without it).
 */
import { loadavg } from "node:os";
import { percent } from "./report.ts";

export interface SummaryRow {
  section: string;
  model: string;
  /** Validation accuracy, or the mean over folds. */
  accuracy: number;
  /** What `accuracy` holds when it is not the classification accuracy (e.g. "mIoU" for segmentation). */
  metric?: string;
  /** Standard deviation over folds (k-fold sections). */
  accuracyStd?: number;
  /** The linear probe's accuracy on the same split(s): the baseline printed beside every accuracy. */
  probeAccuracy?: number;
  /** The recipe that made the model (AUTO's choice where AUTO ran). */
  recipe?: string;
  /** Mean seconds per epoch (frozen and unfrozen together); absent where the section does not time epochs. */
  secondsPerEpoch?: number;
  imagesPerSecond?: number;
  wallMinutes: number;
  /** "met" / "NOT met" with the target, when the section has one. */
  target?: string;
}

export interface RecordedRow extends SummaryRow {
  /** 1-minute load average when the row was recorded. */
  load: number;
}

export class EvaluationSummary {
  readonly rows: RecordedRow[] = [];

  add(row: SummaryRow): void {
    this.rows.push({ ...row, load: loadavg()[0] ?? 0 });
  }

  /** A fixed-width table (markdown-compatible) of every row. */
  format(): string {
    const header = ["section", "model", "accuracy", "probe", "recipe", "s/epoch", "img/s", "wall min", "load", "target"];
    const body = this.rows.map((r) => [
      r.section,
      r.model,
      `${r.accuracyStd === undefined ? percent(r.accuracy) : `${percent(r.accuracy)} ± ${percent(r.accuracyStd)}`}${r.metric ? ` ${r.metric}` : ""}`,
      r.probeAccuracy === undefined ? "–" : percent(r.probeAccuracy),
      r.recipe ?? "–",
      r.secondsPerEpoch?.toFixed(1) ?? "–",
      r.imagesPerSecond?.toFixed(1) ?? "–",
      r.wallMinutes.toFixed(1),
      r.load.toFixed(1),
      r.target ?? "",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
  }

  print(log: (line: string) => void = console.log): void {
    if (this.rows.length === 0) {
      log("summary: no section produced a result (data or models absent?)");
      return;
    }
    log("summary");
    log(this.format());
  }
}
