import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export interface Db {
  /** Typed queries through Prisma's Rust-free client, over the shared pool. */
  prisma: PrismaClient;
  /**
   * The same connection pool, for hot raw-SQL paths (bulk metric ingestion with COPY or
   * multi-row INSERT) and for LISTEN/NOTIFY on a client checked out with `pool.connect()`.
   */
  pool: pg.Pool;
  /** Disconnects Prisma, then ends the pool. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Most connections the pool opens (pg's default is 10). */
  maxConnections?: number;
}

export function createDb(connectionString: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  // An idle client that loses its server (restart, network) emits here; without a listener the
  // process would crash. The next query reconnects.
  pool.on("error", (error) => console.error(`database pool: idle client error: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    prisma,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
