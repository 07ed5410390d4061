/**
 * The browser tests' launch flow, run inside the dashboard suite (same API, worker, server and
 * browser): launch a run from the launch page (an API field error shown at its field first),
 * watch it finish on its run page (phase markers, log, artifacts, interpretation, a download
 * through the web app's proxy), clone it into a two-run sweep, compare the sweep with its
 * mean ± std band and parallel coordinates, and read the dataset's leaderboard.
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { savePage } from "./screenshot.ts";
import { gql, type ApiStack } from "./stack.ts";

export interface LaunchContext {
  page(): Page;
  webUrl(): string;
  stack(): ApiStack;
  screenshots: string;
  datasetId(): string;
}

const FINISHED = ["SUCCEEDED", "FAILED", "CANCELED"];

async function waitForStatus(page: Page, statuses: string[], timeoutMs: number): Promise<string> {
  await page.waitForFunction((wanted) => wanted.includes(document.querySelector("[data-testid='run-status']")?.textContent ?? ""), statuses, {
    timeout: timeoutMs,
  });
  return (await page.getByTestId("run-status").textContent()) ?? "";
}

async function waitForRuns(stack: ApiStack, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { runs } = await gql<{ runs: { nodes: Array<{ status: string; error: string | null }> } }>(
      stack,
      `query($ids: [ID!]!) { runs(filter: { ids: $ids }) { nodes { status error } } }`,
      { ids },
    );
    if (runs.nodes.every((run) => run.status === "SUCCEEDED")) return;
    const failed = runs.nodes.find((run) => FINISHED.includes(run.status) && run.status !== "SUCCEEDED");
    if (failed) throw new Error(`a sweep run ended ${failed.status}: ${failed.error}`);
    if (Date.now() > deadline) throw new Error(`the sweep runs did not finish within ${timeoutMs} ms: ${runs.nodes.map((run) => run.status).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

export function launchSteps(ctx: LaunchContext): void {
  let runId = "";

  it("launches a run from the launch page, showing an API field error at its field first", async () => {
    const page = ctx.page();
    await page.goto(`${ctx.webUrl()}/launch`);
    expect(await page.locator("#field-batchSize-hint").textContent()).toContain("default 64");
    await page.getByLabel("Dataset").selectOption({ label: "shapes" });
    await page.getByLabel("Architecture").selectOption({ label: "tiny-resnet (3×16×16)" });
    await fill(page, "Run name", "e2e-launched");
    // AUTO is the default recipe, shown with its description; this run pins fastai's fine_tune (two phases to watch).
    expect(await page.getByLabel("recipe", { exact: true }).inputValue()).toBe("AUTO");
    expect(await page.locator("#field-recipe-option").textContent()).toContain("chooses among the linear probe and fine-tuning");
    await page.getByLabel("recipe", { exact: true }).selectOption("FINE_TUNE");
    expect(await page.locator("#field-recipe-option").textContent()).toContain("fastai's fine_tune");
    for (const [label, value] of [
      ["epochs", "1"],
      ["freezeEpochs", "1"],
      ["batchSize", "4"],
      ["lrFindSteps", "5"],
      ["learningRate", "200"],
    ] as const)
      await fill(page, label, value);
    await page.getByText("Augmentation and run options").click();
    await page.getByLabel("augmentation.enabled", { exact: true }).uncheck();
    await page.getByRole("button", { name: "Launch run" }).click();
    const error = page.locator("#field-learningRate-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/100/);
    expect(await page.getByLabel("learningRate", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await savePage(page, ctx.screenshots, "launch-form.png");
    await fill(page, "learningRate", "0.01");
    await page.getByRole("button", { name: "Launch run" }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    runId = new URL(page.url()).pathname.split("/").pop()!;
  }, 120_000);

  it("watches the launched run finish: phase markers, log, artifacts, interpretation, download", async () => {
    const page = ctx.page();
    expect(await waitForStatus(page, FINISHED, 240_000)).toBe("SUCCEEDED");
    await page.waitForFunction(
      () => document.querySelector("[data-chart='train_loss']")?.getAttribute("data-markers")?.includes("unfrozen from step"),
      undefined,
      {
        timeout: 30_000,
      },
    );
    expect(await page.locator("[data-chart='train_loss']").getAttribute("data-markers")).toMatch(/^frozen from step 0, unfrozen from step \d+$/);
    await page.locator("section[aria-label='Artifacts'] a", { hasText: "model.onnx" }).waitFor({ timeout: 30_000 });
    await page.getByRole("table", { name: /Confusion matrix/ }).waitFor();
    await page.getByTestId("lr-find").waitFor();
    expect(await page.locator("[aria-label='Grad-CAM images'] img").count()).toBeGreaterThan(0);
    await page.waitForFunction(() => [...document.querySelectorAll(".interpretation img")].every((img) => (img as HTMLImageElement).naturalWidth > 0));
    await page
      .getByText(/epoch 2 \(unfrozen\)/)
      .first()
      .waitFor({ timeout: 30_000 });
    // A non-empty confusion cell opens its validation images (predictions.csv + the dataset's file route).
    await page.locator(".cell-button", { hasNotText: /^0$/ }).first().click();
    await page.locator("[aria-label='Cell images'] img").first().waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[aria-label='Cell images'] img")].every((img) => (img as HTMLImageElement).naturalWidth > 0),
    );

    const { run } = await gql<{ run: { artifacts: Array<{ name: string; bytes: number }> } }>(
      ctx.stack(),
      `query($id: ID!) { run(id: $id) { artifacts { name bytes } } }`,
      { id: runId },
    );
    const model = run.artifacts.find((artifact) => artifact.name === "model.onnx")!;
    const href = await page.locator("section[aria-label='Artifacts'] a", { hasText: "model.onnx" }).getAttribute("href");
    const downloaded = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength, type: response.headers.get("content-disposition") };
    }, href!);
    expect(downloaded).toEqual({ status: 200, bytes: model.bytes, type: 'attachment; filename="model.onnx"' });
    await savePage(page, ctx.screenshots, "run-launched.png");
  }, 300_000);

  it("clones the run into a two-run sweep and compares it with a mean ± std band", async () => {
    const page = ctx.page();
    await page.getByRole("link", { name: "Clone run" }).click();
    await page.waitForURL(/\/launch\?from=/);
    expect(await page.getByLabel("learningRate", { exact: true }).inputValue()).toBe("0.01");
    expect(await page.getByLabel("batchSize", { exact: true }).inputValue()).toBe("4");
    await page.getByLabel("Sweep", { exact: true }).check();
    await page.getByLabel("Sweep over").selectOption("learningRate");
    await page.getByRole("button", { name: "Add to sweep" }).click();
    await page.getByLabel("Values of learningRate").fill("0.005, 0.02");
    expect(await page.getByTestId("sweep-count").textContent()).toBe("2 runs");
    await page.getByRole("button", { name: "Launch sweep" }).click();
    const links = page.locator("section[aria-label='Launched runs'] li a");
    await links.nth(1).waitFor();
    const ids = await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")!.split("/").pop()!));
    expect(ids).toHaveLength(2);
    // Compare reads the runs' metric keys once: wait until both have trained.
    await waitForRuns(ctx.stack(), ids, 240_000);
    await page.getByRole("link", { name: "Compare these runs" }).click();
    await page.waitForURL(/\/compare\?runs=/);
    await page.getByLabel(/Group runs by group key/).check({ timeout: 60_000 });
    await page.waitForFunction(
      () =>
        document
          .querySelector("[data-chart='train_loss']")
          ?.getAttribute("aria-label")
          ?.match(/mean: [1-9]\d* points/),
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.getByTestId("parallel-coordinates").getAttribute("aria-label")).toContain("learningRate");
    expect(await page.getByTestId("prediction-diff-summary").textContent({ timeout: 30_000 })).toMatch(
      /^[1-9]\d* validation images in both runs: \d+ went from right to wrong, \d+ from wrong to right/,
    );
    await savePage(page, ctx.screenshots, "compare-sweep.png");
  }, 300_000);

  it("shows the launched runs on the dataset's leaderboard", async () => {
    const page = ctx.page();
    await page.goto(`${ctx.webUrl()}/leaderboards?dataset=${ctx.datasetId()}&metric=accuracy`);
    await page.waitForFunction(() => document.querySelectorAll("table[aria-busy='false'] tbody tr").length >= 1, undefined, { timeout: 30_000 });
    expect(await page.locator("table[aria-busy='false'] tbody").textContent()).toContain("tiny-resnet");
    await savePage(page, ctx.screenshots, "leaderboard-launched.png");
  }, 120_000);

  it("shows sample images per class on the dataset page", async () => {
    const page = ctx.page();
    await page.goto(`${ctx.webUrl()}/datasets/${ctx.datasetId()}`);
    const images = page.locator("[aria-label='Samples per class'] img");
    await images.first().waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[aria-label='Samples per class'] img")].every((img) => (img as HTMLImageElement).naturalWidth > 0),
    );
    expect(await page.locator("[aria-label='Samples per class'] h3").allTextContents()).toHaveLength(2);
    await savePage(page, ctx.screenshots, "dataset-samples.png");
  }, 60_000);
}
