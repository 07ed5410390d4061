/**
 * The dashboard's production start: builds when the build is missing or older than the
 * sources, then serves it with `next start`. WEB_PORT (default 3000), WEB_HOST (default
 * 0.0.0.0) and API_URL (default http://localhost:4000/graphql) configure it.
 */
import type { ChildProcess } from "node:child_process";
import { readWebEnv } from "../src/lib/env.ts";
import { buildIsStale, buildWeb } from "./build-state.ts";
import { startWebServer } from "./web-server.ts";

function readPort(text: string | undefined): number {
  const port = Number(text ?? "3000");
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`invalid configuration: WEB_PORT must be a port number, got "${text}"`);
  return port;
}

async function main(): Promise<void> {
  const env = readWebEnv();
  const port = readPort(process.env.WEB_PORT);
  // Stop handlers first: a stop that comes while `next start` is still starting must end it
  // too, or it would outlive the platform.
  let child: ChildProcess | undefined;
  const stop = () => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) process.exit(0);
    child.once("exit", () => process.exit(0));
    child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (buildIsStale()) {
    console.log("web: building the dashboard (next build), once per change of its sources…");
    await buildWeb(undefined, (chunk) => process.stdout.write(chunk));
  }
  await startWebServer({
    apiUrl: env.apiUrl,
    port,
    host: process.env.WEB_HOST ?? "0.0.0.0",
    inheritOutput: true,
    onSpawn: (spawned) => (child = spawned),
  });
  console.log(`web: dashboard on http://localhost:${port} (API ${env.apiUrl})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
