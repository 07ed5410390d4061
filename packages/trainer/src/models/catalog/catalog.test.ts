import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../../data/testing/images.ts";
import { encodeModel } from "../../onnx/serialize.ts";
import { createClassifier, findFeatureTensor } from "../head/index.ts";
import { readPreprocessing } from "../import/preprocessing.ts";
import { buildSyntheticModel, type SyntheticArchitecture } from "../synthetic/index.ts";
import { defaultSharedModelsDir } from "../zoo.ts";
import { startFileServer, type FileServer } from "../testing/file-server.ts";
import { tarGz } from "../testing/tar-writer.ts";
import { cachedModelFile, downloadedFile, loadCatalogModel, pullCatalogModel } from "./cache.ts";
import { type CatalogEntry, catalogLocation, readCatalog, validateCatalog } from "./catalog.ts";
import { NoNetworkError } from "./download.ts";
import { unpackTarGz } from "./tar.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const IMAGENET = { mean: [0.485, 0.456, 0.406] as [number, number, number], std: [0.229, 0.224, 0.225] as [number, number, number] };

function tinyModel(architecture: SyntheticArchitecture, seed = 3): Uint8Array {
  return encodeModel(buildSyntheticModel(architecture, { numClasses: 5, widthMultiplier: 0.125, depthMultiplier: 0.25, resolution: 32, seed }).model);
}

function entryFor(name: string, bytes: Uint8Array, url: string, archive = false): CatalogEntry {
  return {
    name,
    family: name,
    format: "onnx",
    url,
    sha256: sha256(bytes),
    size: bytes.length,
    inputSize: [32, 32],
    preprocessing: IMAGENET,
    pretrainedOn: "generated (random weights)",
    license: "test",
    source: url,
    ...(archive ? { archive: "tar.gz" as const } : {}),
  };
}

const folder = temporaryFolder("runboard-catalog-");
let server: FileServer;
let cacheCount = 0;
/** A fresh cache per test: no test sees another's files. */
const freshCache = () => join(folder.path, `cache-${cacheCount++}`);
const files = new Map<string, Uint8Array>();

const GENERATED: { architecture: SyntheticArchitecture; archive: boolean }[] = [
  { architecture: "mobilenet-v2", archive: true },
  { architecture: "resnet18", archive: false },
  { architecture: "resnet50", archive: true },
  { architecture: "efficientnet-b0", archive: false },
  { architecture: "densenet121", archive: true },
];

beforeAll(async () => {
  server = await startFileServer();
  for (const { architecture, archive } of GENERATED) {
    const model = tinyModel(architecture);
    // Archives are laid out like the ONNX Model Zoo's: a folder with the model and its test data.
    const bytes = archive
      ? tarGz([
          { name: `${architecture}/`, type: "5" },
          { name: `${architecture}/${architecture}.onnx`, data: model },
          { name: `${architecture}/test_data_set_0/input_0.pb`, data: new Uint8Array(16) },
        ])
      : model;
    files.set(architecture, bytes);
    server.put(architecture, bytes);
  }
});
afterAll(async () => {
  await server.close();
  folder.remove();
});

