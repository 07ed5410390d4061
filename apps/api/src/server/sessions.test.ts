/**
 * Websocket sessions follow their token: revoking it or removing the member closes the sockets
 * opened with it within a second and ends their subscriptions, and every operation on an open
 * socket is authorized with the token as it is now.
 */
import type { AddressInfo } from "node:net";
import type { Client } from "graphql-ws";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { createProjectAndRun, gqlOk, seedTeam, startTestApi, waitFor, wsClient, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { Sessions } from "./sessions.ts";

let t: TestApi;
let team: SeededTeam;
let runId = "";

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  ({ runId } = await createProjectAndRun(t.url, team.owner.token, team.teamId));
});
afterAll(async () => {
  await t.close();
});

/** A fresh token of the team's owner, so revoking it leaves the seeded one working. */
async function mintToken(): Promise<{ id: string; token: string }> {
  const data = await gqlOk(t.url, team.owner.token, `mutation { createApiToken(name: "socket") { token apiToken { id } } }`);
  return { id: data.createApiToken.apiToken.id, token: data.createApiToken.token };
}

const revoke = (tokenId: string) => gqlOk(t.url, team.owner.token, `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id: tokenId });

interface OpenSocket {
  client: Client;
  /** When and how the server closed the socket. */
  closed: Promise<{ code: number; at: number }>;
}

async function openSocket(token: string): Promise<OpenSocket> {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  let closedWith!: (value: { code: number; at: number }) => void;
  const closed = new Promise<{ code: number; at: number }>((resolve) => (closedWith = resolve));
  const client = wsClient(t.wsUrl, token, {
    connected: () => connected(),
    closed: (event) => closedWith({ code: (event as { code: number }).code, at: Date.now() }),
  });
  await ready;
  return { client, closed };
}

/** The result of one operation over the socket, or the close event that ended it. */
async function overSocket(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: unknown; errors?: unknown; closed?: number }> {
  try {
    const { value } = await client.iterate({ query, variables }).next();
    return { data: value?.data ?? undefined, errors: value?.errors };
  } catch (error) {
    return { closed: (error as { code: number }).code };
  }
}

const SET_NOTE = `mutation($id: ID!, $note: String!) { setNote(runId: $id, note: $note) { note } }`;
const noteOfRun = async () => (await t.db.pool.query(`SELECT note FROM run WHERE id = $1`, [runId])).rows[0].note as string | null;
const tokensOfOwner = async () => Number((await t.db.pool.query(`SELECT count(*) FROM api_token WHERE user_id = $1`, [team.owner.userId])).rows[0].count);

describe("a revoked token's websockets", () => {
  it("close within a second, end their subscriptions and hear no further events; other sockets stay", async () => {
    const { id, token } = await mintToken();
    const socket = await openSocket(token);
    const bystander = await openSocket(team.owner.token);
    try {
      const events = socket.client.iterate({ query: `subscription($id: ID!) { runUpdated(runId: $id) { id note } }`, variables: { id: runId } });
      const first = events.next();
      await waitFor(() => t.api.events.listenerCount(runId) === 1);
      expect(await overSocket(socket.client, SET_NOTE, { id: runId, note: "before" })).toEqual({ data: { setNote: { note: "before" } }, errors: undefined });
      expect((await first).value?.data).toEqual({ runUpdated: { id: runId, note: "before" } });

      const revokedAt = Date.now();
      await revoke(id);
      const closed = await socket.closed;
      expect(closed.code).toBe(4401);
      expect(closed.at - revokedAt).toBeLessThan(1_000);
      await expect(events.next()).rejects.toMatchObject({ code: 4401 });
      await waitFor(() => t.api.events.listenerCount(runId) === 0);

      // The owner's other token is not touched.
      expect(await overSocket(bystander.client, `{ me { user { id } } }`)).toMatchObject({ data: { me: { user: { id: team.owner.userId } } } });
    } finally {
      await socket.client.dispose();
      await bystander.client.dispose();
    }
  });

  it("refuse the next operation: setNote and createApiToken sent right after the revocation do nothing", async () => {
    const { id, token } = await mintToken();
    const socket = await openSocket(token);
    try {
      await gqlOk(t.url, team.owner.token, SET_NOTE, { id: runId, note: "kept" });
      const tokensBefore = await tokensOfOwner();
      await revoke(id);
      const note = await overSocket(socket.client, SET_NOTE, { id: runId, note: "after revocation" });
      const minted = await overSocket(socket.client, `mutation { createApiToken(name: "escape") { token } }`);
      for (const result of [note, minted]) expect(result.data).toBeUndefined();
      expect(await noteOfRun()).toBe("kept");
      expect(await tokensOfOwner()).toBe(tokensBefore);
      expect((await socket.closed).code).toBe(4401);
    } finally {
      await socket.client.dispose();
    }
  });

  it("cannot be reopened with the revoked token", async () => {
    const { id, token } = await mintToken();
    await revoke(id);
    const client = wsClient(t.wsUrl, token);
    try {
      expect(await overSocket(client, `{ me { user { id } } }`)).toEqual({ closed: 4403 });
    } finally {
      await client.dispose();
    }
  });
});

describe("a removed member's websockets", () => {
  it("close within a second; a new socket gets the memberships as they are now", async () => {
    const other = await seedTeam(t.db);
    const { runId: otherRun } = await createProjectAndRun(t.url, other.owner.token, other.teamId);
    const socket = await openSocket(other.member.token);
    try {
      const events = socket.client.iterate({ query: `subscription($id: ID!) { runUpdated(runId: $id) { id } }`, variables: { id: otherRun } });
      const next = events.next();
      await waitFor(() => t.api.events.listenerCount(otherRun) === 1);
      const removedAt = Date.now();
      await t.db.pool.query(`DELETE FROM membership WHERE team_id = $1 AND user_id = $2`, [other.teamId, other.member.userId]);
      const closed = await socket.closed;
      expect(closed.code).toBe(4403);
      expect(closed.at - removedAt).toBeLessThan(1_000);
      const outcome = await next.then(
        (value) => ({ value }),
        (error: { code?: number }) => ({ code: error.code }),
      );
      expect(outcome).toEqual({ code: 4403 });
      await waitFor(() => t.api.events.listenerCount(otherRun) === 0);
    } finally {
      await socket.client.dispose();
    }
    const again = wsClient(t.wsUrl, other.member.token);
    try {
      const refused = await again.iterate({ query: `subscription($id: ID!) { runUpdated(runId: $id) { id } }`, variables: { id: otherRun } }).next();
      expect(refused.value?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(t.api.events.listenerCount(otherRun)).toBe(0);
    } finally {
      await again.dispose();
    }
  });
});

describe("Sessions.recheck, before every operation", () => {
  let server: WebSocketServer;
  // A sweep that never runs during the test: what refuses here is the check before the operation.
  let sessions: Sessions;
  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    sessions = new Sessions(t.api.db, 3_600_000);
  });
  afterAll(async () => {
    sessions.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A real socket pair: the server's end, and the close code the client will see. */
  async function socketPair(): Promise<{ serverSide: WebSocket; clientClosed: Promise<number> }> {
    const accepted = new Promise<WebSocket>((resolve) => server.once("connection", resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const clientClosed = new Promise<number>((resolve) => client.once("close", (code) => resolve(code)));
    return { serverSide: await accepted, clientClosed };
  }

  it("lets a valid token through with its roles as they are now, and refuses a revoked one", async () => {
    const { id, token } = await mintToken();
    const { serverSide, clientClosed } = await socketPair();
    expect(await sessions.connect(serverSide, `Bearer ${token}`)).toBe(true);
    expect(await sessions.recheck(serverSide)).toBeNull();
    expect(sessions.caller(serverSide)?.roles.get(team.teamId)).toBe("OWNER");
    await revoke(id);
    const refusal = await sessions.recheck(serverSide);
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect(refusal?.extensions.code).toBe("UNAUTHENTICATED");
    expect(sessions.caller(serverSide)).toBeUndefined();
    expect(await clientClosed).toBe(4401);
  });

  it("refuses once the caller's role changed, and closes so the client reconnects with the new role", async () => {
    const other = await seedTeam(t.db);
    const { serverSide, clientClosed } = await socketPair();
    expect(await sessions.connect(serverSide, `Bearer ${other.member.token}`)).toBe(true);
    await t.db.pool.query(`UPDATE membership SET role = 'VIEWER' WHERE team_id = $1 AND user_id = $2`, [other.teamId, other.member.userId]);
    const refusal = await sessions.recheck(serverSide);
    expect(refusal?.extensions.code).toBe("FORBIDDEN");
    expect(await clientClosed).toBe(4403);
  });

  it("refuses a socket that never authenticated", async () => {
    const { serverSide } = await socketPair();
    expect(await sessions.connect(serverSide, "Bearer rb_unknown")).toBe(false);
    expect((await sessions.recheck(serverSide))?.extensions.code).toBe("UNAUTHENTICATED");
    serverSide.close();
  });
});
