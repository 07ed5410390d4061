/**
 * The dashboard end to end in headless Chromium: a real API on the test database (seeded
 * through GraphQL), the production build served by `next start`, and a browser that signs in,
 * sorts and filters runs, watches a run's chart move, compares two runs and reads the
 * leaderboard. Screenshots go to apps/web/test-output/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import type {} from "@runboard/db/testing/context";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureBuilt, WEB_ROOT } from "../scripts/build-state.ts";
import { startWebServer, type WebServer } from "../scripts/web-server.ts";
import { chromiumMissing, launchChromium, type LaunchedBrowser } from "./browser.ts";
import { launchSteps } from "./launch-steps.ts";
import { onboardingSteps } from "./onboarding-steps.ts";
import { savePage } from "./screenshot.ts";
import { createRuns, curvePoints, finishRuns, logPoints, seedCatalog, type RunSpec } from "./seed.ts";
import { freePort, startApiStack, type ApiStack } from "./stack.ts";
import { importTinyCatalog, startWorkerProcess, type WorkerProcess } from "./worker-process.ts";

const SCREENSHOTS = path.join(WEB_ROOT, "test-output");
const missing = chromiumMissing();
if (missing !== undefined) console.warn(`web e2e: ${missing}`);

const SPECS: RunSpec[] = [
  {
    name: "mnv2-lr1e-3-s0",
    architectureIndex: 0,
    learningRate: 0.001,
    seed: 0,
    groupKey: "mnv2-lr1e-3",
    tags: ["baseline"],
    accuracy: 0.9,
    finish: "SUCCEEDED",
  },
  {
    name: "mnv2-lr1e-3-s1",
    architectureIndex: 0,
    learningRate: 0.001,
    seed: 1,
    groupKey: "mnv2-lr1e-3",
    tags: ["baseline"],
    accuracy: 0.86,
    finish: "SUCCEEDED",
  },
  { name: "mnv2-lr1e-2", architectureIndex: 0, learningRate: 0.01, seed: 0, tags: ["sweep"], accuracy: 0.75, finish: "FAILED" },
  { name: "mnv1-lr1e-3", architectureIndex: 1, learningRate: 0.001, seed: 0, tags: ["sweep"], accuracy: 0.82, finish: "SUCCEEDED" },
  { name: "mnv1-lr3e-4", architectureIndex: 1, learningRate: 0.0003, seed: 0, tags: ["sweep"], accuracy: 0.84, finish: "SUCCEEDED" },
  { name: "mnv1-live", architectureIndex: 1, learningRate: 0.0005, seed: 0, tags: [], accuracy: 0.7, finish: null },
];
const STEPS = 200;

async function rowNames(page: Page): Promise<string[]> {
  return page.$$eval("section[aria-label='Runs'] tbody tr td:nth-child(2)", (cells) => cells.map((cell) => cell.textContent ?? ""));
}

/** Waits until the runs table has settled on `count` rows. */
async function waitForRows(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction(
    (expected) => {
      const table = document.querySelector("section[aria-label='Runs'] table");
      return table?.getAttribute("aria-busy") === "false" && table.querySelectorAll("tbody tr").length === expected;
    },
    count,
    { timeout: 30_000 },
  );
  return rowNames(page);
}