/** A port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

const generatedEntry = (architecture: SyntheticArchitecture, route = "redirect") => {
  const spec = GENERATED.find((g) => g.architecture === architecture)!;
  return entryFor(architecture, files.get(architecture)!, `${server.origin}/${route}/${architecture}`, spec.archive);
};

describe("the catalog file", () => {
  it("is valid, names each entry once, pins size and sha256, and says where each entry comes from", () => {
    const catalog = readCatalog();
    expect(catalog.entries.length).toBeGreaterThan(0);
    for (const entry of catalog.entries) {
      // Pinned at a commit: the bytes behind the URL cannot change under the hash.
      expect(entry.url).toMatch(/^https:\/\/[^/]+\/.*\/[0-9a-f]{40}\//);
      expect(entry.source).toMatch(/^https:\/\//);
    }
  });

  it("rejects entries without a pinned hash or with a bad size", () => {
    const good = entryFor("ok", new Uint8Array([1]), "https://example.invalid/x.onnx");
    expect(() => validateCatalog({ schema: 1, version: "t", entries: [{ ...good, sha256: "abc" }] })).toThrow(/sha256 must be 64/);
    expect(() => validateCatalog({ schema: 1, version: "t", entries: [{ ...good, size: 0 }] })).toThrow(/size must be a positive/);
    expect(() => validateCatalog({ schema: 1, version: "t", entries: [good, good] })).toThrow(/appears twice/);
  });

  it("caches under RUNBOARD_MODEL_CACHE, else under the user's cache folder", () => {
    expect(catalogLocation({ RUNBOARD_MODEL_CACHE: "/tmp/models" }, "linux", "/home/u").cacheDir).toBe("/tmp/models");
    expect(catalogLocation({}, "linux", "/home/u").cacheDir).toBe("/home/u/.cache/runboard/models");
    expect(catalogLocation({ XDG_CACHE_HOME: "/x" }, "linux", "/home/u").cacheDir).toBe("/x/runboard/models");
    expect(catalogLocation({}, "darwin", "/Users/u").cacheDir).toBe("/Users/u/Library/Caches/runboard/models");
  });
});

describe("pulling generated entries from a local server", () => {
  it.each(GENERATED.map((g) => g.architecture))("%s: follows the redirect, verifies, unpacks, and its head is found", async (architecture) => {
    const cache = freshCache();
    const entry = generatedEntry(architecture);
    const progress: number[] = [];
    const file = await pullCatalogModel(entry, cache, { onProgress: (received) => progress.push(received) });
    expect(file.endsWith(".onnx")).toBe(true);
    expect(progress.at(-1)).toBe(entry.size);
    expect(cachedModelFile(entry, cache)).toBe(file);
    const model = loadCatalogModel(entry, cache);
    expect(readPreprocessing(model)).toEqual({ input: "input", size: [32, 32], ...IMAGENET });
    expect(model.metadata["runboard.catalog_name"]).toBe(architecture);
    const feature = findFeatureTensor(model);
    const classifier = createClassifier(model, { classes: 3, seed: 1 });
    expect(classifier.feature).toBe(feature);
    expect(classifier.featureShape[0]).toBeGreaterThan(0);
    expect(classifier.inputSize).toEqual([32, 32]);
  });

  it("works offline from the cache, and says in one line that there is no network when the file is not cached", async () => {
    const cache = freshCache();
    const entry = generatedEntry("resnet18", "files");
    const first = await pullCatalogModel(entry, cache);
    const port = await closedPort();
    const offline = { ...entry, url: `http://127.0.0.1:${port}/files/resnet18` };
    expect(await pullCatalogModel(offline, cache)).toBe(first);
    const error = await pullCatalogModel(offline, freshCache()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNetworkError);
    expect((error as Error).message).toMatch(new RegExp(`^no network: cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)$`));
  });

  it("refuses a file whose sha256 differs, and keeps nothing of it", async () => {
    const cache = freshCache();
    const entry = generatedEntry("resnet18", "wrong");
    await expect(pullCatalogModel(entry, cache)).rejects.toThrow(/sha256 [0-9a-f]{64} does not match the catalog's/);
    expect(readdirSync(join(cache, entry.name), { recursive: true }).filter((f) => String(f).includes("."))).toEqual([]);
    expect(() => loadCatalogModel(entry, cache)).toThrow(/not in the cache/);
  });

  it("reports a 404 with its status", async () => {
    const entry = { ...generatedEntry("resnet18"), url: `${server.origin}/files/no-such-model.onnx` };
    await expect(pullCatalogModel(entry, freshCache())).rejects.toThrow(/HTTP 404/);
  });

  it("refuses a body longer than the pinned size and deletes it", async () => {
    const cache = freshCache();
    const entry = generatedEntry("resnet18", "oversized");
    await expect(pullCatalogModel(entry, cache)).rejects.toThrow(/more than the \d+ bytes/);
    expect(existsSync(`${downloadedFile(entry, cache)}.part`)).toBe(false);
  });

  it("keeps a truncated body as a partial download, never as the model", async () => {
    const cache = freshCache();
    const entry = generatedEntry("resnet18", "truncated");
    await expect(pullCatalogModel(entry, cache)).rejects.toThrow(/body ended at \d+ of \d+ bytes; run again to resume/);
    expect(statSync(`${downloadedFile(entry, cache)}.part`).size).toBe(entry.size >> 1);
    expect(cachedModelFile(entry, cache)).toBeUndefined();
  });

  it("resumes an interrupted download with a Range request", async () => {
    const cache = freshCache();
    const entry = generatedEntry("densenet121", "flaky");
    const before = server.ranges.length;
    await expect(pullCatalogModel(entry, cache)).rejects.toThrow(/interrupted at \d+ of \d+ bytes .*run again to resume/);
    const part = `${downloadedFile(entry, cache)}.part`;
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(entry.size);
    const file = await pullCatalogModel(entry, cache);
    expect(server.ranges.slice(before)).toEqual([undefined, `bytes=${kept}-`]);
    expect(existsSync(part)).toBe(false);
    expect(createClassifier(loadCatalogModel(entry, cache), { classes: 2, seed: 1 }).featureShape[0]).toBeGreaterThan(0);
    expect(file.endsWith("densenet121.onnx")).toBe(true);
  });

  it("gives up on a server that stops sending, keeping what came for the next try", async () => {
    const cache = freshCache();
    const entry = generatedEntry("resnet18", "stall");
    await expect(pullCatalogModel(entry, cache, { idleTimeoutMs: 300 })).rejects.toThrow(/interrupted at 1024 of \d+ bytes \(no data for 0\.3 s\)/);
    expect(statSync(`${downloadedFile(entry, cache)}.part`).size).toBe(1024);
  });

  it("notices a cached file changed after its download, and does not use it", async () => {
    const cache = freshCache();
    const entry = generatedEntry("resnet18", "files");
    const file = await pullCatalogModel(entry, cache);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(file, bytes);
    expect(cachedModelFile(entry, cache)).toBeUndefined();
    expect(await pullCatalogModel(entry, cache)).toBe(file);
    expect(sha256(readFileSync(file))).toBe(entry.sha256);
  });
});

describe("the catalog's own entries, on stand-ins", () => {
  it("each entry with a synthetic architecture: a generated stand-in packed like the entry pulls, loads and gets a head", async () => {
    const cache = freshCache();
    for (const real of readCatalog().entries.filter((e) => e.architecture && e.format === "onnx")) {
      const model = tinyModel(real.architecture as SyntheticArchitecture, 11);
      const bytes = real.archive ? tarGz([{ name: `${real.name}/${real.name}.onnx`, data: model }]) : model;
      server.put(real.name, bytes);
      const entry: CatalogEntry = { ...real, url: `${server.origin}/files/${real.name}`, sha256: sha256(bytes), size: bytes.length, inputSize: [32, 32] };
      await pullCatalogModel(entry, cache);
      const loaded = loadCatalogModel(entry, cache);
      expect(readPreprocessing(loaded)?.mean).toEqual(real.preprocessing.mean);
      expect(createClassifier(loaded, { classes: 4, seed: 2 }).featureShape[0]).toBeGreaterThan(0);
    }
  });

  it("EfficientNet-Lite4 (NHWC, mean 127 / std 128 on 0-255): an NHWC stand-in of the zoo's layout imports with an NCHW input, the same outputs, and a head", async () => {
    const real = readCatalog().entries.find((e) => e.name === "efficientnet-lite4-11")!;
    expect(real.preprocessing).toEqual({ mean: [0.49804, 0.49804, 0.49804], std: [0.50196, 0.50196, 0.50196], layout: "NHWC" });
    expect(real.inputSize).toEqual([224, 224]);
    // As tf2onnx exports a Keras model: an NHWC input of batch 1, transposed to NCHW for the body.
    const body = buildSyntheticModel("efficientnet-b0", { numClasses: 5, widthMultiplier: 0.125, depthMultiplier: 0.25, resolution: 32, seed: 5 }).model;
    const nchwBytes = encodeModel(body);
    const bodyInput = body.graph.inputs[0]!.name;
    body.graph.nodes.unshift({
      name: "to_nchw",
      opType: "Transpose",
      domain: "",
      inputs: ["images:0"],
      outputs: [bodyInput],
      attributes: { perm: { kind: "ints", value: [0, 3, 1, 2] } },
    });
    body.graph.inputs[0] = { name: "images:0", dataType: "float32", shape: [1, 32, 32, 3] };
    const bytes = encodeModel(body);
    server.put("efficientnet-lite4", bytes);
    const cache = freshCache();
    const entry: CatalogEntry = { ...real, url: `${server.origin}/files/efficientnet-lite4`, sha256: sha256(bytes), size: bytes.length, inputSize: [32, 32] };
    await pullCatalogModel(entry, cache);
    const loaded = loadCatalogModel(entry, cache);
    expect(loaded.graph.inputs[0]).toMatchObject({ name: "images:0", shape: ["batch", 3, 32, 32] });
    expect(loaded.metadata["runboard.source_layout"]).toBe("NHWC");
    expect(readPreprocessing(loaded)).toMatchObject({ size: [32, 32], mean: real.preprocessing.mean, std: real.preprocessing.std });
    // The adapted model on an NCHW batch answers what the generated NCHW body answers.
    const images = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37));
    const run = async (model: Uint8Array, feed: string) => {
      const session = await ort.InferenceSession.create(model);
      const output = await session.run({ [feed]: new ort.Tensor("float32", images, [2, 3, 32, 32]) });
      return output[session.outputNames[0]!]!.data as Float32Array;
    };
    const expected = await run(nchwBytes, bodyInput);
    const actual = await run(encodeModel(loaded), "images:0");
    expect(actual.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 4);
    const classifier = createClassifier(loaded, { classes: 3, seed: 1 });
    expect(classifier.feature).toBe(findFeatureTensor(loaded));
    expect(classifier.featureShape[0]).toBeGreaterThan(0);
    expect(classifier.inputSize).toEqual([32, 32]);
  });

  it("refuses an NHWC layout on a tflite entry, and an unknown layout", () => {
    const good = entryFor("ok", new Uint8Array([1]), "https://example.invalid/x.onnx");
    const layout = (l: string, format = "onnx") => ({ schema: 1, version: "t", entries: [{ ...good, format, preprocessing: { ...IMAGENET, layout: l } }] });
    expect(() => validateCatalog(layout("NCWH"))).toThrow(/layout must be NCHW or NHWC/);
    expect(() => validateCatalog(layout("NHWC", "tflite"))).toThrow(/NHWC is for onnx files/);
    expect(validateCatalog(layout("NHWC")).entries[0]!.preprocessing.layout).toBe("NHWC");
  });

  const shared = defaultSharedModelsDir();
  const coral = readCatalog().entries.find((e) => e.name === "coral-mobilenet-v1-embedding")!;
  const coralFile = join(shared, "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite");
  it.skipIf(!existsSync(coralFile))(
    "the Coral embedding extractor, served from the shared models folder, verifies against the catalog's hash and gets a head",
    async () => {
      server.put("coral", readFileSync(coralFile));
      const cache = freshCache();
      const entry = { ...coral, url: `${server.origin}/files/coral` };
      await pullCatalogModel(entry, cache);
      const model = loadCatalogModel(entry, cache);
      expect(readPreprocessing(model)?.size).toEqual([224, 224]);
      const classifier = createClassifier(model, { classes: 3, seed: 1 });
      expect(classifier.featureShape[0]).toBe(1024);
    },
  );
});

describe("unpacking archives", () => {
  it("refuses members that would land outside the target folder", () => {
    for (const name of ["../escape.onnx", "/etc/escape.onnx", "a/../../escape.onnx"]) {
      const target = join(folder.path, `unpack-${cacheCount++}`, "inner");
      expect(() => unpackTarGz(tarGz([{ name, data: new Uint8Array([1, 2, 3]) }]), target)).toThrow(/outside the target folder/);
      expect(existsSync(join(target, "..", "escape.onnx"))).toBe(false);
    }
  });

  it("writes files and folders, skips links, and stops a gzip bomb at the size limit", () => {
    const target = join(folder.path, `unpack-${cacheCount++}`);
    mkdirSync(target);
    const archive = tarGz([
      { name: "m/", type: "5" },
      { name: "m/model.onnx", data: new Uint8Array([9, 8, 7]) },
      { name: "m/link", type: "2", linkname: "/etc/passwd" },
    ]);
    expect(unpackTarGz(archive, target)).toEqual({ files: ["m/model.onnx"], skipped: ["m/link"] });
    expect([...readFileSync(join(target, "m/model.onnx"))]).toEqual([9, 8, 7]);
    expect(existsSync(join(target, "m/link"))).toBe(false);
    const bomb = tarGz([{ name: "zeros", data: new Uint8Array(1 << 20) }]);
    expect(() => unpackTarGz(bomb, join(folder.path, "bomb"), { maxBytes: 1 << 16 })).toThrow(/tar\.gz: /);
  });
});
