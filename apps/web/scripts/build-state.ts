/**
 * Whether the production build (.next) is older than the sources, and building it. Used by the
 * production start and by the browser tests, so neither serves a stale dashboard.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const WEB_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const NEXT_BIN = path.join(path.dirname(fileURLToPath(import.meta.resolve("next/package.json"))), "dist/bin/next");

const INPUTS = ["src", "next.config.ts", "package.json", "tsconfig.json"];

// Tests beside the sources are not part of the build.
const isTest = (name: string) => /\.test\.tsx?$/.test(name);

function newestChange(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return isTest(entry) ? 0 : stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

export function buildIsStale(root: string = WEB_ROOT): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return INPUTS.some((input) => existsSync(path.join(root, input)) && newestChange(path.join(root, input)) > builtAt);
}

/** Runs `next build`; rejects with its output's tail when it fails. */
export function buildWeb(root: string = WEB_ROOT, log: (line: string) => void = () => {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, "build"], { cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    let output = "";
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      log(chunk.toString());
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output}`))));
  });
}

const BUSY = "Another next build process is already running";
const BUSY_WAIT_MS = 5_000;
const BUSY_ATTEMPTS = 60;

/** Builds when stale; when another `next build` holds the folder, waits for it and looks again. */
export async function ensureBuilt(log: (line: string) => void = () => {}): Promise<void> {
  for (let attempt = 1; buildIsStale(); attempt++) {
    try {
      await buildWeb(WEB_ROOT, log);
      return;
    } catch (error) {
      if (!(error instanceof Error && error.message.includes(BUSY)) || attempt === BUSY_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
    }
  }
}
