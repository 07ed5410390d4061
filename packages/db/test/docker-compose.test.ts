import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/env.ts";

// docker-compose.yml cannot be run here (no Docker engine), but Debian's docker-compose parses
// it, resolves variables and reports errors offline. Skipped where that binary is missing.

const run = promisify(execFile);
const composeFile = path.join(repoRoot, "docker-compose.yml");

async function compose(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run("docker-compose", ["-f", composeFile, ...args], {
    env: { PATH: process.env.PATH, ...env },
    cwd: repoRoot,
  });
  return stdout;
}

const composeInstalled = await run("docker-compose", ["version"]).then(
  () => true,
  () => false,
);
const skipNote = "docker-compose is not installed (Debian: apt-get install docker-compose)";
if (!composeInstalled) console.warn(`docker-compose.yml checks skipped: ${skipNote}`);

describe("docker-compose.yml", () => {
  it("is valid and defines postgres and api", async (context) => {
    if (!composeInstalled) context.skip(skipNote);
    await compose(["config", "-q"]);
    expect((await compose(["config", "--services"])).trim().split("\n").sort()).toEqual(["api", "postgres"]);
  });

  it("starts the API only once PostgreSQL is healthy, pointed at it", async (context) => {
    if (!composeInstalled) context.skip(skipNote);
    const resolved = await compose(["config"], { POSTGRES_PASSWORD: "from-env" });
    expect(resolved).toContain("DATABASE_URL: postgresql://runboard:from-env@postgres:5432/runboard");
    expect(resolved).toContain("POSTGRES_PASSWORD: from-env");
    expect(resolved).toMatch(/depends_on:\s+postgres:\s+condition: service_healthy/);
    expect(resolved.match(/healthcheck:/g)).toHaveLength(2);
    expect(resolved).toContain("http://127.0.0.1:4000/health");
  });
});
