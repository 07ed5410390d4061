/**
 * The dashboard's production start: builds when the build is missing or older than the
 * sources, then serves it with `next start`. WEB_PORT (default 3000), WEB_HOST (default
 * 0.0.0.0) and API_URL (default http://localhost:4000/graphql) configure it.
 */
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
  if (buildIsStale()) {
    console.log("web: building the dashboard (next build), once per change of its sources…");
    await buildWeb(undefined, (chunk) => process.stdout.write(chunk));
  }
  const server = await startWebServer({ apiUrl: env.apiUrl, port, host: process.env.WEB_HOST ?? "0.0.0.0", inheritOutput: true });
  console.log(`web: dashboard on http://localhost:${port} (API ${env.apiUrl})`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
