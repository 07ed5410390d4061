/**
 * The architectures page's "Add from catalog" list in headless Chromium: a real API on a
 * database of its own, whose backbone catalog points at a local HTTP server serving small
 * generated models (never the internet), the production build, and a browser that adds an
 * entry (watching its download's progress), then meets a wrong hash and a missing network.
 * The screenshot goes to apps/web/test-output/architectures-catalog.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestCatalog, type TestCatalog } from "@runboard/api/testing/model-catalog";
import { createTestDatabase, type TestDatabase } from "@runboard/db/testing/test-database";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, WEB_ROOT } from "../scripts/build-state.ts";
import { startWebServer, type WebServer } from "../scripts/web-server.ts";
import { chromiumMissing, launchChromium, type LaunchedBrowser } from "./browser.ts";
import { savePage } from "./screenshot.ts";
import { freePort, gql, startApiStack, type ApiStack } from "./stack.ts";

const SCREENSHOTS = path.join(WEB_ROOT, "test-output");
const missing = chromiumMissing();

describe.skipIf(missing !== undefined)(`add from catalog in Chromium${missing === undefined ? "" : ` (${missing})`}`, () => {
  let database: TestDatabase;
  let catalog: TestCatalog;
  let stack: ApiStack;
  let web: WebServer;
  let browser: LaunchedBrowser;
  let page: Page;
  const scratch = mkdtempSync(path.join(os.tmpdir(), "runboard-web-catalog-"));

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A database of its own: the shared one belongs to the dashboard test, which needs it empty.
    database = await createTestDatabase();
    // The slow entry takes about 8 × 600 ms: long enough to see its progress bar move.
    catalog = await startTestCatalog(scratch, { "tiny-resnet18": "slow", "tiny-wrong-hash": "wrong", "tiny-offline": "offline", "tiny-lost": "slow" }, 600);
    stack = await startApiStack(database.url, {
      artifactRoot: path.join(scratch, "artifacts"),
      sourceRoots: [scratch],
      modelCatalog: { catalogFile: catalog.catalogFile, cacheDir: catalog.cacheDir },
    });
    await ensureBuilt();
    web = await startWebServer({ apiUrl: stack.apiUrl, port: await freePort() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await stack?.close();
    await catalog?.close();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("lists the catalog, adds an entry with a visible download progress, and registers it", async () => {
    await page.goto(`${web.url}/signin`);
    await page.getByLabel("API token").fill(stack.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/runs");
    await page.goto(`${web.url}/architectures`);
    const list = page.getByRole("region", { name: "Add from catalog" });
    const rows = list.locator("tbody tr");
    await page.waitForFunction(() => document.querySelectorAll("section[aria-label='Add from catalog'] tbody tr").length === 4);
    expect(await rows.locator("td:first-child p:first-child").allTextContents()).toEqual(["tiny-resnet18", "tiny-wrong-hash", "tiny-offline", "tiny-lost"]);
    expect(await list.locator("tr[data-entry='tiny-resnet18']").textContent()).toContain("not downloaded");

    await list.getByRole("button", { name: "Add tiny-resnet18" }).click();
    const progress = list.getByRole("progressbar", { name: "Download progress of tiny-resnet18" });
    await progress.waitFor();
    const shown = Number(await progress.getAttribute("aria-valuenow"));
    expect(shown).toBeLessThan(100);
    await savePage(page, SCREENSHOTS, "architectures-catalog-progress.png");
    await list.getByRole("status").filter({ hasText: "Added tiny-resnet18" }).waitFor();
    // The page's table (server-rendered) shows the new architecture after the refresh.
    await page.getByRole("table", { name: "Architectures" }).getByRole("link", { name: "tiny-resnet18" }).waitFor();
    const row = list.locator("tr[data-entry='tiny-resnet18']");
    await row.getByText("added as tiny-resnet18").waitFor();
    await row.getByText("cached").waitFor();
    expect(await list.getByRole("button", { name: "Add tiny-resnet18" }).isDisabled()).toBe(true);
    const { architectures } = await gql<{ architectures: { name: string; fileUri: string }[] }>(stack, `{ architectures { name fileUri } }`);
    expect(architectures).toEqual([{ name: "tiny-resnet18", fileUri: "catalog:tiny-resnet18" }]);
  }, 120_000);

  it("shows why an entry was refused: a wrong sha256, and no network", async () => {
    const list = page.getByRole("region", { name: "Add from catalog" });
    await list.getByRole("button", { name: "Add tiny-wrong-hash" }).click();
    const wrong = list.locator("tr[data-entry='tiny-wrong-hash']").getByRole("alert");
    await wrong.waitFor();
    expect(await wrong.textContent()).toMatch(/sha256 [0-9a-f]{64} does not match the catalog's/);

    await list.getByRole("button", { name: "Add tiny-offline" }).click();
    const offline = list.locator("tr[data-entry='tiny-offline']").getByRole("alert");
    await offline.waitFor();
    expect(await offline.textContent()).toMatch(
      /^no network: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\); catalog model 'tiny-offline' is not in the server's model cache$/,
    );
    await savePage(page, SCREENSHOTS, "architectures-catalog.png");
    const { architectures } = await gql<{ architectures: { name: string }[] }>(stack, `{ architectures { name } }`);
    expect(architectures.map((a) => a.name)).toEqual(["tiny-resnet18"]);
  }, 120_000);

  it("settles an import whose answer is lost (a proxy's timeout) from the catalog's state", async () => {
    // The mutation reaches the API, but the browser sees the connection fail.
    await page.route("**/api/graphql", async (route) => {
      if (!route.request().postData()?.includes("ImportCatalogArchitecture")) return route.fallback();
      void route.fetch().catch(() => {});
      await route.abort("connectionreset");
    });
    const list = page.getByRole("region", { name: "Add from catalog" });
    await list.getByRole("button", { name: "Add tiny-lost" }).click();
    const row = list.locator("tr[data-entry='tiny-lost']");
    await row.getByRole("progressbar", { name: "Download progress of tiny-lost" }).waitFor();
    await row.getByRole("status").filter({ hasText: "Added tiny-lost." }).waitFor();
    await page.getByRole("table", { name: "Architectures" }).getByRole("link", { name: "tiny-lost" }).waitFor();
    expect(await row.getByRole("alert").count()).toBe(0);
    await page.unroute("**/api/graphql");
  }, 120_000);
});
