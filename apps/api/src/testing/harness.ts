/**
 * Test harness: a real API server on a free port over the run's test database, teams and
 * users seeded with plain SQL, and a small GraphQL client over fetch and graphql-ws.
 */
import { randomUUID } from "node:crypto";
import { createDb, generateApiToken, type Db } from "@runboard/db";
import type {} from "@runboard/db/testing/context";
import { createClient, type Client, type ClientOptions } from "graphql-ws";
import { inject } from "vitest";
import WebSocket from "ws";
import { createApiServer, type ApiServer, type ApiServerOptions } from "../server/app.ts";

export interface TestApi {
  url: string;
  wsUrl: string;
  api: ApiServer;
  db: Db;
  close(): Promise<void>;
}

/** `launch`: artifact root, source roots, upload limits (default: those of `npm start`). */
export async function startTestApi(launch?: ApiServerOptions["launch"]): Promise<TestApi> {
  const db = createDb(inject("databaseUrl"));
  const api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 1_000_000 }, ...(launch === undefined ? {} : { launch }) });
  const url = await api.listen(0, "127.0.0.1");
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    api,
    db,
    async close() {
      await api.close();
      await db.close();
    },
  };
}

export interface SeededUser {
  userId: string;
  token: string;
}

export interface SeededTeam {
  teamId: string;
  owner: SeededUser;
  member: SeededUser;
  viewer: SeededUser;
}

async function seedUser(db: Db, teamId: string, role: string): Promise<SeededUser> {
  const userId = randomUUID();
  const { token, tokenHash, prefix } = generateApiToken();
  await db.pool.query(`INSERT INTO app_user (id, email, name) VALUES ($1, $2, $3)`, [userId, `${userId}@test`, role]);
  await db.pool.query(`INSERT INTO membership (team_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [teamId, userId, role]);
  await db.pool.query(`INSERT INTO api_token (id, user_id, name, token_hash, prefix) VALUES ($1, $2, 'test', $3, $4)`, [
    randomUUID(),
    userId,
    tokenHash,
    prefix,
  ]);
  return { userId, token };
}

/** A user of no team yet (someone to invite), with a token. */
export async function seedUserWithoutTeam(db: Db, email = `${randomUUID()}@example.com`): Promise<SeededUser> {
  const userId = randomUUID();
  const { token, tokenHash, prefix } = generateApiToken();
  await db.pool.query(`INSERT INTO app_user (id, email, name) VALUES ($1, $2, 'newcomer')`, [userId, email]);
  await db.pool.query(`INSERT INTO api_token (id, user_id, name, token_hash, prefix) VALUES ($1, $2, 'test', $3, $4)`, [
    randomUUID(),
    userId,
    tokenHash,
    prefix,
  ]);
  return { userId, token };
}

/** A team with an owner, a member and a viewer, each with a token. */
export async function seedTeam(db: Db, name = `team-${randomUUID()}`): Promise<SeededTeam> {
  const teamId = randomUUID();
  await db.pool.query(`INSERT INTO team (id, name, slug) VALUES ($1, $2, $2)`, [teamId, name]);
  return {
    teamId,
    owner: await seedUser(db, teamId, "OWNER"),
    member: await seedUser(db, teamId, "MEMBER"),
    viewer: await seedUser(db, teamId, "VIEWER"),
  };
}

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<Data = Record<string, any>>(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Data>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as Omit<GraphQLResponse<Data>, "status">;
  return { status: response.status, ...body };
}

/** The data of a response that must have succeeded. */
export async function gqlOk<Data = Record<string, any>>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await gql<Data>(url, token, query, variables);
  if (result.errors !== undefined || result.data === undefined || result.data === null) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

export function errorCode(result: GraphQLResponse): unknown {
  return result.errors?.[0]?.extensions?.code;
}

/** `on`: the client's event listeners (e.g. `closed`, to see a socket's close code). */
export function wsClient(wsUrl: string, token: string, on?: ClientOptions["on"]): Client {
  return createClient({
    ...(on === undefined ? {} : { on }),
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    // Refused connections are asserted through the subscription's error instead.
    onNonLazyError: () => undefined,
  });
}

/** A connected websocket client, and the close code the server ends it with. */
export async function openSocket(wsUrl: string, token: string): Promise<{ client: Client; closed: Promise<number> }> {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  let closedWith!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  const client = wsClient(wsUrl, token, {
    connected: () => connected(),
    closed: (event) => closedWith((event as { code: number }).code),
  });
  await ready;
  return { client, closed };
}

/** Creates a project and a RUNNING run in the team; returns their ids. */
export async function createProjectAndRun(url: string, token: string, teamId: string, runName = "run") {
  const project = await gqlOk<{ createProject: { id: string } }>(url, token, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
    input: { teamId, name: `project-${randomUUID()}` },
  });
  const projectId = project.createProject.id;
  const run = await gqlOk<{ createRun: { id: string } }>(url, token, `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, {
    input: { projectId, name: runName },
  });
  return { projectId, runId: run.createRun.id };
}

/** Polls until `condition` holds (for asynchronous effects such as a subscription starting). */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
