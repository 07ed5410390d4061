/** Whole-page screenshots of the dashboard for people to look at. */
import path from "node:path";
import type { Page } from "playwright-core";

/**
 * Scrolled to the top first: the header and sidebar are position: fixed, and a full-page capture
 * draws them where the viewport was, over the middle of the page.
 */
export async function savePage(page: Page, folder: string, file: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(folder, file), fullPage: true });
}
