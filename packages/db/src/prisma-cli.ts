import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prismaCliEnv } from "./env.ts";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = createRequire(import.meta.url).resolve("prisma/build/index.js");
const preload = path.join(packageRoot, "src", "prisma-cli-preload.cjs");

/** prisma.config.ts: PostgreSQL through the pg adapter (generate, migrate deploy, status). */
export const POSTGRES_CONFIG = path.join(packageRoot, "prisma.config.ts");
/** prisma.pglite.config.ts: in-memory PGlite, for `migrate diff` (creating migrations). */
export const PGLITE_CONFIG = path.join(packageRoot, "prisma.pglite.config.ts");

export interface PrismaCliOptions {
  config: string;
  /** Connection string handed to the config's adapter; defaults to DATABASE_URL. */
  databaseUrl?: string | undefined;
  /** Print the CLI's output as it runs (scripts) or only on failure (library calls). */
  echo?: boolean;
}

/**
 * Runs the Prisma CLI offline with one of this package's configs. Resolves with its standard
 * output; rejects with everything it printed when it fails.
 */
export function runPrismaCli(args: string[], options: PrismaCliOptions): Promise<string> {
  const child = spawn(process.execPath, ["--require", preload, prismaBin, ...args, "--config", options.config], {
    cwd: packageRoot,
    env: prismaCliEnv(options.databaseUrl),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let everything = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    everything += chunk.toString();
    if (options.echo === true) process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    everything += chunk.toString();
    if (options.echo === true) process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`prisma ${args.join(" ")} exited with code ${code}:\n${everything.trim()}`));
    });
  });
}
