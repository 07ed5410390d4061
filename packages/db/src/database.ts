/**
 * The door to PostgreSQL: plain SQL over a pg pool, every statement counted so tests
 * can prove that a page of runs costs a constant number of queries. An outage surfaces as
 * DATABASE_UNAVAILABLE (outage.ts), never as the driver's message with the server's address.
 */
import type pg from "pg";
import { outageOr } from "./outage.ts";

/** SQL text, or a named statement: parsed and planned once per connection, then reused. */
export type Statement = string | { name: string; text: string };

/** An unreachable database becomes DATABASE_UNAVAILABLE here, once for every caller. */
function rethrow(error: unknown): never {
  throw outageOr(error);
}

export interface Queryable {
  rows<Row extends object>(statement: Statement, values?: unknown[]): Promise<Row[]>;
  run(text: string, values?: unknown[]): Promise<number>;
}

export class Database implements Queryable {
  /** Statements sent so far (transactions count BEGIN and COMMIT too). */
  queryCount = 0;

  constructor(readonly pool: pg.Pool) {}

  async rows<Row extends object>(statement: Statement, values: unknown[] = []): Promise<Row[]> {
    this.queryCount++;
    const result = await this.pool.query<Row>(typeof statement === "string" ? { text: statement, values } : { ...statement, values }).catch(rethrow);
    return result.rows;
  }

  async run(text: string, values: unknown[] = []): Promise<number> {
    this.queryCount++;
    const result = await this.pool.query(text, values).catch(rethrow);
    return result.rowCount ?? 0;
  }

  /** Runs `body` in one transaction: everything it wrote is rolled back if it throws. */
  async transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch(rethrow);
    const tx = this.clientQueryable(client);
    try {
      await tx.run("BEGIN");
      const result = await body(tx);
      await tx.run("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private clientQueryable(client: pg.PoolClient): Queryable {
    return {
      rows: async <Row extends object>(statement: Statement, values: unknown[] = []) => {
        this.queryCount++;
        return (await client.query<Row>(typeof statement === "string" ? { text: statement, values } : { ...statement, values }).catch(rethrow)).rows;
      },
      run: async (text: string, values: unknown[] = []) => {
        this.queryCount++;
        return (await client.query(text, values).catch(rethrow)).rowCount ?? 0;
      },
    };
  }
}
