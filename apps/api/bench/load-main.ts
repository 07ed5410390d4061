/**
 * The load bench alone, 60 s a phase unless `--load-seconds N` says otherwise:
 *   npm run bench:load -w @runboard/api [-- --load-seconds 10]
 * Exits 1 when a phase stored other than the points the API acknowledged.
 */
import { withBenchDatabase } from "./database.ts";
import { loadSecondsArgument, runLoadBench } from "./load-bench.ts";

async function main() {
  const seconds = loadSecondsArgument(process.argv.slice(2), 60);
  await withBenchDatabase(async ({ url, source }) => {
    console.log(`database: ${source}`);
    if (!(await runLoadBench(url, seconds))) process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
