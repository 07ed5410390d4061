/**
 * Team isolation of the team operations (members, invites, roles, audit log): the owner of team A
 * can neither see nor change anything of team B, whose members, invites and log answer as if
 * they did not exist; inside B, members and viewers cannot invite, change roles, remove members
 * or read the log; expired, used and revoked invites let nobody in; an expired token does nothing.
 * The rest of the API's isolation is in isolation.test.ts.
 */
import { randomUUID } from "node:crypto";
import { generateApiToken } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let a: SeededTeam;
let b: SeededTeam;
let inviteOfB = "";

async function snapshotOfB(): Promise<unknown> {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT json_agg(json_build_object('user', user_id, 'role', role) ORDER BY user_id)
               FROM membership WHERE team_id = $1) AS members,
            (SELECT json_agg(json_build_object('id', id, 'accepted', accepted_at, 'revoked', revoked_at) ORDER BY id)
               FROM team_invite WHERE team_id = $1) AS invites,
            (SELECT count(*) FROM audit_event WHERE team_id = $1) AS events`,
    [b.teamId],
  );
  return rows[0];
}

const INVITE = `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token invite { id } } }`;
const CHANGE_ROLE = `mutation($t: ID!, $u: ID!, $role: Role!) { changeMemberRole(input: { teamId: $t, userId: $u, role: $role }) { role } }`;
const REMOVE = `mutation($t: ID!, $u: ID!) { removeMember(teamId: $t, userId: $u) { role } }`;

async function inviteToB(role = "MEMBER"): Promise<{ token: string; id: string }> {
  const data = await gqlOk(t.url, b.owner.token, INVITE, { input: { teamId: b.teamId, role } });
  return { token: data.inviteMember.token, id: data.inviteMember.invite.id };
}

beforeAll(async () => {
  t = await startTestApi();
  a = await seedTeam(t.db);
  b = await seedTeam(t.db);
  inviteOfB = (await inviteToB()).id;
});
afterAll(async () => {
  await t.close();
});

type Attempt = [string, () => [string, Record<string, unknown>]];

/** Every team operation aimed at team B (or at B's members through A); `team` chooses whose. */
const operations = (team: () => string): Attempt[] => [
  ["members", () => [`query($t: ID!) { members(teamId: $t) { user { id } } }`, { t: team() }]],
  ["invites", () => [`query($t: ID!) { invites(teamId: $t) { id } }`, { t: team() }]],
  ["auditLog", () => [`query($t: ID!) { auditLog(teamId: $t) { nodes { id } } }`, { t: team() }]],
  ["inviteMember", () => [INVITE, { input: { teamId: team(), role: "OWNER" } }]],
  ["revokeInvite", () => [`mutation($id: ID!) { revokeInvite(id: $id) { id } }`, { id: inviteOfB }]],
  ["changeMemberRole", () => [CHANGE_ROLE, { t: team(), u: b.owner.userId, role: "VIEWER" }]],
  ["removeMember", () => [REMOVE, { t: team(), u: b.member.userId }]],
];

describe("team operations across teams", () => {
  const acrossTeams: Attempt[] = [
    ...operations(() => b.teamId),
    ["leaveTeam", () => [`mutation($t: ID!) { leaveTeam(teamId: $t) { role } }`, { t: b.teamId }]],
    ["changeMemberRole of B's owner through A", () => [CHANGE_ROLE, { t: a.teamId, u: b.owner.userId, role: "VIEWER" }]],
    ["removeMember of B's member through A", () => [REMOVE, { t: a.teamId, u: b.member.userId }]],
  ];

  it.each(acrossTeams)("%s by A's owner answers NOT_FOUND and changes nothing of B", async (_, operation) => {
    const before = await snapshotOfB();
    const [query, variables] = operation();
    const result = await gql(t.url, a.owner.token, query, variables);
    expect(result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(result.data ?? null).toBeNull();
    expect(await snapshotOfB()).toEqual(before);
  });

  it("answers for B's invite exactly as for an invite that does not exist", async () => {
    const unknown = randomUUID();
    const REVOKE = `mutation($id: ID!) { revokeInvite(id: $id) { id } }`;
    const ofB = await gql(t.url, a.owner.token, REVOKE, { id: inviteOfB });
    const missing = await gql(t.url, a.owner.token, REVOKE, { id: unknown });
    expect(ofB.errors?.[0]?.message.replace(inviteOfB, "ID")).toBe(missing.errors?.[0]?.message.replace(unknown, "ID"));
  });

  it("shows A's owner only A: its members, invites and log name nothing of B", async () => {
    await gqlOk(t.url, a.owner.token, INVITE, { input: { teamId: a.teamId, role: "VIEWER" } });
    const tokenOfB = await gqlOk(t.url, b.member.token, `mutation { createApiToken(name: "b-laptop") { apiToken { id } } }`);
    const logOfB = await gqlOk(t.url, b.owner.token, `query($t: ID!) { auditLog(teamId: $t) { nodes { subjectId } } }`, { t: b.teamId });
    expect(logOfB.auditLog.nodes[0].subjectId).toBe(tokenOfB.createApiToken.apiToken.id);
    const data = await gqlOk(
      t.url,
      a.owner.token,
      `query($t: ID!) { members(teamId: $t) { user { id } } invites(teamId: $t) { id } auditLog(teamId: $t, first: 200) { nodes { actor { id } subjectId } } }`,
      { t: a.teamId },
    );
    const seen = JSON.stringify(data);
    expect(data.auditLog.nodes.map((event: { subjectId: string }) => event.subjectId)).toHaveLength(1);
    for (const idOfB of [b.teamId, b.owner.userId, b.member.userId, b.viewer.userId, inviteOfB, tokenOfB.createApiToken.apiToken.id]) {
      expect(seen).not.toContain(idOfB);
    }
    expect(data.members.map((m: { user: { id: string } }) => m.user.id).sort()).toEqual([a.owner.userId, a.member.userId, a.viewer.userId].sort());
  });
});

describe("team operations by role", () => {
  const permissionOf: Record<string, string> = {
    members: "",
    invites: "member:invite",
    auditLog: "audit:read",
    inviteMember: "member:invite",
    revokeInvite: "member:invite",
    changeMemberRole: "member:manage",
    removeMember: "member:manage",
  };
  const refused = operations(() => b.teamId).filter(([name]) => permissionOf[name] !== "");

  it.each(refused)("%s by B's viewer and B's member answers FORBIDDEN and changes nothing", async (name, operation) => {
    for (const user of [b.viewer, b.member]) {
      const before = await snapshotOfB();
      const [query, variables] = operation();
      const result = await gql(t.url, user.token, query, variables);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: permissionOf[name] });
      expect(await snapshotOfB()).toEqual(before);
    }
  });

  it("lets no viewer promote themself", async () => {
    const result = await gql(t.url, b.viewer.token, CHANGE_ROLE, { t: b.teamId, u: b.viewer.userId, role: "OWNER" });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: "member:manage" });
    const { rows } = await t.db.pool.query(`SELECT role FROM membership WHERE team_id = $1 AND user_id = $2`, [b.teamId, b.viewer.userId]);
    expect(rows[0].role).toBe("VIEWER");
  });
});

describe("invites and tokens that are no longer valid", () => {
  it("lets nobody into B with an expired, used or revoked invite", async () => {
    const expired = await inviteToB("OWNER");
    await t.db.pool.query(`UPDATE team_invite SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const used = await inviteToB("OWNER");
    const joiner = await seedTeam(t.db);
    await gqlOk(t.url, joiner.viewer.token, `mutation($token: String!) { acceptInvite(token: $token) { id } }`, { token: used.token });
    const revoked = await inviteToB("OWNER");
    await gqlOk(t.url, b.owner.token, `mutation($id: ID!) { revokeInvite(id: $id) { id } }`, { id: revoked.id });

    for (const invite of [expired, used, revoked]) {
      const before = await snapshotOfB();
      const result = await gql(t.url, a.owner.token, `mutation($token: String!) { acceptInvite(token: $token) { id role } }`, { token: invite.token });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
      expect(result.data ?? null).toBeNull();
      expect(await snapshotOfB()).toEqual(before);
    }
  });

  it("refuses every team operation with an expired token of B's owner, changing nothing", async () => {
    const { token, tokenHash, prefix } = generateApiToken();
    await t.db.pool.query(
      `INSERT INTO api_token (id, user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, 'expired', $3, $4, now() - interval '1 second')`,
      [randomUUID(), b.owner.userId, tokenHash, prefix],
    );
    const attempts: Attempt[] = [
      ...operations(() => b.teamId),
      ["leaveTeam", () => [`mutation($t: ID!) { leaveTeam(teamId: $t) { role } }`, { t: b.teamId }]],
      ["createTeam", () => [`mutation { createTeam(input: { name: "by an expired token" }) { id } }`, {}]],
      ["createApiToken", () => [`mutation { createApiToken(name: "fresh") { token } }`, {}]],
    ];
    for (const [name, operation] of attempts) {
      const before = await snapshotOfB();
      const [query, variables] = operation();
      const result = await gql(t.url, token, query, variables);
      expect([name, result.status, result.errors?.[0]?.extensions?.code]).toEqual([name, 401, "UNAUTHENTICATED"]);
      expect(await snapshotOfB()).toEqual(before);
    }
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM api_token WHERE user_id = $1 AND name = 'fresh'`, [b.owner.userId]);
    expect(rows[0].n).toBe(0);
  });
});
