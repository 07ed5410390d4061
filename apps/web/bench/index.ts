/**
 * Dashboard benchmarks in headless Chromium, against a real API on a scratch database:
 *  1. the runs page over 10,000 runs: navigation to the first page of rows drawn (interactive),
 *     and a server-side re-sort by a metric column;
 *  2. a chart of 20 runs × 100,000 points each (downsampled by the API): compare page from
 *     navigation to the chart drawn, and uPlot's own draw time for that data.
 * Prints numbers; no thresholds are asserted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ensureBuilt } from "../scripts/build-state.ts";
import { startWebServer } from "../scripts/web-server.ts";
import { chromiumMissing, launchChromium } from "../e2e/browser.ts";
import { createRuns, finishRuns, logPoints, seedCatalog, type RunSpec } from "../e2e/seed.ts";
import { freePort, gql, startApiStack } from "../e2e/stack.ts";
import { createScratchDatabase } from "./scratch-database.ts";

const RUN_COUNT = Number(process.env.BENCH_RUNS ?? 10_000);
const CHART_RUNS = 20;
const CHART_POINTS = Number(process.env.BENCH_POINTS ?? 100_000);
const REPEATS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function specs(count: number): RunSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `bench-${String(i).padStart(5, "0")}`,
    architectureIndex: i % 2,
    learningRate: 1e-4 * (1 + (i % 50)),
    seed: i % 5,
    tags: [i % 3 === 0 ? "sweep" : "baseline"],
    accuracy: 0.5 + ((i * 7919) % 1000) / 2000,
    finish: "SUCCEEDED",
  }));
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(missing);
  const database = await createScratchDatabase();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "runboard-web-bench-"));
  const stack = await startApiStack(database.url, { artifactRoot: path.join(scratch, "artifacts"), sourceRoots: [scratch] });
  try {
    let started = performance.now();
    const catalog = await seedCatalog(stack, scratch);
    const ids = await createRuns(stack, catalog, specs(RUN_COUNT));
    // One summary per run (valid_accuracy) in requests of 100 runs.
    for (let start = 0; start < ids.length; start += 100) {
      const batch = ids.slice(start, start + 100);
      const fields = batch.map(
        (id, i) =>
          `m${i}: logMetrics(runId: "${id}", points: [{ key: "valid_accuracy", step: 0, value: ${0.5 + (((start + i) * 7919) % 1000) / 2000} }]) { inserted }`,
      );
      await gql(stack, `mutation {\n${fields.join("\n")}\n}`);
    }
    await finishRuns(
      stack,
      ids.map((id) => ({ id, status: "SUCCEEDED" as const })),
    );
    console.log(`seed: ${RUN_COUNT} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    started = performance.now();
    const chartRuns = ids.slice(0, CHART_RUNS);
    for (const id of chartRuns) {
      const points = Array.from({ length: CHART_POINTS }, (_, step) => ({
        key: "train_loss",
        step,
        value: 1 / (1 + step / 1000) + 0.05 * Math.sin(step / 50),
      }));
      await logPoints(stack, id, points);
    }
    console.log(`seed: ${CHART_RUNS} runs × ${CHART_POINTS} points in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    await ensureBuilt((line) => process.stdout.write(line));
    const web = await startWebServer({ apiUrl: stack.apiUrl, port: await freePort() });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(120_000);
      await page.goto(`${web.url}/signin`);
      await page.getByLabel("API token").fill(stack.token);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL("**/runs");
      await page.locator("section[aria-label='Runs'] tbody tr").first().waitFor();

      const loads: number[] = [];
      const sorts: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const t0 = performance.now();
        await page.goto(`${web.url}/runs?col=m:valid_accuracy:LAST`);
        await page.waitForFunction(() => document.querySelector("section[aria-label='Runs'] table[aria-busy='false'] tbody tr") !== null);
        loads.push(performance.now() - t0);
        const t1 = performance.now();
        await page.getByRole("button", { name: /^valid_accuracy \(last\)/ }).click();
        await page.waitForFunction(
          () => location.search.includes("sort=METRIC") && document.querySelector("section[aria-label='Runs'] table[aria-busy='false'] tbody tr") !== null,
        );
        sorts.push(performance.now() - t1);
      }
      console.log(
        `runs page over ${RUN_COUNT} runs: interactive (navigation → first page of rows) median ${median(loads).toFixed(0)} ms [${loads.map((v) => v.toFixed(0)).join(", ")}]`,
      );
      console.log(`runs page: server-side re-sort by a metric column median ${median(sorts).toFixed(0)} ms [${sorts.map((v) => v.toFixed(0)).join(", ")}]`);

      const draws: number[] = [];
      const pageLoads: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const t0 = performance.now();
        await page.goto(`${web.url}/compare?runs=${chartRuns.join(",")}`);
        await page.locator("[data-chart='train_loss'] canvas").waitFor();
        await page.waitForFunction(() =>
          /bench-\d+: [1-9]\d* points/.test(document.querySelector("[data-chart='train_loss']")?.getAttribute("aria-label") ?? ""),
        );
        pageLoads.push(performance.now() - t0);
        // The chart's own User Timing entry: data handed to uPlot (aligned) until drawn.
        const measured = await page.evaluate(() => performance.getEntriesByName("chart-draw:train_loss").map((entry) => entry.duration));
        draws.push(Math.max(...measured));
      }
      const label = await page.locator("[data-chart='train_loss']").getAttribute("aria-label");
      console.log(
        `chart of ${CHART_RUNS} runs × ${CHART_POINTS} points: compare page (navigation → chart drawn) median ${median(pageLoads).toFixed(0)} ms [${pageLoads.map((v) => v.toFixed(0)).join(", ")}]`,
      );
      console.log(`chart: points drawn per run after API downsampling: ${label?.match(/: (\d+) points/)?.[1]}`);
      console.log(
        `chart: draw of the 20 downsampled series (align + uPlot draw, slowest of the page) median ${median(draws).toFixed(1)} ms [${draws.map((v) => v.toFixed(1)).join(", ")}]`,
      );
    } finally {
      await browser.close();
      await web.close();
    }
  } finally {
    await stack.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
