/**
 * Team flows through the API: create a team, invite (link or email), accept, list members,
 * change roles, remove, leave; the last-owner rule; the audit log and its paging.
 * Isolation between teams and the role checks are in server/team-isolation.test.ts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, gqlOk, openSocket, seedTeam, seedUserWithoutTeam, startTestApi, type SeededUser, type TestApi } from "../testing/harness.ts";
import { slugFromName } from "./teams.ts";

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const CREATE_TEAM = `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name slug role } }`;
const INVITE = `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token invite { id role email prefix expiresAt acceptedAt } } }`;
const ACCEPT = `mutation($token: String!) { acceptInvite(token: $token) { id role } }`;
const MEMBERS = `query($teamId: ID!) { members(teamId: $teamId) { user { id email } role joinedAt } }`;
const CHANGE_ROLE = `mutation($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { user { id } role } }`;
const REMOVE = `mutation($teamId: ID!, $userId: ID!) { removeMember(teamId: $teamId, userId: $userId) { user { id } role } }`;
const LEAVE = `mutation($teamId: ID!) { leaveTeam(teamId: $teamId) { user { id } role } }`;
const AUDIT = `query($teamId: ID!, $first: Int, $after: String) {
  auditLog(teamId: $teamId, first: $first, after: $after) {
    nodes { id action actor { id } subjectType subjectId detail createdAt }
    pageInfo { endCursor hasNextPage } } }`;

async function newTeam(owner: SeededUser, name = `Team ${randomUUID()}`): Promise<string> {
  const data = await gqlOk(t.url, owner.token, CREATE_TEAM, { input: { name } });
  return data.createTeam.id;
}

async function invite(owner: SeededUser, teamId: string, role: string, email?: string): Promise<{ token: string; id: string }> {
  const data = await gqlOk(t.url, owner.token, INVITE, { input: { teamId, role, ...(email === undefined ? {} : { email }) } });
  return { token: data.inviteMember.token, id: data.inviteMember.invite.id };
}

const roleOf = async (teamId: string, userId: string) =>
  (await t.db.pool.query(`SELECT role FROM membership WHERE team_id = $1 AND user_id = $2`, [teamId, userId])).rows[0]?.role ?? null;

function inputError(result: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) {
  const error = result.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}

describe("createTeam", () => {
  it("makes the creator its owner, with a slug from the name", async () => {
    const founder = await seedUserWithoutTeam(t.db);
    const name = `Vision Lab ${randomUUID().slice(0, 8)}`;
    const data = await gqlOk(t.url, founder.token, CREATE_TEAM, { input: { name } });
    expect(data.createTeam).toMatchObject({ name, slug: slugFromName(name), role: "OWNER" });
    expect(await roleOf(data.createTeam.id, founder.userId)).toBe("OWNER");
    const teams = await gqlOk(t.url, founder.token, `{ teams { id role } }`);
    expect(teams.teams).toEqual([{ id: data.createTeam.id, role: "OWNER" }]);
  });

  it("derives slugs without accents or punctuation", () => {
    expect(slugFromName("Vision Lab (Zürich)")).toBe("vision-lab-zurich");
    expect(slugFromName("  --Ants & Bees--  ")).toBe("ants-bees");
    expect(slugFromName("!!!")).toBe("");
  });

  it("refuses a taken slug, a bad slug and a blank name, naming the field, and writes nothing", async () => {
    const founder = await seedUserWithoutTeam(t.db);
    const slug = `taken-${randomUUID()}`;
    await gqlOk(t.url, founder.token, CREATE_TEAM, { input: { name: "first", slug } });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: "second", slug }, "input.slug", "input.slug: a team with this slug exists; choose another"],
      [{ name: "x", slug: "Not A Slug" }, "input.slug", "input.slug: must be 1 to 60 lower-case letters, digits and single '-' between them"],
      [
        { name: "!!!" },
        "input.slug",
        "input.slug: is needed when the name holds no letter or digit; must be 1 to 60 lower-case letters, digits and single '-' between them",
      ],
      [{ name: "   " }, "input.name", "input.name: must not be empty"],
    ];
    for (const [input, field, message] of cases) {
      expect(inputError(await gql(t.url, founder.token, CREATE_TEAM, { input }))).toEqual({ code: "BAD_USER_INPUT", field, message });
    }
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM membership WHERE user_id = $1`, [founder.userId]);
    expect(rows[0].n).toBe(1);
  });
});

describe("invites", () => {
  it("a link invite makes whoever accepts it a member with its role, once; only its hash is stored", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const created = await gqlOk(t.url, owner.token, INVITE, { input: { teamId, role: "MEMBER" } });
    const { token, invite: stored } = created.inviteMember;
    expect(token).toMatch(/^rbi_[A-Za-z0-9_-]{43}$/);
    expect(stored).toMatchObject({ role: "MEMBER", email: null, acceptedAt: null });
    expect(token.startsWith(stored.prefix)).toBe(true);
    expect(Date.parse(stored.expiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    const { rowCount } = await t.db.pool.query(`SELECT 1 FROM team_invite i WHERE position($1 in i::text) > 0`, [token]);
    expect(rowCount).toBe(0);

    const newcomer = await seedUserWithoutTeam(t.db);
    expect((await gqlOk(t.url, newcomer.token, ACCEPT, { token })).acceptInvite).toEqual({ id: teamId, role: "MEMBER" });
    expect(await roleOf(teamId, newcomer.userId)).toBe("MEMBER");

    const second = await seedUserWithoutTeam(t.db);
    expect(inputError(await gql(t.url, second.token, ACCEPT, { token }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "token",
      message: "token: the invite was used already; ask for a new one",
    });
    expect(await roleOf(teamId, second.userId)).toBeNull();
  });

  it("an email invite is accepted only by the user of that address (in any case)", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const address = `${randomUUID()}@example.com`;
    const { token } = await invite(owner, teamId, "VIEWER", `  ${address.toUpperCase()} `);
    const stranger = await seedUserWithoutTeam(t.db);
    expect(inputError(await gql(t.url, stranger.token, ACCEPT, { token })).message).toBe("token: the invite is for another email address");
    expect(await roleOf(teamId, stranger.userId)).toBeNull();
    const invited = await seedUserWithoutTeam(t.db, address);
    expect((await gqlOk(t.url, invited.token, ACCEPT, { token })).acceptInvite).toEqual({ id: teamId, role: "VIEWER" });
  });

  it("refuses an expired invite and a revoked one; revoking is idempotent", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const newcomer = await seedUserWithoutTeam(t.db);
    const expired = await invite(owner, teamId, "MEMBER");
    await t.db.pool.query(`UPDATE team_invite SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    expect(inputError(await gql(t.url, newcomer.token, ACCEPT, { token: expired.token })).message).toBe("token: the invite has expired; ask for a new one");

    const revoked = await invite(owner, teamId, "MEMBER");
    const pending = await gqlOk(t.url, owner.token, `query($teamId: ID!) { invites(teamId: $teamId) { id } }`, { teamId });
    expect(pending.invites).toEqual([{ id: revoked.id }]);
    const REVOKE = `mutation($id: ID!) { revokeInvite(id: $id) { id revokedAt } }`;
    const first = await gqlOk(t.url, owner.token, REVOKE, { id: revoked.id });
    const again = await gqlOk(t.url, owner.token, REVOKE, { id: revoked.id });
    expect(again.revokeInvite.revokedAt).toBe(first.revokeInvite.revokedAt);
    expect(inputError(await gql(t.url, newcomer.token, ACCEPT, { token: revoked.token })).message).toBe("token: the invite is unknown or was revoked");
    expect(await roleOf(teamId, newcomer.userId)).toBeNull();
    expect((await gqlOk(t.url, owner.token, `query($teamId: ID!) { invites(teamId: $teamId) { id } }`, { teamId })).invites).toEqual([]);
  });

  it("refuses a member who accepts again and leaves the invite usable; refuses malformed tokens and inputs", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const { token } = await invite(owner, teamId, "OWNER");
    expect(inputError(await gql(t.url, owner.token, ACCEPT, { token })).message).toBe("token: you are a member of this team already");
    const newcomer = await seedUserWithoutTeam(t.db);
    expect((await gqlOk(t.url, newcomer.token, ACCEPT, { token })).acceptInvite.role).toBe("OWNER");

    expect(inputError(await gql(t.url, newcomer.token, ACCEPT, { token: owner.token }))).toMatchObject({
      field: "token",
      message: "token: must be an invite token (rbi_ and 43 characters)",
    });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ teamId, role: "MEMBER", email: "not-an-address" }, "input.email: must be an email address"],
      [{ teamId, role: "MEMBER", expiresInHours: 0 }, "input.expiresInHours: must be ≥ 1"],
      [{ teamId, role: "MEMBER", expiresInHours: 721 }, "input.expiresInHours: must be ≤ 720 (30 days)"],
      [{ teamId: "team-a", role: "MEMBER" }, "input.teamId: must be a UUID"],
    ];
    for (const [input, message] of bad) {
      expect(inputError(await gql(t.url, owner.token, INVITE, { input })).message).toBe(message);
    }
    const membersEmail = (await t.db.pool.query(`SELECT email FROM app_user WHERE id = $1`, [newcomer.userId])).rows[0].email;
    expect(inputError(await gql(t.url, owner.token, INVITE, { input: { teamId, role: "MEMBER", email: membersEmail } })).message).toBe(
      "input.email: belongs to a member of this team already",
    );
  });
});

describe("members and roles", () => {
  it("lists members, changes roles, and keeps one owner: the last owner can be neither demoted, removed, nor leave", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const joiner = await seedUserWithoutTeam(t.db);
    await gqlOk(t.url, joiner.token, ACCEPT, { token: (await invite(owner, teamId, "VIEWER")).token });
    const members = await gqlOk(t.url, joiner.token, MEMBERS, { teamId });
    expect(members.members.map((m: { user: { id: string }; role: string }) => [m.user.id, m.role]).sort()).toEqual(
      [
        [owner.userId, "OWNER"],
        [joiner.userId, "VIEWER"],
      ].sort(),
    );

    const demote = await gql(t.url, owner.token, CHANGE_ROLE, { input: { teamId, userId: owner.userId, role: "MEMBER" } });
    expect(inputError(demote)).toEqual({
      code: "BAD_USER_INPUT",
      field: "input.role",
      message: "input.role: the team's last owner cannot be demoted; make another member an owner first",
    });
    expect(inputError(await gql(t.url, owner.token, REMOVE, { teamId, userId: owner.userId })).message).toBe(
      "userId: the team's last owner cannot be removed; make another member an owner first",
    );
    expect(inputError(await gql(t.url, owner.token, LEAVE, { teamId })).message).toBe(
      "teamId: the team's last owner cannot leave; make another member an owner first",
    );
    expect(await roleOf(teamId, owner.userId)).toBe("OWNER");

    const promoted = await gqlOk(t.url, owner.token, CHANGE_ROLE, { input: { teamId, userId: joiner.userId, role: "OWNER" } });
    expect(promoted.changeMemberRole).toEqual({ user: { id: joiner.userId }, role: "OWNER" });
    expect((await gqlOk(t.url, owner.token, LEAVE, { teamId })).leaveTeam).toEqual({ user: { id: owner.userId }, role: "OWNER" });
    expect(await roleOf(teamId, owner.userId)).toBeNull();
    expect(inputError(await gql(t.url, joiner.token, CHANGE_ROLE, { input: { teamId, userId: joiner.userId, role: "VIEWER" } })).field).toBe("input.role");
  });

  it("keeps an owner when two owners demote each other at the same time", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const first = await seedUserWithoutTeam(t.db);
      const teamId = await newTeam(first);
      const second = await seedUserWithoutTeam(t.db);
      await gqlOk(t.url, second.token, ACCEPT, { token: (await invite(first, teamId, "OWNER")).token });
      const results = await Promise.all([
        gql(t.url, first.token, CHANGE_ROLE, { input: { teamId, userId: second.userId, role: "MEMBER" } }),
        gql(t.url, second.token, CHANGE_ROLE, { input: { teamId, userId: first.userId, role: "MEMBER" } }),
      ]);
      expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
      const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM membership WHERE team_id = $1 AND role = 'OWNER'`, [teamId]);
      expect(rows[0].n).toBe(1);
    }
  });

  it("lets only one of two concurrent accepts use an invite", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const { token } = await invite(owner, teamId, "MEMBER");
    const joiners = [await seedUserWithoutTeam(t.db), await seedUserWithoutTeam(t.db)];
    const results = await Promise.all(joiners.map((joiner) => gql(t.url, joiner.token, ACCEPT, { token })));
    expect(results.map((result) => result.errors?.[0]?.message ?? "joined").sort()).toEqual([
      "joined",
      "token: the invite was used already; ask for a new one",
    ]);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM membership WHERE team_id = $1`, [teamId]);
    expect(rows[0].n).toBe(2);
  });

  it("removes a member, whose open websocket then closes within a second", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const member = await seedUserWithoutTeam(t.db);
    await gqlOk(t.url, member.token, ACCEPT, { token: (await invite(owner, teamId, "MEMBER")).token });
    const { client, closed } = await openSocket(t.wsUrl, member.token);
    try {
      const removedAt = Date.now();
      const removed = await gqlOk(t.url, owner.token, REMOVE, { teamId, userId: member.userId });
      expect(removed.removeMember).toEqual({ user: { id: member.userId }, role: "MEMBER" });
      expect(await closed).toBe(4403);
      expect(Date.now() - removedAt).toBeLessThan(1_000);
      expect(await roleOf(teamId, member.userId)).toBeNull();
      const unknown = await gql(t.url, owner.token, REMOVE, { teamId, userId: member.userId });
      expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", kind: "member" });
    } finally {
      await client.dispose();
    }
  });
});

describe("audit log", () => {
  it("records who changed what, when, on which subject, newest first, in pages", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const startedAt = Date.now();
    const teamId = await newTeam(owner);
    const joiner = await seedUserWithoutTeam(t.db);
    const invited = await invite(owner, teamId, "VIEWER");
    await gqlOk(t.url, joiner.token, ACCEPT, { token: invited.token });
    await gqlOk(t.url, owner.token, CHANGE_ROLE, { input: { teamId, userId: joiner.userId, role: "MEMBER" } });
    const minted = await gqlOk(t.url, joiner.token, `mutation { createApiToken(name: "laptop") { apiToken { id } } }`);
    const tokenId = minted.createApiToken.apiToken.id;
    await gqlOk(t.url, joiner.token, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: tokenId });
    await gqlOk(t.url, joiner.token, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: tokenId });
    await gqlOk(t.url, owner.token, REMOVE, { teamId, userId: joiner.userId });

    const all = await gqlOk(t.url, owner.token, AUDIT, { teamId, first: 50 });
    const events = all.auditLog.nodes;
    type Event = { action: string; actor: { id: string }; subjectType: string; subjectId: string };
    expect(events.map((e: Event) => [e.action, e.actor.id, e.subjectType, e.subjectId])).toEqual([
      ["MEMBER_REMOVED", owner.userId, "USER", joiner.userId],
      ["TOKEN_REVOKED", joiner.userId, "API_TOKEN", tokenId],
      ["TOKEN_CREATED", joiner.userId, "API_TOKEN", tokenId],
      ["MEMBER_ROLE_CHANGED", owner.userId, "USER", joiner.userId],
      ["MEMBER_JOINED", joiner.userId, "USER", joiner.userId],
      ["INVITE_CREATED", owner.userId, "INVITE", invited.id],
      ["TEAM_CREATED", owner.userId, "TEAM", teamId],
    ]);
    expect(events[3].detail).toMatchObject({ from: "VIEWER", to: "MEMBER" });
    expect(events[4].detail).toMatchObject({ role: "VIEWER", inviteId: invited.id });
    for (const event of events) expect(Date.parse(event.createdAt)).toBeGreaterThanOrEqual(startedAt - 1_000);
    expect(all.auditLog.pageInfo.hasNextPage).toBe(false);

    const pages: string[] = [];
    let after: string | null = null;
    for (;;) {
      type Page = { auditLog: { nodes: Array<{ id: string }>; pageInfo: { endCursor: string; hasNextPage: boolean } } };
      const page: Page = await gqlOk(t.url, owner.token, AUDIT, { teamId, first: 3, after });
      pages.push(...page.auditLog.nodes.map((event) => event.id));
      if (!page.auditLog.pageInfo.hasNextPage) break;
      after = page.auditLog.pageInfo.endCursor;
    }
    expect(pages).toEqual(events.map((event: { id: string }) => event.id));
  });

  it("refuses a bad cursor and page size, naming the argument", async () => {
    const owner = await seedUserWithoutTeam(t.db);
    const teamId = await newTeam(owner);
    const notACursor = Buffer.from("not-an-id").toString("base64url");
    expect(inputError(await gql(t.url, owner.token, AUDIT, { teamId, after: notACursor })).message).toBe("after: must be a cursor returned by a previous page");
    expect(inputError(await gql(t.url, owner.token, AUDIT, { teamId, first: 201 })).message).toBe("first: must be ≤ 200");
    expect(inputError(await gql(t.url, owner.token, AUDIT, { teamId, first: 0 })).message).toBe("first: must be ≥ 1");
  });

  it("writes a token change into each team of its user, and none when a change rolls back", async () => {
    const team = await seedTeam(t.db);
    const otherTeamId = await newTeam(team.owner);
    await gqlOk(t.url, team.owner.token, `mutation { createApiToken(name: "both") { apiToken { id } } }`);
    const { rows } = await t.db.pool.query(`SELECT team_id AS "teamId" FROM audit_event WHERE actor_id = $1 AND action = 'TOKEN_CREATED' ORDER BY team_id`, [
      team.owner.userId,
    ]);
    expect(rows.map((row) => row.teamId)).toEqual([team.teamId, otherTeamId].sort());
    const before = (await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE team_id = $1`, [otherTeamId])).rows[0].n;
    await gql(t.url, team.owner.token, LEAVE, { teamId: otherTeamId });
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE team_id = $1`, [otherTeamId])).rows[0].n).toBe(before);
  });
});
