/**
 * The run page in headless Chromium, on a database of its own: a running run seeded through
 * GraphQL with several metric series (per step and per epoch), the worker's transfer params
 * (AUTO's choice, a frozen and an unfrozen stage), the probe baseline and a long log. Checks one
 * chart per metric key, that smoothing and the log scale change what the charts draw (their
 * data attributes, read from uPlot), synced cursors, the stages on the step axis, the probe
 * baseline beside the fine-tuned score, grouped params, the scrolling log, live points, no
 * overlapping panels and no console errors. Screenshots at 1280 and 1920 px, light and dark, go
 * to apps/web/test-output/.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { classImage, writeImage } from "@runboard/trainer/data/testing/images";
import type { Page } from "playwright-core";
import type {} from "@runboard/db/testing/context";
import { createTestDatabase, type TestDatabase } from "@runboard/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, WEB_ROOT } from "../scripts/build-state.ts";
import { startWebServer, type WebServer } from "../scripts/web-server.ts";
import { chromiumMissing, launchChromium, type LaunchedBrowser } from "./browser.ts";
import { savePage } from "./screenshot.ts";
import { logPoints } from "./seed.ts";
import { freePort, gql, startApiStack, type ApiStack } from "./stack.ts";

const SCREENSHOTS = path.join(WEB_ROOT, "test-output");
const missing = chromiumMissing();
/** 4 epochs of 30 steps: epoch e ends at step 30e + 29; stage 0 (frozen) is epoch 0, stage 1 (unfrozen) epochs 1 to 3. */
const STEPS = 120;
const EPOCH_ENDS = [29, 59, 89, 119];
const PROBE = 0.84;
const FINAL_ACCURACY = 0.91;

/** Per step: a noisy train_loss, two layer groups' learning rates and momentum; per epoch: valid_loss, accuracy, epoch_seconds, system load. */
function metricPoints() {
  const points: Array<{ key: string; step: number; value: number }> = [];
  for (let step = 0; step < STEPS; step++) {
    const noise = 0.15 * Math.sin(step * 1.7) * Math.cos(step * 0.31);
    points.push({ key: "train_loss", step, value: 1.5 * Math.exp(-step / 40) + 0.2 + noise });
    const frozen = step < 30;
    points.push({ key: "lr_group_0", step, value: frozen ? 0 : 1e-5 * (1 + Math.cos((Math.PI * (step - 30)) / 90)) });
    points.push({ key: "lr_group_1", step, value: frozen ? 2e-3 : 1e-3 * (1 + Math.cos((Math.PI * (step - 30)) / 90)) });
    points.push({ key: "momentum", step, value: 0.9 });
  }
  EPOCH_ENDS.forEach((step, epoch) => {
    points.push({ key: "valid_loss", step, value: 0.9 - 0.15 * epoch });
    points.push({ key: "accuracy", step, value: [0.8, 0.86, 0.89, FINAL_ACCURACY][epoch]! });
    points.push({ key: "epoch_seconds", step, value: epoch === 0 ? 4 : 21 });
    points.push({ key: "system/cpu_percent", step, value: 70 + epoch });
  });
  points.push({ key: "probe_accuracy", step: STEPS - 1, value: PROBE });
  return points;
}

const CHART_KEYS = ["train_loss", "valid_loss", "accuracy", "lr_group_0", "lr_group_1", "epoch_seconds", "momentum", "system/cpu_percent"];

const PARAMS = [
  { key: "transfer.backbone", value: "mobilenet-v2-imagenet" },
  { key: "transfer.recipe", value: "FINE_TUNE" },
  { key: "transfer.epochs", value: 3 },
  { key: "transfer.freeze_epochs", value: 1 },
  { key: "transfer.freeze_schedule", value: "frozen:1,unfrozen:3" },
  { key: "transfer.layer_groups", value: 2 },
  { key: "transfer.stage_0.phase", value: "frozen" },
  { key: "transfer.stage_0.epochs", value: 1 },
  { key: "transfer.stage_0.lr_group_0", value: 0 },
  { key: "transfer.stage_0.lr_group_1", value: 0.002 },
  { key: "transfer.stage_1.phase", value: "unfrozen" },
  { key: "transfer.stage_1.epochs", value: 3 },
  { key: "transfer.stage_1.lr_group_0", value: 0.00002 },
  { key: "transfer.stage_1.lr_group_1", value: 0.002 },
  { key: "auto.chosen", value: "FINE_TUNE" },
  { key: "auto.reason", value: "FINE_TUNE scored 0.902 ± 0.011 in 5-fold cross-validation, the probe 0.861: more than one standard error better" },
  { key: "auto.selection", value: "k-fold" },
  { key: "data.classes", value: 2 },
  { key: "data.train_items", value: 241 },
  { key: "data.valid_items", value: 153 },
  { key: "worker.device", value: "cpu" },
];

