/** The worker's door to PostgreSQL: the pool as the API's Queryable (for ingestPoints) and a transaction helper. */
import type { Queryable } from "@runboard/api/data/database";
import type pg from "pg";

export function queryable(pool: pg.Pool | pg.PoolClient): Queryable {
  return {
    rows: async <Row extends object>(text: string, values: unknown[] = []) => (await pool.query<Row>(text, values)).rows,
    run: async (text: string, values: unknown[] = []) => (await pool.query(text, values)).rowCount ?? 0,
  };
}

export async function transaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await body(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Retries `write` until it succeeds (the database may be restarting); gives up after `timeoutMs`. */
export async function persistently<T>(write: () => Promise<T>, timeoutMs = 10 * 60_000, pauseMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
