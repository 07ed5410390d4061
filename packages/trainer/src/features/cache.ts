/**
 * Feature rows kept between uses in one process (the probe, AUTO's candidates, the frozen
 * phase, lr_find, probe_accuracy), keyed by everything they depend on: the body's weights, the
 * items (file hashes and labels), the pipeline, the view and the seed; each view is kept apart. A change of any of them
 * is a different key, so stale rows are never served. Once the byte budget is reached, the least
 * recently used rows are spilled to a temporary folder (exact float32, read back when asked
 * for again) and leave memory; `close()` removes the folder.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Model } from "../onnx/ir.ts";
import { type ExtractOptions, extractFeatures, type FeatureSet } from "./extract.ts";

const fingerprints = new WeakMap<Model, string>();

/** sha256 over the graph's nodes and every initializer's bytes (memoized per model object). */
export function modelFingerprint(model: Model): string {
  const known = fingerprints.get(model);
  if (known) return known;
  const hash = createHash("sha256");
  for (const node of model.graph.nodes) hash.update(`${node.opType}(${node.inputs.join(",")})→${node.outputs.join(",")};`);
  for (const [name, tensor] of [...model.graph.initializers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${name}:${tensor.dataType}:${tensor.dims.join("x")}:`);
    const data = tensor.data as ArrayLike<number> & { buffer?: ArrayBufferLike; byteOffset?: number; byteLength?: number };
    if (data.buffer && data.byteLength !== undefined) hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else hash.update(JSON.stringify(Array.from(data as ArrayLike<number>)));
  }
  const digest = hash.digest("hex");
  fingerprints.set(model, digest);
  return digest;
}

/** The key of one view's rows (a view's rows depend on its index, not on how many views there are). */
export function featureCacheKey(options: ExtractOptions & { items: readonly { sha256?: string; relativePath: string; label: number }[] }, view = 0): string {
  const hash = createHash("sha256");
  hash.update(modelFingerprint(options.extractor));
  for (const index of options.subset) {
    const item = options.items[index]!;
    hash.update(`${item.sha256 ?? item.relativePath}:${item.label};`);
  }
  hash.update(JSON.stringify({ pipeline: options.pipeline, view, seed: options.seed, classes: options.classCount }));
  return hash.digest("hex");
}

/** Rows spilled to disk: everything but the features, and the file holding them. */
type Spilled = Omit<FeatureSet, "features"> & { file: string };

export class FeatureCache {
  private readonly entries = new Map<string, FeatureSet>();
  private readonly spilled = new Map<string, Spilled>();
  private spillFolder: string | undefined;
  private bytes = 0;
  hits = 0;
  misses = 0;
  /** Hits served from the spill folder. */
  reloads = 0;

  constructor(private readonly maxBytes = 2 * 1024 ** 3) {}

  /** Removes the spill folder (the rows in memory stay usable). */
  close(): void {
    if (this.spillFolder) rmSync(this.spillFolder, { recursive: true, force: true });
    this.spillFolder = undefined;
    this.spilled.clear();
  }

  /**
   * The rows for these options, view-major: each view from the cache when every input matches,
   * else extracted and kept (asking for 4 views after 1 extracts only views 1 to 3).
   */
  async features(options: ExtractOptions & { items: readonly { sha256?: string; relativePath: string; label: number; path: string }[] }): Promise<FeatureSet> {
    const views: FeatureSet[] = [];
    for (let view = 0; view < options.views; view++) views.push(await this.view(options, view));
    if (views.length === 1) return views[0]!;
    const first = views[0]!;
    const features = new Float32Array(views.reduce((sum, v) => sum + v.features.length, 0));
    const labels = new Int32Array(first.count * views.length);
    const groups = new Int32Array(first.count * views.length);
    views.forEach((v, i) => {
      features.set(v.features, i * v.features.length);
      labels.set(v.labels, i * first.count);
      groups.set(v.groups, i * first.count);
    });
    return { ...first, features, count: first.count * views.length, labels, groups };
  }

  private async view(
    options: ExtractOptions & { items: readonly { sha256?: string; relativePath: string; label: number; path: string }[] },
    view: number,
  ): Promise<FeatureSet> {
    const key = featureCacheKey(options, view);
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const onDisk = this.spilled.get(key);
    if (onDisk) {
      this.hits++;
      this.reloads++;
      this.spilled.delete(key);
      const { file, ...rest } = onDisk;
      const bytes = readFileSync(file);
      rmSync(file, { force: true });
      // Copied: a Buffer's offset need not be aligned for a Float32Array view.
      const features = new Float32Array(bytes.byteLength / 4);
      new Uint8Array(features.buffer).set(bytes);
      return this.keep(key, { ...rest, features });
    }
    this.misses++;
    return this.keep(key, await extractFeatures({ ...options, views: 1, firstView: view }));
  }

  /** Keeps `set` in memory, spilling the least recently used rows past the byte budget. */
  private keep(key: string, set: FeatureSet): FeatureSet {
    this.entries.set(key, set);
    this.bytes += set.features.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === key) break;
      this.entries.delete(oldest);
      this.bytes -= entry.features.byteLength;
      this.spill(oldest, entry);
    }
    return set;
  }

  private spill(key: string, set: FeatureSet): void {
    this.spillFolder ??= mkdtempSync(join(tmpdir(), "runboard-features-"));
    const file = join(this.spillFolder, `${key}.f32`);
    writeFileSync(file, new Uint8Array(set.features.buffer, set.features.byteOffset, set.features.byteLength));
    const { features: _, ...rest } = set;
    this.spilled.set(key, { ...rest, file });
  }

  get size(): number {
    return this.entries.size;
  }
}