/** Panels that must not overlap one another. */
const PANELS = ["Transfer learning", "Charts", "Details", "Metric summaries", "Interpretation", "Artifacts", "Params", "Tags", "Note", "Log"];

const CLASSES = ["daisy", "rose", "tulip"];
const TOP_LOSSES = [
  { index: 12, predicted: "rose", actual: "tulip", loss: 2.31, probability: 0.9 },
  { index: 40, predicted: "daisy", actual: "rose", loss: 1.7, probability: 0.81 },
];

/** The worker's interpretation artifacts, as files under the artifact root and artifact rows. */
async function seedArtifacts(db: TestDatabase["db"], artifactRoot: string, runId: string): Promise<void> {
  const folder = path.join(artifactRoot, "runs", runId);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, "confusion_matrix.json"),
    JSON.stringify({
      classes: CLASSES,
      counts: [
        [50, 2, 1],
        [3, 45, 0],
        [0, 4, 48],
      ],
    }),
  );
  writeFileSync(path.join(folder, "top_losses.json"), JSON.stringify(TOP_LOSSES));
  const images = { "confusion_matrix.png": 0, "top_losses.png": 1, "grad_cam_0.png": 2, "grad_cam_1.png": 0 };
  for (const [name, classIndex] of Object.entries(images)) await writeImage(path.join(folder, name), classImage(classIndex, 7, 48, 32), { format: "png" });
  const kinds: Record<string, string> = { confusion_matrix: "confusion_matrix", top_losses: "top_losses", grad_cam: "grad_cam" };
  for (const name of ["confusion_matrix.json", "top_losses.json", ...Object.keys(images)]) {
    const bytes = readFileSync(path.join(folder, name));
    const kind = kinds[name.replace(/(_\d+)?\.\w+$/, "")]!;
    await db.pool.query(`INSERT INTO artifact (id, run_id, kind, name, uri, bytes, sha256) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`, [
      runId,
      kind,
      name,
      `runs/${runId}/${name}`,
      bytes.length,
      createHash("sha256").update(bytes).digest("hex"),
    ]);
  }
}

async function overlappingPanels(page: Page): Promise<string[]> {
  return page.evaluate((names) => {
    const boxes = names.map((name) => ({ name, element: document.querySelector(`section[aria-label='${name}']`) }));
    const found = boxes.filter((box): box is { name: string; element: Element } => box.element !== null);
    const overlaps: string[] = [];
    for (const [i, a] of found.entries())
      for (const b of found.slice(i + 1)) {
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        const [ra, rb] = [a.element.getBoundingClientRect(), b.element.getBoundingClientRect()];
        if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1) overlaps.push(`${a.name} / ${b.name}`);
      }
    return overlaps.length === 0 && found.length < names.length
      ? [`missing: ${names.filter((name) => !found.some((box) => box.name === name)).join(", ")}`]
      : overlaps;
  }, PANELS);
}

const consoleErrors: string[] = [];
const chart = (key: string) => `section[aria-label='Charts'] [data-chart='${key}']`;

async function chartsDrawn(page: Page): Promise<void> {
  try {
    await page.waitForFunction(
      (keys) =>
        keys.every((key) =>
          document
            .querySelector(`[data-chart='${key}']`)
            ?.getAttribute("data-drawn")
            ?.match(/^[1-9]/),
        ),
      CHART_KEYS,
    );
  } catch (error) {
    const drawn = await page
      .locator("[data-chart]")
      .evaluateAll((elements) => elements.map((element) => `${element.getAttribute("data-chart")}=${element.getAttribute("data-drawn")}`));
    throw new Error(`charts not drawn (${drawn.join(", ")}; console errors: ${consoleErrors.join(" | ")})`, { cause: error });
  }
}

