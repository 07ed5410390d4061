import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { createClassifier } from "../models/head/index.ts";
import { readPreprocessing } from "../models/import/preprocessing.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { startFileServer, type FileServer } from "../models/testing/file-server.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { loadBackbone } from "./arch.ts";
import { main } from "./main.ts";
import { UsageError } from "./options.ts";
import { pullLine } from "./models.ts";

const folder = temporaryFolder("runboard-models-cli-");
const cache = join(folder.path, "cache");
const data = join(folder.path, "shapes");
let server: FileServer;
const saved = { catalog: process.env.RUNBOARD_MODEL_CATALOG, cache: process.env.RUNBOARD_MODEL_CACHE };

/** Runs the CLI in this process, capturing stdout and stderr. */
async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const captured = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string) => ((captured.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((captured.stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { status: await main(args), ...captured };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

beforeAll(async () => {
  server = await startFileServer();
  const model = encodeModel(resnet18({ resolution: 32, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 1 }).model);
  server.put("tiny-resnet.onnx", model);
  const entry = (name: string, url: string) => ({
    name,
    family: "ResNet-18 (generated)",
    format: "onnx",
    url,
    sha256: createHash("sha256").update(model).digest("hex"),
    size: model.length,
    inputSize: [32, 32],
    preprocessing: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    pretrainedOn: "nothing (random weights)",
    license: "test",
    source: url,
  });
  const catalog = {
    schema: 1,
    version: "test.1",
    entries: [entry("tiny-resnet", `${server.origin}/redirect/tiny-resnet.onnx`), entry("never-pulled", `${server.origin}/files/tiny-resnet.onnx`)],
  };
  writeFileSync(join(folder.path, "catalog.json"), JSON.stringify(catalog));
  process.env.RUNBOARD_MODEL_CATALOG = join(folder.path, "catalog.json");
  process.env.RUNBOARD_MODEL_CACHE = cache;
  await writeClassFolders(data, { circle: 8, square: 8 });
});
afterAll(async () => {
  for (const [key, value] of [
    ["RUNBOARD_MODEL_CATALOG", saved.catalog],
    ["RUNBOARD_MODEL_CACHE", saved.cache],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await server.close();
  folder.remove();
});

describe("runboard-train models", () => {
  it("lists the catalog, pulls with progress into RUNBOARD_MODEL_CACHE, then lists the entry as cached", async () => {
    const before = await run("models", "list");
    expect(before.status).toBe(0);
    expect(before.stdout).toContain(`# catalog test.1, cache ${cache}`);
    expect(before.stdout).toMatch(/^tiny-resnet\tonnx\t32x32\t0\.\d MB\ttest\t-\t/m);
    const pull = await run("models", "pull", "tiny-resnet");
    expect(pull.stderr).toMatch(/pull tiny-resnet \[#{30}\] 0\.\d\/0\.\d MB 100% eta 00:00/);
    expect(pull.status).toBe(0);
    const [name, file] = pull.stdout.trim().split("\t");
    expect(name).toBe("tiny-resnet");
    expect(file!.startsWith(cache)).toBe(true);
    expect(existsSync(file!)).toBe(true);
    expect((await run("models", "list")).stdout).toMatch(/^tiny-resnet\t.*\tcached\t/m);
  });

  it("--arch catalog:NAME and NAME load the pulled backbone with the catalog's preprocessing; an unpulled one says to pull", async () => {
    expect((await run("models", "pull", "tiny-resnet")).status).toBe(0);
    for (const arch of ["catalog:tiny-resnet", "tiny-resnet"]) {
      const backbone = loadBackbone(arch);
      expect(backbone.normalization).toEqual({ mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
      expect(readPreprocessing(backbone.model)?.size).toEqual([32, 32]);
      expect(createClassifier(backbone.model, { classes: 2, seed: 1 }).featureShape[0]).toBeGreaterThan(0);
    }
    expect(() => loadBackbone("catalog:never-pulled")).toThrow(/not in the cache .*runboard-train models pull never-pulled/);
    expect(() => loadBackbone("catalog:nope")).toThrow(UsageError);
  });

  it("loads files without reading the catalog, so a broken catalog file does not stand in the way", () => {
    const catalog = process.env.RUNBOARD_MODEL_CATALOG;
    process.env.RUNBOARD_MODEL_CATALOG = join(folder.path, "no-such-catalog.json");
    try {
      expect(() => loadBackbone(join(folder.path, "missing.onnx"))).toThrow(/--arch: no such file/);
      expect(() => loadBackbone("catalog:tiny-resnet")).toThrow(/no-such-catalog\.json/);
    } finally {
      process.env.RUNBOARD_MODEL_CATALOG = catalog;
    }
  });

  it("trains from a catalog backbone pulled from the local server", async () => {
    expect((await run("models", "pull", "tiny-resnet")).status).toBe(0);
    const out = join(folder.path, "run");
    const train = await run("train", data, "--arch", "catalog:tiny-resnet", "--epochs", "1", "--bs", "8", "--workers", "0", "--threads", "1", "--out", out);
    expect(train.stderr).not.toMatch(/runboard-train train: error/);
    expect(train.status).toBe(0);
    expect(existsSync(join(out, "model.onnx"))).toBe(true);
    expect(readFileSync(join(out, "run.json"), "utf8")).toContain("catalog:tiny-resnet");
  });

  it("says in one line when there is no network and the model is not cached; rejects unknown names as usage errors", async () => {
    await server.close();
    const offline = await run("models", "pull", "never-pulled");
    expect(offline.status).toBe(1);
    expect(offline.stderr).toMatch(
      /^runboard-train models: error: no network: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\); 'never-pulled' is not in the cache \(.*\)\n$/,
    );
    // The pulled one still comes from the cache.
    expect((await run("models", "pull", "tiny-resnet")).status).toBe(0);
    const unknown = await run("models", "pull", "no-such-model");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/catalog has no model 'no-such-model'; models: tiny-resnet, never-pulled/);
  });

  it("draws the pull bar from bytes", () => {
    expect(pullLine("m", 6_750_000, 13_500_000, 2)).toBe("pull m [###############...............] 6.8/13.5 MB 50% eta 00:02");
  });
});