describe.skipIf(missing !== undefined)(`dashboard in Chromium${missing === undefined ? "" : ` (${missing})`}`, () => {
  let stack: ApiStack;
  let web: WebServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let worker: WorkerProcess | undefined;
  let tinyDatasetId = "";
  const runIds = new Map<string, string>();
  // Launched runs' artifacts and the imported tiny catalog live here.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "runboard-web-e2e-"));

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const artifactRoot = path.join(scratch, "artifacts");
    stack = await startApiStack(inject("databaseUrl"), { artifactRoot, sourceRoots: [scratch] });
    // The worker starts (tsx, ONNX Runtime) while the runs are seeded and the dashboard builds.
    const workerStarting = startWorkerProcess(inject("databaseUrl"), artifactRoot);
    workerStarting.catch(() => {});
    tinyDatasetId = (await importTinyCatalog(stack, scratch)).datasetId;
    const catalog = await seedCatalog(stack, scratch);
    const ids = await createRuns(stack, catalog, SPECS);
    SPECS.forEach((spec, i) => runIds.set(spec.name, ids[i]!));
    for (const [i, id] of ids.entries()) await logPoints(stack, id, curvePoints(SPECS[i]!.accuracy, STEPS));
    await finishRuns(
      stack,
      SPECS.flatMap((spec, i) => (spec.finish === null ? [] : [{ id: ids[i]!, status: spec.finish }])),
    );
    await ensureBuilt();
    worker = await workerStarting;
    web = await startWebServer({ apiUrl: stack.apiUrl, port: await freePort() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await worker?.close();
    await stack?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("refuses a wrong token, then signs in with the seeded one", async () => {
    await page.goto(`${web.url}/runs`);
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.getByLabel("API token").fill("rb_not-a-real-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#signin-error").waitFor();
    expect(await page.locator("#signin-error").textContent()).toContain("refused");
    await page.getByLabel("API token").fill(stack.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/runs");
    expect(await waitForRows(page, SPECS.length)).toHaveLength(SPECS.length);
    const cookies = await browser.context.cookies();
    expect(cookies.find((cookie) => cookie.name === "runboard_session")?.httpOnly).toBe(true);
  }, 120_000);

  it("sorts the runs by a metric column on the server and filters them", async () => {
    await page.getByRole("button", { name: /^Columns/ }).click();
    await page.getByLabel("Column key").fill("valid_accuracy");
    await page.getByRole("button", { name: "Add column" }).click();
    await page.getByRole("button", { name: /^valid_accuracy \(last\)/ }).click();
    await page.waitForURL(/sort=METRIC/);
    expect((await waitForRows(page, 6))[0]).toBe("mnv2-lr1e-3-s0");
    await page.getByRole("button", { name: /^valid_accuracy \(last\)/ }).click();
    await page.waitForURL(/ASC/);
    expect((await waitForRows(page, 6))[0]).toBe("mnv1-live");

    await page.getByLabel("succeeded").click();
    await page.waitForURL(/status=SUCCEEDED/);
    expect(await waitForRows(page, 4)).not.toContain("mnv2-lr1e-2");
    await page.getByLabel("Filter on").selectOption("metric");
    await page.getByLabel("Key", { exact: true }).fill("valid_accuracy");
    await page.getByLabel("Min", { exact: true }).fill("0.83");
    await page.getByRole("button", { name: "Add filter" }).click();
    expect(await waitForRows(page, 3)).toEqual(["mnv1-lr3e-4", "mnv2-lr1e-3-s1", "mnv2-lr1e-3-s0"]);
    await savePage(page, SCREENSHOTS, "runs-table.png");
  }, 120_000);

  it("shows a running run's charts and moves them as metrics arrive; edits tags", async () => {
    const runId = runIds.get("mnv1-live")!;
    await page.goto(`${web.url}/runs/${runId}`);
    const losses = page.locator("[data-chart='train_loss']");
    await page.waitForFunction(() => document.querySelector("[data-chart='train_loss']")?.getAttribute("aria-label")?.includes(`train_loss: 200 points`));
    expect(await losses.locator("canvas").count()).toBe(1);
    await page.getByText(/metrics · live$/).waitFor();
    // Keep logging new steps until the subscription (SSE through the Next route) delivers them.
    let step = STEPS;
    const deadline = Date.now() + 20_000;
    while (!(await losses.getAttribute("aria-label"))?.match(/train_loss: 2(0[1-9]|[1-9]\d) points/) && Date.now() < deadline) {
      await logPoints(stack, runId, [{ key: "train_loss", step, value: 0.05 }]);
      step += 1;
      await page.waitForTimeout(300);
    }
    expect(await losses.getAttribute("aria-label")).toMatch(/train_loss: 2(0[1-9]|[1-9]\d) points/);

    await page.getByLabel("New tag").fill("e2e");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByRole("button", { name: "Remove tag e2e" }).waitFor();
    await savePage(page, SCREENSHOTS, "run-page.png");
    await page.reload();
    await page.getByRole("button", { name: "Remove tag e2e" }).waitFor();
  }, 120_000);

  it("compares two selected runs: overlaid charts and a highlighted param diff", async () => {
    await page.goto(`${web.url}/runs?sort=NAME:ASC`);
    await waitForRows(page, 6);
    await page.getByLabel("Select mnv1-lr1e-3 to compare").check();
    await page.getByLabel("Select mnv2-lr1e-2 to compare").check();
    await page.getByRole("link", { name: "Compare selected (2)" }).click();
    await page.waitForURL(/\/compare\?runs=/);
    await page.locator("[data-chart='valid_accuracy'] canvas").waitFor();
    const label = await page.locator("[data-chart='valid_accuracy']").getAttribute("aria-label");
    expect(label).toContain("mnv1-lr1e-3: 200 points");
    expect(label).toContain("mnv2-lr1e-2: 200 points");
    expect(await page.locator("tr[data-differs='true'] th").allTextContents()).toEqual(["lr (differs)"]);
    await savePage(page, SCREENSHOTS, "compare.png");
  }, 120_000);

  it("ranks architectures on the dataset's leaderboard, linked to the best runs", async () => {
    await page.goto(`${web.url}/leaderboards`);
    const table = page.getByRole("table", { name: "Leaderboard by valid_accuracy" });
    await page.waitForFunction(() => document.querySelectorAll("table[aria-busy='false'] tbody tr").length === 2);
    const bestRuns = await table.locator("tbody tr td:nth-child(3) a").allTextContents();
    expect(bestRuns).toEqual(["mnv2-lr1e-3-s0", "mnv1-lr3e-4"]);
    await savePage(page, SCREENSHOTS, "leaderboard.png");
    await table.getByRole("link", { name: "mnv2-lr1e-3-s0" }).click();
    await page.waitForURL(`**/runs/${runIds.get("mnv2-lr1e-3-s0")}`);
    await page.goto(`${web.url}/datasets`);
    await page.getByRole("link", { name: "ants-bees" }).click();
    await page.getByRole("heading", { name: "ants-bees" }).waitFor();
    expect(await page.locator("tfoot td").allTextContents()).toEqual(["241", "153"]);
  }, 120_000);

  launchSteps({ page: () => page, webUrl: () => web.url, stack: () => stack, screenshots: SCREENSHOTS, datasetId: () => tinyDatasetId });
  // Last: it switches the browser's session to a new, empty team.
  onboardingSteps({ page: () => page, webUrl: () => web.url, stack: () => stack, screenshots: SCREENSHOTS });
});
