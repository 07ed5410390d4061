/**
 * The repository root's scripts pass their options through: `npm run train -- …`,
 * `npm run eval -- …` and `npm run bench -- …` typed at the root reach the program they start
 * (an inner npm or turbo must not take them for its own flags).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "../data/index.ts";
import { temporaryFolder } from "../data/testing/images.ts";

const root = findRepoRoot();

/** `npm run <script> -- <args>` in `cwd`, without the npm variables of whatever started the tests. */
function npmRun(cwd: string, script: string, ...args: string[]): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_") && key !== "INIT_CWD"));
  const result = spawnSync("npm", ["run", script, "--", ...args], { cwd, env: { ...env, TURBO_TELEMETRY_DISABLED: "1" }, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("root scripts", () => {
  it("train: the CLI gets the options", () => {
    const result = npmRun(root, "train", "--help");
    expect(result.output).toMatch(/usage: runboard-train <command> \[options\]/);
    expect(result.status).toBe(0);
  });

  it("eval: the evaluation gets --only and --ucr-sets (it names the set it cannot find)", () => {
    const result = npmRun(root, "eval", "--only", "ucr", "--ucr-sets", "NoSuchSet,Other");
    expect(result.output).not.toMatch(/ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL/);
    expect(result.output).toMatch(/--ucr-sets: 'NoSuchSet' has no NoSuchSet\/NoSuchSet_TRAIN\.tsv/);
    expect(result.status).not.toBe(0);
  });

  describe("bench", () => {
    // Every real bench runs for minutes, and turbo regenerates the Prisma and GraphQL clients
    // first: the root package.json and turbo.json run here over one workspace whose bench
    // prints the arguments it was given.
    const folder = temporaryFolder("runboard-root-bench-");
    afterAll(() => folder.remove());

    it("turbo hands the options to each workspace's bench", () => {
      const copy = folder.path;
      copyFileSync(join(root, "package.json"), join(copy, "package.json"));
      copyFileSync(join(root, "turbo.json"), join(copy, "turbo.json"));
      symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
      const workspace = join(copy, "packages", "argv");
      mkdirSync(workspace, { recursive: true });
      writeFileSync(join(workspace, "package.json"), JSON.stringify({ name: "argv", private: true, scripts: { bench: "node argv.js" } }));
      writeFileSync(join(workspace, "argv.js"), "console.log(`bench argv ${JSON.stringify(process.argv.slice(2))}`);\n");
      const result = npmRun(copy, "bench", "--batch", "16", "--warmup", "1");
      expect(result.output).toContain('bench argv ["--batch","16","--warmup","1"]');
      expect(result.status).toBe(0);
    });
  });
});