describe.skipIf(missing !== undefined)(`run page in Chromium${missing === undefined ? "" : ` (${missing})`}`, () => {
  let testDb: TestDatabase;
  let stack: ApiStack;
  let web: WebServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let runId = "";
  let artifactRoot = "";

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    testDb = await createTestDatabase();
    artifactRoot = mkdtempSync(path.join(os.tmpdir(), "runboard-run-page-"));
    stack = await startApiStack(testDb.url, { artifactRoot, sourceRoots: [path.join(artifactRoot, "sources")] });
    const { createProject } = await gql<{ createProject: { id: string } }>(stack, `mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }`, {
      i: { teamId: stack.teamId, name: "flowers", description: "fine-tuning on flowers" },
    });
    const { createRun } = await gql<{ createRun: { id: string } }>(stack, `mutation($i: CreateRunInput!) { createRun(input: $i) { id } }`, {
      i: {
        projectId: createProject.id,
        name: "flowers-auto",
        tags: ["baseline", "mobilenet", "auto", "flowers-102", "week-49", "long-tag-for-the-layout-check"],
        note: "AUTO on flowers: the probe was close, fine-tuning won by about seven points. ".repeat(4).trim(),
        hyperparameters: { recipe: "AUTO", budgetSeconds: 300 },
      },
    });
    runId = createRun.id;
    await gql(stack, `mutation($r: ID!, $p: [ParamInput!]!) { logParams(runId: $r, params: $p) { key } }`, { r: runId, p: PARAMS });
    await logPoints(stack, runId, metricPoints());
    await testDb.db.pool.query(
      `INSERT INTO run_log (run_id, seq, time, level, message)
       SELECT $1, i, now() - (80 - i) * interval '1 second', CASE WHEN i % 20 = 7 THEN 'warn' ELSE 'info' END, 'epoch ' || (i / 20) || ': line ' || i
       FROM generate_series(0, 79) AS i`,
      [runId],
    );
    await seedArtifacts(testDb.db, artifactRoot, runId);
    await ensureBuilt();
    web = await startWebServer({ apiUrl: stack.apiUrl, port: await freePort() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.goto(`${web.url}/signin`);
    await page.getByLabel("API token").fill(stack.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/runs");
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await stack?.close();
    await testDb?.drop();
    if (artifactRoot) rmSync(artifactRoot, { recursive: true, force: true });
  });

  it("draws one chart per metric key, with the stages shaded and the probe baseline", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${web.url}/runs/${runId}`);
    await chartsDrawn(page);
    const keys = await page
      .locator("section[aria-label='Charts'] [data-chart]")
      .evaluateAll((elements) => elements.map((element) => element.getAttribute("data-chart")));
    expect(keys).toEqual(CHART_KEYS);
    // every chart has its own canvas, fed with the whole series
    expect(await page.locator("section[aria-label='Charts'] canvas").count()).toBe(CHART_KEYS.length);
    expect(await page.locator(chart("train_loss")).getAttribute("aria-label")).toContain(`train_loss: ${STEPS} points`);
    // no phase metric: the stage params are placed on the epochs' last steps
    for (const key of ["train_loss", "accuracy"])
      expect(await page.locator(chart(key)).getAttribute("data-stages")).toBe(`frozen 0–${EPOCH_ENDS[0]}, unfrozen ${EPOCH_ENDS[0]! + 1}–${EPOCH_ENDS[3]}`);
    expect(await page.locator(chart("accuracy")).getAttribute("aria-label")).toContain(`probe baseline ${PROBE}`);
    expect(await page.locator(chart("valid_loss")).getAttribute("aria-label")).not.toContain("probe baseline");
  }, 600_000);

  it("tells the transfer story: backbone, AUTO's choice and reason, stages, the probe beside the fine-tuned score", async () => {
    const story = page.locator("section[aria-label='Transfer learning']");
    expect(await story.getByTestId("backbone").textContent()).toBe("mobilenet-v2-imagenet");
    expect(await story.getByTestId("recipe").textContent()).toBe("FINE_TUNE");
    await story.getByText("chosen by AUTO").waitFor();
    expect(await story.getByTestId("auto-reason").textContent()).toContain("more than one standard error better");
    expect(await story.getByTestId("probe-baseline").textContent()).toBe(String(PROBE));
    expect(await story.getByTestId("fine-tuned-score").textContent()).toBe(String(FINAL_ACCURACY));
    expect(await story.getByTestId("gain-over-probe").textContent()).toBe("+0.07 vs probe");
    expect(await story.getByRole("list", { name: "Stages by epochs" }).getByRole("listitem").allTextContents()).toEqual(["frozen · 1 ep", "unfrozen · 3 ep"]);
    expect(await story.getByRole("list", { name: "Stages", exact: true }).getByRole("listitem").allTextContents()).toEqual([
      "0. frozen 1 epoch · lr 0 / 0.002",
      "1. unfrozen 3 epochs · lr 0.00002 / 0.002",
    ]);
  });

  it("smooths with the slider and switches to a log scale: the drawn data and the y scale change", async () => {
    const loss = page.locator(chart("train_loss"));
    const raw = await loss.getAttribute("data-drawn");
    const thumb = page.getByRole("slider", { name: "Smoothing" });
    await thumb.focus();
    await page.keyboard.press("End");
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute("data-smoothing") === "0.99", chart("train_loss"));
    await page.waitForFunction(([selector, before]) => document.querySelector(selector!)?.getAttribute("data-drawn") !== before, [chart("train_loss"), raw]);
    const smoothed = await loss.getAttribute("data-drawn");
    // as many values drawn, with a different sum
    expect(smoothed!.split(":")[0]).toBe(String(STEPS));
    expect(smoothed).not.toBe(raw);
    // every chart follows the slider
    expect(await page.locator(chart("accuracy")).getAttribute("data-smoothing")).toBe("0.99");

    expect(await loss.getAttribute("data-y-scale")).toBe("linear");
    const linearRange = await loss.getAttribute("data-y-range");
    await page.getByRole("switch", { name: "Log scale" }).check();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute("data-y-scale") === "log", chart("train_loss"));
    expect(await loss.getAttribute("data-y-range")).not.toBe(linearRange);
    // a series with zeros (the frozen group's learning rate) stays linear, and says so
    expect(await page.locator(chart("lr_group_0")).getAttribute("data-y-scale")).toBe("linear");
    await page
      .locator("section[aria-label='Charts'] figure", { has: page.locator("[data-chart='lr_group_0']") })
      .getByText("linear (values ≤ 0)")
      .waitFor();
    expect(await page.locator(chart("lr_group_1")).getAttribute("data-y-scale")).toBe("log");
    await savePage(page, SCREENSHOTS, "run-page-charts-smoothed-log.png");

    await page.getByRole("switch", { name: "Log scale" }).uncheck();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute("data-y-scale") === "linear", chart("train_loss"));
    await thumb.focus();
    await page.keyboard.press("Home");
    await page.waitForFunction(([selector, before]) => document.querySelector(selector!)?.getAttribute("data-drawn") === before, [chart("train_loss"), raw]);
  }, 60_000);

  it("moves the cursor on every chart when one is hovered", async () => {
    const over = page.locator(`${chart("train_loss")} .u-over`);
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await page.waitForFunction((selector) => (document.querySelector(selector)?.getAttribute("data-cursor-step") ?? "") !== "", chart("train_loss"));
    const step = Number(await page.locator(chart("train_loss")).getAttribute("data-cursor-step"));
    expect(step).toBeGreaterThan(70);
    expect(step).toBeLessThan(95);
    for (const key of CHART_KEYS.filter((key) => key !== "train_loss")) {
      const other = Number(await page.locator(chart(key)).getAttribute("data-cursor-step"));
      expect(Math.abs(other - step), key).toBeLessThanOrEqual(1);
    }
    await page.mouse.move(0, 0);
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute("data-cursor-step") === "", chart("accuracy"));
  });

  it("groups params by prefix in collapsible sections, and keeps the log in a scrolling panel", async () => {
    const params = page.locator("section[aria-label='Params']");
    expect(await params.locator("[data-param-group]").evaluateAll((items) => items.map((item) => item.getAttribute("data-param-group")))).toEqual([
      "transfer",
      "auto",
      "data",
      "worker",
      "other",
    ]);
    // transfer and auto open; data folded until its control is clicked
    await params.getByRole("table", { name: "transfer params" }).getByText("transfer.stage_1.lr_group_0").waitFor();
    expect(await params.getByRole("table", { name: "data params" }).isVisible()).toBe(false);
    await params.getByRole("button", { name: /^data\.\*/ }).click();
    await params.getByRole("table", { name: "data params" }).getByText("data.valid_items").waitFor();
    expect(await params.getByRole("table", { name: "other params" }).isVisible()).toBe(false);

    const log = page.getByRole("region", { name: "Log" }).locator("pre.log");
    await log.getByText("line 79").waitFor();
    const scroll = await log.evaluate((element) => ({ height: element.clientHeight, content: element.scrollHeight, top: element.scrollTop }));
    expect(scroll.content).toBeGreaterThan(scroll.height);
    // it opens at the newest line
    expect(scroll.top + scroll.height).toBeGreaterThanOrEqual(scroll.content - 8);
    await page.getByRole("table", { name: /Confusion matrix/ }).waitFor();
    expect(await overlappingPanels(page)).toEqual([]);
  });

  it("shows the interpretation panels from the run's artifacts, and previews image artifacts", async () => {
    const interpretation = page.getByRole("region", { name: "Interpretation" });
    const matrix = interpretation.getByRole("table", { name: /Confusion matrix/ });
    expect(await matrix.locator("thead th").allTextContents()).toEqual(["actual \\ predicted", ...CLASSES]);
    expect(await matrix.locator("tbody tr").first().locator("td").allTextContents()).toEqual(["50", "2", "1"]);
    await interpretation.getByText("Most confused: tulip → rose (4), rose → daisy (3), daisy → rose (2), daisy → tulip (1)").waitFor();
    expect(await interpretation.getByRole("list", { name: "Top losses" }).getByRole("listitem").allTextContents()).toEqual([
      "rose / tulip / 2.31 / 0.9",
      "daisy / rose / 1.7 / 0.81",
    ]);
    expect(await interpretation.locator("[aria-label='Grad-CAM images'] img").count()).toBe(2);
    await page.waitForFunction(() => [...document.querySelectorAll(".interpretation img")].every((img) => (img as HTMLImageElement).naturalWidth === 48));

    const previews = page.getByRole("region", { name: "Artifacts" }).locator(".artifact-preview img");
    expect(await previews.evaluateAll((images) => images.map((image) => image.getAttribute("alt")))).toEqual([
      "Preview of confusion_matrix.png",
      "Preview of grad_cam_0.png",
      "Preview of grad_cam_1.png",
      "Preview of top_losses.png",
    ]);
    await previews.last().scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll(".artifact-preview img")].every((img) => (img as HTMLImageElement).naturalWidth === 48));
    // the JSON artifacts have no preview, only their download
    expect(await page.getByRole("region", { name: "Artifacts" }).locator("tbody tr").count()).toBe(6);
  });

  it("adds points as the run logs them", async () => {
    await logPoints(stack, runId, [
      { key: "train_loss", step: STEPS, value: 0.25 },
      { key: "train_loss", step: STEPS + 1, value: 0.24 },
    ]);
    await page.waitForFunction(
      ([selector, wanted]) => document.querySelector(selector!)?.getAttribute("aria-label")?.includes(wanted!),
      [chart("train_loss"), `train_loss: ${STEPS + 2} points`],
      { timeout: 20_000 },
    );
  });

  it("reads well at 1280 and 1920 px, light and dark, without console errors", async () => {
    for (const scheme of ["light", "dark"] as const) {
      if (scheme === "dark") {
        await page.getByRole("button", { name: "Switch to the dark theme" }).click();
        await page.waitForFunction(() => document.documentElement.getAttribute("data-mantine-color-scheme") === "dark");
      }
      for (const width of [1280, 1920]) {
        await page.setViewportSize({ width, height: 1000 });
        await page.goto(`${web.url}/runs/${runId}`);
        await chartsDrawn(page);
        await page.locator("pre.log").getByText("line 79").waitFor();
        // the artifacts come with a query of their own: wait for their panels and images
        await page.getByRole("table", { name: /Confusion matrix/ }).waitFor();
        await page.locator(".artifact-preview img").last().scrollIntoViewIfNeeded();
        await page.waitForFunction(() => [...document.querySelectorAll("main img")].every((img) => (img as HTMLImageElement).complete));
        expect(await overlappingPanels(page)).toEqual([]);
        // the grid fills the width: at least two charts a row
        const tops = await page
          .locator("section[aria-label='Charts'] figure")
          .evaluateAll((figures) => figures.map((figure) => figure.getBoundingClientRect().top));
        expect(tops[1]).toBe(tops[0]);
        await savePage(page, SCREENSHOTS, `run-page-${width}-${scheme}.png`);
      }
    }
    await page.getByRole("button", { name: "Switch to the light theme" }).click();
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
