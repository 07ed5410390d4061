import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort, makeTemporaryDataRoot, startEmbeddedPostgres } from "./embedded.ts";

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("startEmbeddedPostgres", () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTemporaryDataRoot("runboard-embedded-test-");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("initializes a data directory, keeps data across restarts and stops", async () => {
    const options = { dataDir: path.join(root, "postgres"), port: await findFreePort() };
    const first = await startEmbeddedPostgres(options);
    try {
      await query(first.url, "CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)");
    } finally {
      await first.stop();
    }
    expect(await portIsOpen(options.port)).toBe(false);

    const second = await startEmbeddedPostgres(options);
    try {
      const rows = await query(second.url, "SELECT value FROM kept");
      expect(rows.rows).toEqual([{ value: 42 }]);
      const version = await query(second.url, "SHOW server_version_num");
      expect(Number(version.rows[0].server_version_num)).toBeGreaterThanOrEqual(180000);
    } finally {
      await second.stop();
      await second.stop(); // a second stop is a no-op
    }
  });

  // Reuses the data directory initialized above when there is one (saves an initdb).
  it("explains a failed start", async () => {
    const occupied = net.createServer();
    await new Promise<void>((resolve) => occupied.listen(0, "127.0.0.1", resolve));
    const address = occupied.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(root, "postgres"), port })).rejects.toThrow(
        new RegExp(`failed to start \\(port ${port}, data in .*postgres\\)`),
      );
    } finally {
      occupied.close();
    }
  });
});
