/**
 * The team settings pages and project rename in headless Chromium, on a database of its own:
 * an owner creates an API token (the secret shown once, then working against the API), sees it
 * listed with its last use, and revokes it; creates invite links, revokes one, and a second
 * user accepts the other from its link (signing in on the way) and appears as a member; role
 * changes and the API's refusals shown beside the action; the audit log; a viewer's pages hold
 * no destructive button; a project renamed on the projects page. Screenshots (light and dark)
 * go to apps/web/test-output/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { seedUserWithoutTeam } from "@runboard/api/testing/harness";
import type {} from "@runboard/db/testing/context";
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
const NEWCOMER = "ada@example.com";
const VIEWER = "vera@example.com";

/** Buttons that change or remove something, by their visible or accessible names. */
const DESTRUCTIVE = /^(Remove|Revoke|Leave team|Rename|Create invite|Create project)\b/;

async function signIn(page: Page, webUrl: string, token: string): Promise<void> {
  await page.goto(`${webUrl}/signin`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/runs");
}

async function dark(page: Page, on: boolean): Promise<void> {
  await page.getByRole("button", { name: on ? "Switch to the dark theme" : "Switch to the light theme" }).click();
  await page.waitForFunction((scheme) => document.documentElement.getAttribute("data-mantine-color-scheme") === scheme, on ? "dark" : "light");
}

async function buttonNames(page: Page): Promise<string[]> {
  return page
    .locator("main button, main [role='button']")
    .evaluateAll((buttons) => buttons.map((button) => (button.getAttribute("aria-label") ?? button.textContent ?? "").trim()));
}

describe.skipIf(missing !== undefined)(`team settings in Chromium${missing === undefined ? "" : ` (${missing})`}`, () => {
  let database: TestDatabase;
  let stack: ApiStack;
  let web: WebServer;
  let owner: LaunchedBrowser;
  let other: LaunchedBrowser;
  let page: Page;
  let newcomer: { userId: string; token: string };
  let viewer: { userId: string; token: string };
  const apiAs = (token: string) => ({ apiUrl: stack.apiUrl, token });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A database of its own: the shared one belongs to the dashboard test, which needs it empty.
    database = await createTestDatabase();
    stack = await startApiStack(database.url);
    newcomer = await seedUserWithoutTeam(database.db, NEWCOMER);
    viewer = await seedUserWithoutTeam(database.db, VIEWER);
    // The viewer joins through the API; the newcomer will join through the browser.
    const { inviteMember } = await gql(stack, `mutation($t: ID!) { inviteMember(input: { teamId: $t, role: VIEWER, email: "${VIEWER}" }) { token } }`, {
      t: stack.teamId,
    });
    await gql(apiAs(viewer.token), `mutation($token: String!) { acceptInvite(token: $token) { id } }`, { token: inviteMember.token });
    await ensureBuilt();
    web = await startWebServer({ apiUrl: stack.apiUrl, port: await freePort() });
    owner = await launchChromium();
    other = await launchChromium();
    page = await owner.context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, web.url, stack.token);
  });

  afterAll(async () => {
    await owner?.close();
    await other?.close();
    await web?.close();
    await stack?.close();
    await database?.drop();
  });

  it("opens the team settings from the user menu and the sidebar", async () => {
    await page.getByRole("button", { name: /^Account: / }).click();
    await page.getByRole("menuitem", { name: "Team settings" }).click();
    await page.waitForURL("**/settings/members");
    const members = page.getByRole("table", { name: "Members" });
    await members.locator("tr[data-member='admin@localhost']").waitFor();
    expect(await members.locator("tbody tr").count()).toBe(2);
    expect(await page.getByTestId("own-role").textContent()).toBe("Owner");
    // The sidebar's entry: /settings opens the members.
    await page.goto(`${web.url}/runs`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team settings" }).click();
    await page.waitForURL("**/settings/members");
  }, 60_000);

  it("creates a token with an expiry, shows its secret once, lists it with its last use, and revokes it", async () => {
    await page.getByRole("tab", { name: "API tokens" }).click();
    await page.waitForURL("**/settings/tokens");
    const list = page.getByRole("table", { name: "API tokens" });
    // The session's own token is marked.
    await list.getByText("this session").waitFor();

    // An empty name is refused at the field, before the API.
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByText("Give the token a name").waitFor();

    await page.getByLabel("Name").fill("ci-box");
    await page.getByLabel("Expires").selectOption("30");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token-secret").textContent()) ?? "";
    expect(secret).toMatch(/^rb_/);
    await page.getByRole("button", { name: "Copy token" }).waitFor();
    const row = list.locator("tr[data-token='ci-box']");
    await row.waitFor();
    expect(await row.textContent()).toContain("active");
    expect(await row.locator("td").nth(3).textContent()).toBe("never");
    const expires = Date.parse(`${(await row.locator("td").nth(4).textContent())!.replace(" ", "T")}Z`);
    expect(Math.abs(expires - (Date.now() + 30 * 86_400_000))).toBeLessThan(3_600_000);

    // The secret works, and its use shows as "last used".
    const { me } = await gql<{ me: { user: { email: string } } }>(apiAs(secret), `{ me { user { email } } }`);
    expect(me.user.email).toBe("admin@localhost");
    await page.reload();
    expect(await list.locator("tr[data-token='ci-box'] td").nth(3).textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // Shown once: after the reload the secret is gone from the page.
    expect(await page.getByTestId("new-token-secret").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await savePage(page, SCREENSHOTS, "settings-tokens.png");

    await list.getByRole("button", { name: "Revoke token ci-box" }).click();
    await list.getByRole("button", { name: "Revoke", exact: true }).click();
    await list
      .locator("tr[data-token='ci-box']")
      .getByText(/^revoked /)
      .waitFor();
    const refused = await fetch(stack.apiUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: "{ me { user { id } } }" }),
    });
    expect(refused.status).toBe(401);
    expect(await list.getByRole("button", { name: "Revoke token ci-box" }).count()).toBe(0);
    await dark(page, true);
    await savePage(page, SCREENSHOTS, "settings-tokens-dark.png");
    await dark(page, false);
  }, 90_000);

  let link = "";

  it("creates invites, revokes one, and a second user accepts the other from its link", async () => {
    await page.getByRole("tab", { name: "Invites" }).click();
    await page.waitForURL("**/settings/invites");
    // An email invite, then revoked.
    await page.getByLabel("Email (optional)").fill("someone@example.com");
    await page.getByRole("button", { name: "Create invite" }).click();
    await page.getByTestId("invite-link").waitFor();
    const pending = page.getByRole("table", { name: "Pending invites" });
    await pending.getByText("someone@example.com").waitFor();
    // The API's rule, shown beside the form: expiresInHours is 1 to 720.
    await page.getByLabel(/^Expires after \(hours/).fill("1000");
    await page.getByRole("button", { name: "Create invite" }).click();
    await page.locator("[role='alert'], .mantine-NumberInput-error").filter({ hasText: /720/ }).first().waitFor();
    await page.getByLabel(/^Expires after \(hours/).fill("48");

    // A link invite for a member.
    await page.getByLabel("Email (optional)").fill("");
    await page.getByRole("button", { name: "Create invite" }).click();
    await page.getByText("Anyone holding the link may accept it, once").waitFor();
    link = (await page.getByTestId("invite-link").textContent()) ?? "";
    expect(link).toMatch(new RegExp(`^${web.url.replace(/[.:/]/g, "\\$&")}/join\\?token=rbi_`));
    await page.getByRole("button", { name: "Copy link" }).waitFor();
    await pending.getByText("anyone with the link").waitFor();
    expect(await pending.locator("tbody tr").count()).toBe(2);
    await savePage(page, SCREENSHOTS, "settings-invites.png");

    const emailRow = pending.locator("tr").filter({ hasText: "someone@example.com" });
    await emailRow.getByRole("button", { name: /^Revoke invite / }).click();
    await emailRow.waitFor({ state: "detached" });
    expect(await pending.locator("tbody tr").count()).toBe(1);
    const { invites } = await gql<{ invites: { email: string | null }[] }>(stack, `query($t: ID!) { invites(teamId: $t) { email } }`, { t: stack.teamId });
    expect(invites).toEqual([{ email: null }]);

    // The second user opens the link signed out: signs in, comes back, joins.
    const visitor = await other.context.newPage();
    visitor.setDefaultTimeout(30_000);
    await visitor.goto(link);
    await visitor.waitForURL("**/signin?next=*");
    await visitor.getByLabel("API token").fill(newcomer.token);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await visitor.waitForURL("**/join?token=*");
    await visitor.getByText(`You are signed in as ${NEWCOMER}`).waitFor();
    await savePage(visitor, SCREENSHOTS, "join-invite.png");
    await visitor.getByRole("button", { name: "Join the team" }).click();
    await visitor.waitForURL("**/settings/members*");
    await visitor.getByRole("table", { name: "Members" }).locator(`tr[data-member='${NEWCOMER}']`).getByText("you").waitFor();
    expect(await visitor.getByTestId("own-role").textContent()).toBe("Member");
    // A member has no owner actions: no role selects, no remove; but may leave.
    expect(await visitor.getByRole("combobox", { name: /^Role of / }).count()).toBe(0);
    expect(await visitor.getByRole("button", { name: /^Remove / }).count()).toBe(0);
    await visitor.getByRole("button", { name: "Leave team" }).waitFor();

    // The link works once: opened again, the API's reason is shown on the page.
    await visitor.goto(link);
    await visitor.getByRole("button", { name: "Join the team" }).click();
    await visitor
      .getByRole("alert")
      .filter({ hasText: /already|accepted|member/ })
      .waitFor();
    await visitor.close();

    // The owner sees the new member.
    await page.getByRole("tab", { name: "Members" }).click();
    await page.waitForURL("**/settings/members");
    const row = page.getByRole("table", { name: "Members" }).locator(`tr[data-member='${NEWCOMER}']`);
    await row.waitFor();
    expect(await row.getByRole("combobox", { name: `Role of ${NEWCOMER}` }).inputValue()).toBe("MEMBER");
  }, 120_000);

  it("changes a role, and shows the API's refusal beside the action", async () => {
    const members = page.getByRole("table", { name: "Members" });
    await members.getByRole("combobox", { name: `Role of ${NEWCOMER}` }).selectOption("VIEWER");
    await expect
      .poll(
        async () =>
          (
            await gql<{ members: { user: { email: string }; role: string }[] }>(stack, `query($t: ID!) { members(teamId: $t) { user { email } role } }`, {
              t: stack.teamId,
            })
          ).members.find((m) => m.user.email === NEWCOMER)?.role,
      )
      .toBe("VIEWER");

    // The last owner cannot demote themselves: the rule appears in their row, the role stays.
    const self = members.locator("tr[data-member='admin@localhost']");
    await self.getByRole("combobox", { name: "Role of admin@localhost" }).selectOption("MEMBER");
    await self.getByRole("alert").filter({ hasText: "last owner" }).waitFor();
    expect(await self.getByRole("combobox", { name: "Role of admin@localhost" }).inputValue()).toBe("OWNER");
    // Nor leave.
    await self.getByRole("button", { name: "Leave team" }).click();
    await self.getByRole("button", { name: "Leave", exact: true }).click();
    await self.getByRole("alert").filter({ hasText: "last owner cannot leave" }).waitFor();
    await savePage(page, SCREENSHOTS, "settings-members.png");
    await dark(page, true);
    await savePage(page, SCREENSHOTS, "settings-members-dark.png");
    await dark(page, false);
  }, 60_000);

  it("lists the audit log for owners, newest first", async () => {
    await page.getByRole("tab", { name: "Audit log" }).click();
    await page.waitForURL("**/settings/audit");
    const events = page.getByRole("table", { name: "Audit events" });
    await events.waitFor();
    const actions = await events.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-action")));
    expect(actions.slice(0, 3)).toEqual(["MEMBER_ROLE_CHANGED", "MEMBER_JOINED", "INVITE_REVOKED"]);
    expect(actions).toContain("TOKEN_REVOKED");
    expect(actions).toContain("TOKEN_CREATED");
    expect(await events.locator("tbody tr").first().textContent()).toContain(`email: ${NEWCOMER}, from: MEMBER, to: VIEWER`);
    await savePage(page, SCREENSHOTS, "settings-audit.png");
  }, 60_000);

  it("shows a viewer read-only pages with no destructive button", async () => {
    const visitor = await other.context.newPage();
    visitor.setDefaultTimeout(30_000);
    // The second browser is signed in as the newcomer, now a viewer; sign in as the other viewer.
    await signIn(visitor, web.url, viewer.token);
    await visitor.goto(`${web.url}/settings/members`);
    await visitor.getByRole("table", { name: "Members" }).locator(`tr[data-member='${VIEWER}']`).waitFor();
    expect(await visitor.getByTestId("own-role").textContent()).toBe("Viewer");
    expect(await visitor.getByRole("combobox", { name: /^Role of / }).count()).toBe(0);
    expect((await buttonNames(visitor)).filter((name) => DESTRUCTIVE.test(name))).toEqual([]);
    await savePage(visitor, SCREENSHOTS, "settings-viewer.png");

    await visitor.goto(`${web.url}/settings/invites`);
    await visitor.getByText("Owners invite").waitFor();
    expect((await buttonNames(visitor)).filter((name) => DESTRUCTIVE.test(name))).toEqual([]);
    await visitor.goto(`${web.url}/settings/audit`);
    await visitor.getByText("Owners read the audit log").waitFor();
    expect(await visitor.getByRole("table", { name: "Audit events" }).count()).toBe(0);

    await gql(stack, `mutation($t: ID!) { createProject(input: { teamId: $t, name: "seen by viewers" }) { id } }`, { t: stack.teamId });
    await visitor.goto(`${web.url}/projects`);
    await visitor.getByRole("link", { name: "seen by viewers", exact: true }).waitFor();
    expect((await buttonNames(visitor)).filter((name) => DESTRUCTIVE.test(name))).toEqual([]);
    await dark(visitor, true);
    await visitor.goto(`${web.url}/settings/members`);
    await visitor.getByRole("table", { name: "Members" }).waitFor();
    await savePage(visitor, SCREENSHOTS, "settings-viewer-dark.png");
    await visitor.close();
  }, 90_000);

  it("renames a project on the projects page", async () => {
    await gql(stack, `mutation($t: ID!) { createProject(input: { teamId: $t, name: "pets" }) { id } }`, { t: stack.teamId });
    await page.goto(`${web.url}/projects`);
    const table = page.getByRole("table", { name: "Projects" });
    await table.getByRole("button", { name: "Rename pets" }).click();
    const input = table.getByRole("textbox", { name: "New name of pets" });
    // A name taken in the team: the API's rule beside the field.
    await input.fill("seen by viewers");
    await table.getByRole("button", { name: "Save" }).click();
    await table.getByText("a project of this name exists in the team").waitFor();
    await savePage(page, SCREENSHOTS, "projects-rename-error.png");
    await input.fill("pets-classifier");
    await table.getByRole("button", { name: "Save" }).click();
    await table.getByRole("link", { name: "pets-classifier", exact: true }).waitFor();
    expect(await table.getByRole("link", { name: "pets", exact: true }).count()).toBe(0);
    // The sidebar's switcher reads the new name too, and so does the API.
    await expect.poll(() => page.locator("#project-switcher option").allTextContents()).toContain("pets-classifier");
    const { projects } = await gql<{ projects: { name: string }[] }>(stack, `{ projects { name } }`);
    expect(projects.map((project) => project.name).sort()).toEqual(["pets-classifier", "seen by viewers"]);
    await savePage(page, SCREENSHOTS, "projects-renamed.png");
    await dark(page, true);
    await savePage(page, SCREENSHOTS, "projects-renamed-dark.png");
    await dark(page, false);
  }, 60_000);
});
