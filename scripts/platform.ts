/**
 * The whole platform on one machine, started by `npm start` (scripts/start.ts) in a process
 * group of its own.
 *
 * 1. The dashboard, which needs no database (it talks only to the API): its first build runs
 *    while the database starts.
 * 2. The database: DATABASE_URL when set, else an embedded PostgreSQL (migrated, seeded; the
 *    default team's token is printed once, on first start).
 * 3. The API and one training worker, as child processes sharing DATABASE_URL.
 *
 * SIGINT, SIGTERM or SIGHUP (start.ts passes Ctrl-C on), or the end of start.ts, stops the
 * children (the worker puts its runs in flight back in the queue), then the embedded database,
 * in about five seconds at most. If one child dies, the others are stopped too, so a half-running platform
 * never stays behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bootstrapDatabase } from "@runboard/db";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Service {
  name: string;
  command: string;
  args: string[];
  /** Present in this checkout? (Later parts of the platform may be absent in older clones.) */
  entry: string;
  /** Working folder, relative to the repository root. */
  cwd?: string;
}

const apiPort = process.env.PORT ?? "4000";

/** A child that has not exited this long after SIGTERM is killed; the database stops after the children. */
const CHILD_STOP_MS = 4_000;

const services: Service[] = [
  { name: "api", command: process.execPath, args: ["--import", "tsx", "apps/api/src/start.ts"], entry: "apps/api/src/start.ts" },
  { name: "worker", command: process.execPath, args: ["--import", "tsx", "apps/worker/src/main.ts"], entry: "apps/worker/src/main.ts" },
  // Run directly, not through `npm start -w`: npm does not pass SIGTERM on, and the server it
  // started would outlive the platform.
  { name: "web", command: process.execPath, args: ["--import", "tsx", "scripts/serve.ts"], entry: "apps/web/scripts/serve.ts", cwd: "apps/web" },
];

function startService(service: Service, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(service.command, service.args, { cwd: path.join(repoRoot, service.cwd ?? "."), env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${service.name}] `;
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line !== "") stream.write(prefix + line + "\n");
  };
  child.stdout?.on("data", forward(process.stdout));
  child.stderr?.on("data", forward(process.stderr));
  return child;
}

async function main(): Promise<void> {
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // graphql-js and Next.js skip their development-time checks (graphql-js's were the API's
    // largest cost per request in profiles).
    NODE_ENV: process.env.NODE_ENV ?? "production",
    API_URL: process.env.API_URL ?? `http://localhost:${apiPort}/graphql`,
  };
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  let database: Awaited<ReturnType<typeof bootstrapDatabase>> | undefined;

  const stopAll = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`runboard: ${reason}; stopping`);
    const started = performance.now();
    const exits = [...children].map(
      ([name, child]) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => {
            console.log(`runboard: ${name} stopped in ${((performance.now() - started) / 1000).toFixed(1)} s`);
            resolve();
          });
          child.kill("SIGTERM");
          setTimeout(() => {
            console.log(`runboard: ${name} did not stop within ${CHILD_STOP_MS / 1000} s; killing it`);
            child.kill("SIGKILL");
          }, CHILD_STOP_MS).unref();
        }),
    );
    await Promise.all(exits);
    await database?.stop();
    console.log(`runboard: stopped in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    process.exit(exitCode);
  };

  const launch = (service: Service, env: NodeJS.ProcessEnv) => {
    if (!existsSync(path.join(repoRoot, service.entry))) return;
    const child = startService(service, env);
    children.set(service.name, child);
    child.on("exit", (code, signal) => {
      if (!stopping) void stopAll(`${service.name} exited (${signal ?? `code ${code}`})`, code === 0 ? 0 : 1);
    });
  };
  const onSignals = () => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void stopAll(signal, 0));
    }
  };

  // The dashboard talks only to the API, never to the database: it starts first, so that its
  // first build (a fresh clone's `next build`) runs while the database initialises and migrates.
  onSignals();
  // start.ts is gone (killed): nobody would stop this platform any more.
  process.on("disconnect", () => void stopAll("the launcher is gone", 1));
  for (const service of services) if (service.name === "web") launch(service, baseEnv);
  try {
    database = await bootstrapDatabase();
  } catch (error) {
    await stopAll(`the database did not start: ${error instanceof Error ? error.message : String(error)}`, 1);
    return;
  }
  const env: NodeJS.ProcessEnv = { ...baseEnv, DATABASE_URL: database.url };
  for (const service of services) if (service.name !== "web") launch(service, env);
  // The embedded database's package installs its own signal handlers, which stop PostgreSQL and
  // exit at once, leaving the children running against a stopped database. Ours stop the
  // children first, then the database.
  onSignals();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
