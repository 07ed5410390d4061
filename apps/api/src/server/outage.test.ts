/**
 * A database outage as clients see it: the API reaches PostgreSQL through a TCP relay that this
 * test closes (connections cut, port refusing) and opens again on the same port.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { createDb, type Db } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createProjectAndRun, seedTeam, type SeededTeam } from "../testing/harness.ts";
import { createApiServer, type ApiServer } from "./app.ts";

/** Relays 127.0.0.1:<port> to the database; `close` cuts every connection and frees the port. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server !== null) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
    this.server = null;
  }
}

const databaseUrl = new URL(inject("databaseUrl"));
const relay = new Relay({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
let direct: Db;
let relayed: Db;
let api: ApiServer;
let url: string;
let team: SeededTeam;
let runId: string;

beforeAll(async () => {
  await relay.open();
  const relayedUrl = new URL(databaseUrl);
  relayedUrl.hostname = "127.0.0.1";
  relayedUrl.port = String(relay.port);
  direct = createDb(databaseUrl.href);
  relayed = createDb(relayedUrl.href);
  api = await createApiServer({ pool: relayed.pool, limits: { maxDepth: 12, maxCost: 1_000_000 } });
  url = await api.listen(0, "127.0.0.1");
  team = await seedTeam(direct);
  ({ runId } = await createProjectAndRun(url, team.member.token, team.teamId));
});
afterAll(async () => {
  await relay.open();
  await api?.close();
  await relayed?.close();
  await direct?.close();
  await relay.close();
});

async function request(path: string, init: RequestInit = {}, token: string | null = team.member.token) {
  const headers: Record<string, string> = { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
  const response = await fetch(url.replace("/graphql", path), { ...init, headers });
  return { status: response.status, text: await response.text() };
}

const runQuery = () => JSON.stringify({ query: `query($id: ID!) { run(id: $id) { id name } }`, variables: { id: runId } });

/** Nothing of where the database is: no address, port or socket error. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|ECONNRESET|connect |terminated/i);
  expect(text).not.toContain(String(relay.port));
}

describe("a database outage", () => {
  it('answers 503 "database unavailable" on GraphQL, REST and /health, without internal addresses, and recovers', async () => {
    expect((await request("/health", {}, null)).status).toBe(200);
    expect((await request("/graphql", { method: "POST", body: runQuery() })).status).toBe(200);

    await relay.close();

    const graphql = await request("/graphql", { method: "POST", body: runQuery() });
    expect(graphql.status).toBe(503);
    expect(JSON.parse(graphql.text).errors[0]).toMatchObject({ message: "database unavailable", extensions: { code: "DATABASE_UNAVAILABLE" } });
    expectNoInternals(graphql.text);

    const rest = await request(`/api/v1/runs/${runId}/metrics`, { method: "POST", body: JSON.stringify({ keys: ["loss"], steps: [1], values: [0.5] }) });
    expect(rest.status).toBe(503);
    expect(JSON.parse(rest.text).error).toMatchObject({ code: "DATABASE_UNAVAILABLE", message: "database unavailable" });
    expectNoInternals(rest.text);

    for (const path of [`/artifacts/${runId}`, `/datasets/${runId}/files?path=a.png`]) {
      const file = await request(path);
      expect(file.status).toBe(503);
      expectNoInternals(file.text);
    }

    const health = await request("/health", {}, null);
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toEqual({ status: "unavailable", reason: "database unavailable" });
    expectNoInternals(health.text);

    await relay.open();
    expect((await request("/health", {}, null)).status).toBe(200);
    const after = await request("/graphql", { method: "POST", body: runQuery() });
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).data.run.id).toBe(runId);
  });
});
