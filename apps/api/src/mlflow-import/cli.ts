/**
 * runboard import mlflow <mlruns folder> --api URL --token T [--project ID | --team TEAM]
 * Brings an MLflow file store into Runboard over the API's MLflow REST; safe to run again.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readMlruns } from "./file-store.ts";
import { importMlflowStore, type ImportSummary } from "./importer.ts";

export const USAGE = `usage: runboard import mlflow <mlruns folder> --api URL --token TOKEN [--project ID | --team TEAM]
  --api URL        the Runboard API (e.g. http://localhost:4000)
  --token TOKEN    an API token with write access (as for MLFLOW_TRACKING_TOKEN)
  --project ID     put every run into this project (default: one project per MLflow experiment, by name)
  --team TEAM      the team (id or slug) new projects belong to, when the token's user is in several
Runs are keyed by their MLflow run id (tag runboard.import.mlflow_run_id): importing again adds nothing.`;

export function summaryText(summary: ImportSummary): string {
  const lines = [
    `experiments ${summary.experiments} (${summary.projectsCreated} new projects)`,
    `runs imported ${summary.runsImported}${summary.runsRedone ? ` (${summary.runsRedone} left incomplete by an earlier import, redone)` : ""}, already there ${summary.runsAlreadyThere}, deleted in MLflow and skipped ${summary.deletedRunsSkipped}`,
    `params ${summary.params}, tags ${summary.tags}, metric points ${summary.metricPoints}${summary.nonFinitePointsSkipped ? ` (${summary.nonFinitePointsSkipped} NaN/Inf points skipped)` : ""}`,
    `artifacts ${summary.artifactFiles} files, ${(summary.artifactBytes / 1e6).toFixed(1)} MB`,
  ];
  return lines.join("\n");
}

function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `import [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} runs`;
}

/** Returns the exit code: 0 done, 1 failed, 2 bad usage. */
export async function importCli(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { api: { type: "string" }, token: { type: "string" }, project: { type: "string" }, team: { type: "string" } },
    });
  } catch (error) {
    err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [kind, folder, ...extra] = positionals;
  if (kind !== "mlflow" || !folder || extra.length > 0 || !values.api || !values.token) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const experiments = readMlruns(resolve(folder));
    const summary = await importMlflowStore(experiments, {
      apiUrl: values.api,
      token: values.token,
      ...(values.project ? { projectId: values.project } : {}),
      ...(values.team ? { team: values.team } : {}),
      onProgress: (done, total) => {
        if (err.isTTY) err.write(`\r${progressBar(done, total)}${done === total ? "\n" : ""}`);
        else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) err.write(`${progressBar(done, total)}\n`);
      },
    });
    out.write(`${summaryText(summary)}\n`);
    return 0;
  } catch (error) {
    err.write(`runboard import mlflow: error: ${(error as Error).message}\n`);
    return 1;
  }
}

// Run as a script (`npm run import -w @runboard/api -- mlflow …`): paths are meant from where npm was typed.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  process.exitCode = await importCli(process.argv.slice(2));
}
