/**
 * The runs table in headless Chromium, on a database of its own with 2,000 seeded runs (plain
 * SQL, in a second): virtualized rows (only a window of them in the DOM, however far it
 * scrolls), the search box with a valid and an invalid query (the API's error under it), the
 * column chooser with metric and param columns, sorting by a chosen column, and the live
 * progress of a running run. Screenshots in light and dark go to apps/web/test-output/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import type {} from "@runboard/db/testing/context";
import { createTestDatabase, type TestDatabase } from "@runboard/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, WEB_ROOT } from "../scripts/build-state.ts";
import { startWebServer, type WebServer } from "../scripts/web-server.ts";
import { chromiumMissing, launchChromium, type LaunchedBrowser } from "./browser.ts";
import { savePage } from "./screenshot.ts";
import { freePort, startApiStack, type ApiStack } from "./stack.ts";

const SCREENSHOTS = path.join(WEB_ROOT, "test-output");
const missing = chromiumMissing();
const SWEEP_RUNS = 2_000;
/** The sweep, alpha-baseline and the running run. */
const TOTAL = SWEEP_RUNS + 2;

/**
 * sweep-0001 … sweep-2000, created a minute apart (sweep-0001 newest): accuracy (i mod 1000) / 1000
 * (min half of it, max accuracy + 0.005), loss 1 - accuracy, lr 0.001·(i mod 5 + 1); even i on
 * mobilenet-v2-imagenet, odd on resnet18; every tenth tagged baseline. Also alpha-baseline
 * (newest, accuracy 0.95) and running-fine-tune (RUNNING, FINE_TUNE 1 + 4 epochs, 2 done).
 */
async function seed(db: TestDatabase["db"], teamId: string): Promise<string> {
  const { rows } = await db.pool.query<{ project: string; mobilenet: string; resnet: string }>(
    `WITH p AS (INSERT INTO project (id, team_id, name, description) VALUES (gen_random_uuid(), $1, 'flowers', 'transfer learning on flowers') RETURNING id),
          m AS (INSERT INTO architecture (id, team_id, name, family, source_format, input_size) VALUES (gen_random_uuid(), $1, 'mobilenet-v2-imagenet', 'mobilenet', 'ONNX', '{3,224,224}') RETURNING id),
          r AS (INSERT INTO architecture (id, team_id, name, family, source_format, input_size) VALUES (gen_random_uuid(), $1, 'resnet18', 'resnet', 'ONNX', '{3,224,224}') RETURNING id)
     SELECT p.id AS project, m.id AS mobilenet, r.id AS resnet FROM p, m, r`,
    [teamId],
  );
  const { project, mobilenet, resnet } = rows[0]!;
  await db.pool.query(
    `INSERT INTO run (id, team_id, project_id, name, status, created_at, started_at, finished_at, architecture_id, tags)
     SELECT gen_random_uuid(), $1, $2, 'sweep-' || lpad(i::text, 4, '0'), 'SUCCEEDED', now() - i * interval '1 minute',
            now() - i * interval '1 minute', now() - i * interval '1 minute' + (60 + i % 300) * interval '1 second',
            CASE WHEN i % 2 = 0 THEN $3::uuid ELSE $4::uuid END, CASE WHEN i % 10 = 0 THEN ARRAY['baseline'] ELSE ARRAY[]::text[] END
     FROM generate_series(1, $5::int) AS i`,
    [teamId, project, mobilenet, resnet, SWEEP_RUNS],
  );
  await db.pool.query(
    `INSERT INTO run (id, team_id, project_id, name, status, created_at, started_at, finished_at, architecture_id, tags) VALUES
       (gen_random_uuid(), $1, $2, 'alpha-baseline', 'SUCCEEDED', now(), now() - interval '5 minutes', now(), $3, ARRAY['baseline']),
       (gen_random_uuid(), $1, $2, 'running-fine-tune', 'RUNNING', now() - interval '1 hour', now() - interval '60 seconds', NULL, $3, ARRAY[]::text[])`,
    [teamId, project, mobilenet],
  );
  await db.pool.query(
    `WITH runs AS (SELECT id, CASE WHEN name LIKE 'sweep-%' THEN substr(name, 7)::int ELSE NULL END AS i, name FROM run WHERE project_id = $1),
          acc AS (SELECT id, i, name, CASE WHEN i IS NOT NULL THEN (i % 1000) / 1000.0 WHEN name = 'alpha-baseline' THEN 0.95 ELSE 0.6 END AS a FROM runs)
     INSERT INTO metric_summary (run_id, key, last, last_step, min, min_step, max, max_step, count)
     SELECT id, 'accuracy', a, 10, a / 2, 1, a + 0.005, 9, 10 FROM acc
     UNION ALL SELECT id, 'loss', 1 - a, 10, 1 - a - 0.01, 9, 2.5, 0, 10 FROM acc
     UNION ALL SELECT id, 'valid_loss', 1 - a, 2, 1 - a, 2, 1.2, 1, 2 FROM acc WHERE name = 'running-fine-tune'`,
    [project],
  );
  await db.pool.query(
    `INSERT INTO run_param (run_id, key, type, number_value, string_value)
     SELECT id, 'lr', 'NUMBER'::"ParamType", (0.001 * (substr(name, 7)::int % 5 + 1))::float8, NULL::text FROM run WHERE project_id = $1 AND name LIKE 'sweep-%'
     UNION ALL SELECT id, 'recipe', 'STRING', NULL, 'AUTO' FROM run WHERE project_id = $1
     UNION ALL SELECT id, 'transfer.recipe', 'STRING', NULL, CASE WHEN name LIKE 'sweep-%' THEN 'LINEAR_PROBE' ELSE 'FINE_TUNE' END FROM run WHERE project_id = $1
     UNION ALL SELECT id, 'transfer.epochs', 'NUMBER', 4, NULL FROM run WHERE project_id = $1 AND name = 'running-fine-tune'
     UNION ALL SELECT id, 'transfer.freeze_epochs', 'NUMBER', 1, NULL FROM run WHERE project_id = $1 AND name = 'running-fine-tune'`,
    [project],
  );
  return project;
}

