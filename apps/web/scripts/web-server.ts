/** Starts `next start` on a port with the API's URL, and waits until it answers. */
import { spawn, type ChildProcess } from "node:child_process";
import { NEXT_BIN, WEB_ROOT } from "./build-state.ts";

export interface WebServer {
  url: string;
  process: ChildProcess;
  close(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      await fetch(url, { redirect: "manual" });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`the dashboard did not answer on ${url} within ${timeoutMs} ms`);
}

/** onSpawn: the `next start` process, before it answers (so a caller stopped meanwhile can stop it too). */
export async function startWebServer(options: {
  apiUrl: string;
  port: number;
  host?: string;
  inheritOutput?: boolean;
  onSpawn?: (child: ChildProcess) => void;
}): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(options.port), "-H", host], {
    cwd: WEB_ROOT,
    env: { ...process.env, API_URL: options.apiUrl, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: options.inheritOutput ? "inherit" : "ignore",
  });
  options.onSpawn?.(child);
  const url = `http://${host}:${options.port}`;
  await waitForHttp(`${url}/signin`, child, 60_000);
  return {
    url,
    process: child,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
