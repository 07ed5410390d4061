/**
 * The browser tests' onboarding checks, run inside the dashboard suite (same API, server and
 * browser): the styled 404 page and the favicon; a new team's empty pages, which say what to do
 * and name the API's importDataset/importArchitecture; a project created from the projects
 * page, found in the sidebar's switcher, preselected on the launch page and holding a run.
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { savePage } from "./screenshot.ts";
import { gql, type ApiStack } from "./stack.ts";

export interface OnboardingContext {
  page(): Page;
  webUrl(): string;
  stack(): ApiStack;
  screenshots: string;
}

const TEAM = "Fresh lab";
const PROJECT = "first-project";

/** The text of the page's empty-state card (one per page in these checks). */
async function emptyState(page: Page): Promise<string> {
  const card = page.locator("[data-empty-state]").first();
  await card.waitFor();
  return (await card.textContent()) ?? "";
}

export function onboardingSteps(ctx: OnboardingContext): void {
  let teamId = "";

  it("answers an unknown address with the styled 404 page, and serves the favicon", async () => {
    const page = ctx.page();
    const response = await page.goto(`${ctx.webUrl()}/no-such-page`);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.getByRole("link", { name: "Go to runs" }).getAttribute("href")).toBe("/runs");
    // Mantine's stylesheet is applied: the card is not the browser's default look.
    expect(await page.locator("body").evaluate((body) => getComputedStyle(body).fontFamily)).toContain("Inter");
    const icon = await page.locator("link[rel='icon']").first().getAttribute("href");
    expect(icon).toMatch(/^\/icon\.svg/);
    const served = await page.evaluate(async (href) => {
      const answer = await fetch(href);
      return { status: answer.status, type: answer.headers.get("content-type") };
    }, icon!);
    expect(served).toEqual({ status: 200, type: expect.stringContaining("image/svg+xml") });
    await savePage(page, ctx.screenshots, "not-found.png");
    await page.getByRole("link", { name: "Go to runs" }).click();
    await page.waitForURL("**/runs");
  }, 120_000);

  it("shows a new team's empty pages with what to do next, naming the API's import mutations", async () => {
    const page = ctx.page();
    teamId = (await gql<{ createTeam: { id: string } }>(ctx.stack(), `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: TEAM } }))
      .createTeam.id;
    await page.goto(`${ctx.webUrl()}/runs`);
    await page.getByLabel("Team", { exact: true }).selectOption({ label: `${TEAM} (owner)` });
    await page.waitForFunction((name) => document.querySelector("[data-empty-state]")?.textContent?.includes(name), "No runs in this team yet");
    expect(await page.getByRole("link", { name: "Launch a run" }).getAttribute("href")).toBe("/launch");
    await savePage(page, ctx.screenshots, "empty-runs.png");

    await page.goto(`${ctx.webUrl()}/datasets`);
    const datasets = await emptyState(page);
    expect(datasets).toContain(`No datasets in ${TEAM} yet`);
    expect(datasets).toContain("importDataset");
    expect(datasets).not.toContain("registerDataset");
    await savePage(page, ctx.screenshots, "empty-datasets.png");

    await page.goto(`${ctx.webUrl()}/architectures`);
    const architectures = await emptyState(page);
    expect(architectures).toContain("importArchitecture");
    expect(architectures).toContain("mobilenet-v2-imagenet");
    expect(architectures).not.toContain("registerArchitecture");

    await page.goto(`${ctx.webUrl()}/leaderboards`);
    expect(await emptyState(page)).toContain("No datasets in this team yet");
    await page.goto(`${ctx.webUrl()}/compare`);
    expect(await emptyState(page)).toContain("Choose runs to compare");

    await page.goto(`${ctx.webUrl()}/launch`);
    const checklist = page.getByRole("list", { name: "Launch checklist" });
    expect(await checklist.locator("[data-step='to-do']").count()).toBe(3);
    expect(await checklist.textContent()).toContain("importDataset");
    await savePage(page, ctx.screenshots, "empty-launch.png");
  }, 120_000);

  it("creates a project from the projects page, finds it in the sidebar and launches into it", async () => {
    const page = ctx.page();
    await page.goto(`${ctx.webUrl()}/projects`);
    expect(await emptyState(page)).toContain(`No projects in ${TEAM} yet`);
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByText("Give the project a name.").waitFor();

    await page.getByLabel("Project name").fill(PROJECT);
    await page.getByLabel("Description").fill("The first runs of a new team");
    await page.getByRole("button", { name: "Create project" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Project ${PROJECT} created` })
      .waitFor();
    // Created through the API in the chosen team, listed on the page and in the sidebar.
    const { projects } = await gql<{ projects: Array<{ id: string; name: string; description: string }> }>(
      ctx.stack(),
      `query($t: ID) { projects(teamId: $t) { id name description } }`,
      { t: teamId },
    );
    expect(projects).toEqual([{ id: expect.any(String), name: PROJECT, description: "The first runs of a new team" }]);
    const projectId = projects[0]!.id;
    await page.getByRole("table", { name: "Projects" }).getByRole("link", { name: PROJECT, exact: true }).waitFor();
    await page.waitForFunction((name) => [...document.querySelectorAll("#project-switcher option")].some((option) => option.textContent === name), PROJECT);
    await savePage(page, ctx.screenshots, "project-created.png");

    await page.getByRole("link", { name: "Launch its first run" }).click();
    await page.waitForURL(`**/launch?project=${projectId}`);
    expect(await page.locator("#field-projectId").inputValue()).toBe(projectId);
    const checklist = page.getByRole("list", { name: "Launch checklist" });
    expect(await checklist.locator("[data-step='done']").allTextContents()).toEqual([expect.stringContaining("A project to hold the runs")]);

    await page.locator("#project-switcher").selectOption({ label: PROJECT });
    await page.waitForURL(`**/runs?project=${projectId}`);
    expect(await emptyState(page)).toContain("No runs in this project yet");
    expect(await page.getByRole("link", { name: "Launch a run" }).getAttribute("href")).toBe(`/launch?project=${projectId}`);
  }, 120_000);

  it("shows a run without metrics, params or tags with messages instead of empty boxes", async () => {
    const page = ctx.page();
    const { projects } = await gql<{ projects: Array<{ id: string }> }>(ctx.stack(), `query($t: ID) { projects(teamId: $t) { id } }`, { t: teamId });
    const { createRun } = await gql<{ createRun: { id: string } }>(ctx.stack(), `mutation($i: CreateRunInput!) { createRun(input: $i) { id } }`, {
      i: { projectId: projects[0]!.id, name: "bare-run" },
    });
    await page.goto(`${ctx.webUrl()}/runs/${createRun.id}`);
    const summaries = page.locator("section[aria-label='Metric summaries']");
    await summaries.getByRole("heading", { name: "No metrics yet" }).waitFor();
    await page.getByText("No tags yet").waitFor();
    await page.getByText("This run recorded no params.").waitFor();
    await savePage(page, ctx.screenshots, "run-empty.png");
  }, 120_000);

  it("switches to the dark theme from the header, and keeps it on the next page", async () => {
    const page = ctx.page();
    await page.goto(`${ctx.webUrl()}/projects`);
    const scheme = (value: string) => page.locator(`html[data-mantine-color-scheme='${value}']`).waitFor({ state: "attached" });
    await scheme("light");
    await page.getByRole("button", { name: "Switch to the dark theme" }).click();
    await scheme("dark");
    await page.goto(`${ctx.webUrl()}/runs`);
    expect(await page.locator("html").getAttribute("data-mantine-color-scheme")).toBe("dark");
    const background = await page.locator("body").evaluate((body) => getComputedStyle(body).backgroundColor);
    // A dark body: every channel of rgb(r, g, b) well below the middle.
    expect(
      background
        .match(/\d+/g)!
        .slice(0, 3)
        .every((channel) => Number(channel) < 80),
    ).toBe(true);
    await page.locator("section[aria-label='Runs'] table[aria-busy='false'] tbody tr").first().waitFor();
    await savePage(page, ctx.screenshots, "runs-dark.png");
    await page.getByRole("button", { name: "Switch to the light theme" }).click();
    await scheme("light");
  }, 120_000);
}