/** The names of the rows in the DOM, once the table has settled. */
async function renderedRows(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.querySelector("section[aria-label='Runs'] table")?.getAttribute("aria-busy") === "false");
  return page.$$eval("section[aria-label='Runs'] tbody tr[data-run-id] td:nth-child(2)", (cells) => cells.map((cell) => cell.textContent ?? ""));
}

async function search(page: Page, query: string): Promise<void> {
  await page.getByRole("textbox", { name: "Search" }).fill(query);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === query);
}

describe.skipIf(missing !== undefined)(`runs table in Chromium${missing === undefined ? "" : ` (${missing})`}`, () => {
  let testDb: TestDatabase;
  let stack: ApiStack;
  let web: WebServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let projectId = "";

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    testDb = await createTestDatabase();
    stack = await startApiStack(testDb.url);
    projectId = await seed(testDb.db, stack.teamId);
    await ensureBuilt();
    web = await startWebServer({ apiUrl: stack.apiUrl, port: await freePort() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
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
  });

  it("keeps only a window of the 2,002 runs in the DOM, however far it scrolls", async () => {
    await page.goto(`${web.url}/runs?project=${projectId}`);
    const first = await renderedRows(page);
    expect(first[0]).toBe("alpha-baseline");
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(60);
    expect(await page.locator("section[aria-label='Runs'] table").getAttribute("aria-rowcount")).toBe(String(TOTAL + 1));
    expect(await page.locator("#runs-range").textContent()).toContain("2,002 runs");
    await savePage(page, SCREENSHOTS, "runs-virtualized.png");

    // scroll to the end: pages load as the rows come into view
    const scroller = page.getByTestId("runs-scroll");
    const deadline = Date.now() + 90_000;
    let rows = first;
    while (rows.at(-1) !== "sweep-2000" && Date.now() < deadline) {
      await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await page.waitForTimeout(150);
      rows = await renderedRows(page);
    }
    expect(rows.at(-1)).toBe("sweep-2000");
    expect(rows.length).toBeLessThan(60);
    expect(await page.locator("#runs-range").textContent()).toBe("2,002 runs");
    const indexes = await page.$$eval("section[aria-label='Runs'] tbody tr[data-run-id]", (trs) => trs.map((tr) => Number(tr.getAttribute("aria-rowindex"))));
    expect(indexes.at(-1)).toBe(TOTAL + 1);
  }, 150_000);

  it("searches with the query language, and shows the API's error under the box", async () => {
    await page.goto(`${web.url}/runs?project=${projectId}`);
    await renderedRows(page);
    await search(page, 'accuracy >= 0.99 and tags.baseline and backbone = "mobilenet-v2-imagenet"');
    await page.waitForFunction(() => document.querySelector("#runs-range")?.textContent === "2 runs");
    expect(await renderedRows(page)).toEqual(["sweep-0990", "sweep-1990"]);
    await savePage(page, SCREENSHOTS, "runs-search.png");

    await search(page, "params.lr > 0.004 or not (recipe = linear_probe)");
    // lr 0.005 is every fifth sweep run (400), plus the two FINE_TUNE runs
    await page.waitForFunction(() => document.querySelector("#runs-range")?.textContent?.startsWith("402 runs"));

    await search(page, "accuracy > and tags.baseline");
    const error = page.locator("form[role='search']").getByText(/^At character 12: expected a value/);
    await error.waitFor();
    expect(await error.textContent()).toBe('At character 12: expected a value (a number, "text" or a word) after ">", found "and"');
    expect(await page.locator("mark.query-error-mark").textContent()).toBe("a");
    expect(await page.getByRole("textbox", { name: "Search" }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#runs-range").textContent()).toBe("No runs: the search did not run.");
    await savePage(page, SCREENSHOTS, "runs-search-error.png");

    // the error goes when the query is fixed
    await search(page, "accuracy > 0.994 and tags.baseline");
    await page.waitForFunction(() => document.querySelector("#runs-range")?.textContent === "No runs match.");
    expect(await page.locator("mark.query-error-mark").count()).toBe(0);
    await page.getByText("No runs match these filters").waitFor();
  }, 120_000);

  it("adds metric and param columns from the chooser, shows min/max and sorts by them", async () => {
    await page.goto(`${web.url}/runs?project=${projectId}&q=${encodeURIComponent("tags.baseline")}`);
    await page.waitForFunction(() => document.querySelector("#runs-range")?.textContent?.startsWith("201 runs · 100 loaded"));
    await page.getByRole("button", { name: /^Columns/ }).click();
    const metrics = page.getByRole("group", { name: "Metrics" });
    await metrics.getByLabel("accuracy", { exact: true }).waitFor();
    // accuracy, loss and valid_loss: every metric key of the team's runs, not only those on screen
    expect(await metrics.getByRole("checkbox").count()).toBe(3);
    // the box follows the URL: click, then see it checked once the view has changed
    await metrics.getByLabel("accuracy", { exact: true }).click();
    await page.waitForURL(/col=m%3Aaccuracy%3ALAST/);
    expect(await metrics.getByLabel("accuracy", { exact: true }).isChecked()).toBe(true);
    await page.getByRole("group", { name: "Params" }).getByLabel("lr", { exact: true }).click();
    await page.waitForURL(/col=p%3Alr/);
    await page.getByRole("textbox", { name: "Find a key" }).fill("transfer");
    expect(await page.getByRole("group", { name: "Params" }).getByRole("checkbox").count()).toBe(3);
    await savePage(page, SCREENSHOTS, "runs-columns.png");
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: /^accuracy \(last\)/ }).click();
    await page.waitForURL(/sort=METRIC%3Aaccuracy%3ALAST%3ADESC/);
    await page.waitForFunction(() =>
      ["sweep-0990", "sweep-1990"].includes(document.querySelector("section[aria-label='Runs'] tbody tr[data-run-id] td:nth-child(2)")?.textContent ?? ""),
    );
    // ties (equal accuracy) are ordered by run id
    const top = (await renderedRows(page)).slice(0, 4);
    expect(top.slice(0, 2).sort()).toEqual(["sweep-0990", "sweep-1990"]);
    expect(top.slice(2).sort()).toEqual(["sweep-0980", "sweep-1980"]);
    const cells = page.locator("section[aria-label='Runs'] tbody tr[data-run-id]").first().locator("td");
    expect(await cells.nth(7).textContent()).toBe("0.99");
    expect(await cells.nth(8).textContent()).toBe("0.001");
    await cells.nth(7).locator("[data-metric='accuracy']").hover();
    await page.getByRole("tooltip").getByText("accuracy: last 0.99 · min 0.495 · max 0.995").waitFor();
    await savePage(page, SCREENSHOTS, "runs-sorted-by-metric.png");
  }, 120_000);

  it("groups runs by a param with mean ± std of the metric column, and opens one group's runs", async () => {
    await page.goto(`${web.url}/runs?project=${projectId}&col=m%3Aaccuracy%3ALAST`);
    await renderedRows(page);
    await page.getByRole("combobox", { name: "Group by" }).click();
    await page.getByRole("option", { name: "params.lr" }).click();
    await page.waitForURL(/group=PARAM%3Alr/);
    await page.waitForFunction(() => document.querySelector("#groups-range")?.textContent?.startsWith("6 groups · 2,002 runs"));
    const rows = page.locator("section[aria-label='Run groups'] tbody tr");
    expect(await rows.locator("td:nth-child(1)").allTextContents()).toEqual(["0.001", "0.002", "0.003", "0.004", "0.005", "(no lr)"]);
    expect(await rows.locator("td:nth-child(2)").allTextContents()).toEqual(["400", "400", "400", "400", "400", "2"]);
    // lr 0.001 is i = 5, 10, …, 2000: accuracy (i mod 1000) / 1000
    const values = Array.from({ length: 400 }, (_, k) => (((k + 1) * 5) % 1000) / 1000);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    const [shownMean, shownStd] = (await rows.first().locator("td:nth-child(3)").textContent())!.split(" ± ").map(Number);
    expect(shownMean).toBeCloseTo(mean, 3);
    expect(shownStd).toBeCloseTo(std, 3);
    // the two runs without lr (alpha-baseline 0.95, running-fine-tune 0.6)
    expect(await rows.last().locator("td:nth-child(3)").textContent()).toBe("0.775 ± 0.2475");
    await savePage(page, SCREENSHOTS, "runs-grouped.png");

    await page.getByRole("button", { name: "Show the runs of 0.005" }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === "params.lr = 0.005" && !url.searchParams.has("group"));
    await page.waitForFunction(() => document.querySelector("#runs-range")?.textContent?.startsWith("400 runs"));
  }, 60_000);

  it("shows a running run's epoch progress, and keeps compare selection", async () => {
    await page.goto(`${web.url}/runs?project=${projectId}&q=${encodeURIComponent("recipe = fine_tune")}`);
    await page.waitForFunction(() => document.querySelector("#runs-range")?.textContent === "2 runs");
    const progress = page.getByRole("progressbar");
    expect(await progress.getAttribute("aria-label")).toMatch(/^epoch 2 of 5 · about \d+[smh]( \d\d[sm])? left$/);
    await page.getByLabel("Select alpha-baseline to compare").check();
    await page.getByLabel("Select running-fine-tune to compare").check();
    expect(await page.getByRole("link", { name: "Compare selected (2)" }).getAttribute("href")).toMatch(/^\/compare\?runs=[0-9a-f-]{36},[0-9a-f-]{36}$/);
    expect(await page.getByRole("link", { name: "running-fine-tune" }).getAttribute("href")).toMatch(/^\/runs\/[0-9a-f-]{36}$/);
  }, 60_000);

  it("reads well in the dark theme", async () => {
    await page.goto(`${web.url}/runs?project=${projectId}&col=m%3Aaccuracy%3ALAST&col=p%3Alr`);
    await renderedRows(page);
    await page.getByRole("button", { name: "Switch to the dark theme" }).click();
    await page.waitForFunction(() => document.documentElement.getAttribute("data-mantine-color-scheme") === "dark");
    await savePage(page, SCREENSHOTS, "runs-table-dark.png");
    await search(page, "accuracy >");
    await page.locator("mark.query-error-mark").waitFor();
    await savePage(page, SCREENSHOTS, "runs-search-error-dark.png");
    await page.getByRole("button", { name: "Switch to the light theme" }).click();
  }, 60_000);
});
