/**
 * A plain pg pool (or client) as a Queryable, and a transaction on a raw client: no statement
 * counting and no outage translation (see database.ts for those), for callers that handle
 * driver errors themselves, as the worker does by retrying its writes.
 */
import type pg from "pg";
import type { Queryable } from "./database.ts";

export function poolQueryable(pool: pg.Pool | pg.PoolClient): Queryable {
  return {
    rows: async <Row extends object>(text: string, values: unknown[] = []) => (await pool.query<Row>(text, values)).rows,
    run: async (text: string, values: unknown[] = []) => (await pool.query(text, values)).rowCount ?? 0,
  };
}

export async function poolTransaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
