/**
 * Grad-CAM (Selvaraju et al. 2017): for class c and feature map A (C × H × W),
 *   αₖ = mean over (i, j) of ∂yᶜ/∂Aₖᵢⱼ,   map = ReLU(Σₖ αₖ Aₖ),
 * with yᶜ the class logit. The gradient comes from our autodiff (grad-cam-graph.ts); one
 * compiled session serves any number of images and classes.
 */
import * as ort from "onnxruntime-node";
import type { Model } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { createSession, type RuntimeSession, type SessionOptions } from "../runtime/index.ts";
import { buildGradCamGraph, CLASS_MASK, type GradCamGraph, type GradCamGraphOptions, PROBE } from "./grad-cam-graph.ts";

export interface GradCamOptions extends GradCamGraphOptions {
  session?: SessionOptions;
  /** Images per run (default 8); larger batches are split. */
  maxBatchSize?: number;
}

export interface ClassActivationMap {
  classIndex: number;
  /** The class logit yᶜ. */
  score: number;
  /** ReLU(Σₖ αₖ Aₖ), H × W row-major, feature-map resolution. */
  map: Float32Array;
  /** `map` divided by its maximum (all zeros when the maximum is 0): what heat maps show. */
  heat: Float32Array;
  width: number;
  height: number;
  /** αₖ, one per feature channel. */
  channelWeights: Float32Array;
  /** ∂yᶜ/∂A, C × H × W (for inspection and tests). */
  gradient: Float32Array;
}

/** A batch of preprocessed images, NCHW float32 (as the model's input). */
export interface ImageBatch {
  data: Float32Array;
  dims: readonly [number, number, number, number];
}

interface Compiled {
  graph: GradCamGraph;
  runtime: RuntimeSession;
}

export class GradCam {
  private readonly compiled = new Map<number, Promise<Compiled>>();
  private readonly maxBatchSize: number;
  /** The batch-size-1 graph: feature name, class count and shapes are the same for every size. */
  private readonly graph: GradCamGraph;

  private constructor(
    private readonly model: Model,
    private readonly options: GradCamOptions,
    first: Compiled,
  ) {
    this.compiled.set(1, Promise.resolve(first));
    this.maxBatchSize = options.maxBatchSize ?? 8;
    this.graph = first.graph;
  }

  /** Builds the graph for one image at once, so a bad model or feature name fails here. */
  static async create(model: Model, options: GradCamOptions = {}): Promise<GradCam> {
    const max = options.maxBatchSize ?? 8;
    if (!Number.isInteger(max) || max < 1) throw new Error(`maxBatchSize must be a positive integer, got ${max}`);
    return new GradCam(model, options, await compile(model, options, 1));
  }

  get feature(): string {
    return this.graph.feature;
  }

  get classes(): number {
    return this.graph.classes;
  }

  /** One map per image; classIndices default to each image's predicted (argmax logit) class. */
  async compute(batch: ImageBatch, classIndices?: readonly number[]): Promise<ClassActivationMap[]> {
    const [n, ...rest] = batch.dims;
    const itemSize = rest.reduce((a, b) => a * b, 1);
    if (batch.data.length !== n * itemSize) throw new Error(`batch.data must have ${batch.dims.join("×")} values, got ${batch.data.length}`);
    if (classIndices !== undefined && classIndices.length !== n)
      throw new Error(`classIndices must have one class per image (${n}), got ${classIndices.length}`);
    classIndices?.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0 || c >= this.classes)
        throw new Error(`classIndices[${i}] must be a class index from 0 to ${this.classes - 1}, got ${c}`);
    });
    const results: ClassActivationMap[] = [];
    for (let start = 0; start < n; start += this.maxBatchSize) {
      const count = Math.min(this.maxBatchSize, n - start);
      const image = new ort.Tensor("float32", batch.data.subarray(start * itemSize, (start + count) * itemSize), [count, ...rest]);
      results.push(...(await this.computeChunk(image, classIndices?.slice(start, start + count))));
    }
    return results;
  }

  async release(): Promise<void> {
    const all = await Promise.all(this.compiled.values());
    this.compiled.clear();
    for (const { runtime } of all) await runtime.release();
  }

  private async computeChunk(image: ort.Tensor, classIndices: readonly number[] | undefined): Promise<ClassActivationMap[]> {
    const n = image.dims[0]!;
    const compiled = await this.compiledFor(n);
    const chosen = classIndices ?? (await predictedClasses(compiled, image));
    const results = await run(compiled, image, oneHot(chosen, this.classes));
    const { graph } = compiled;
    const features = results[graph.feature]!.data as Float32Array;
    const gradients = results[graph.gradient]!.data as Float32Array;
    const logits = results[graph.logits]!.data as Float32Array;
    const size = graph.featureShape.reduce((a, b) => a * b, 1);
    return chosen.map((classIndex, i) => ({
      classIndex,
      score: logits[i * graph.classes + classIndex]!,
      ...camFrom(features.subarray(i * size, (i + 1) * size), gradients.subarray(i * size, (i + 1) * size), graph.featureShape),
    }));
  }

  private compiledFor(batchSize: number): Promise<Compiled> {
    let compiled = this.compiled.get(batchSize);
    if (!compiled) {
      compiled = compile(this.model, this.options, batchSize);
      this.compiled.set(batchSize, compiled);
    }
    return compiled;
  }
}

async function compile(model: Model, options: GradCamOptions, batchSize: number): Promise<Compiled> {
  const graph = buildGradCamGraph(model, { ...options, batchSize });
  const runtime = await createSession(encodeModel(graph.model), options.session ?? { intraOpNumThreads: 2 });
  return { graph, runtime };
}

function run({ graph, runtime }: Compiled, image: ort.Tensor, mask: Float32Array): Promise<ort.InferenceSession.OnnxValueMapType> {
  const n = image.dims[0]!;
  const [channels, height, width] = graph.featureShape;
  return runtime.session.run({
    [graph.image]: image,
    [PROBE]: new ort.Tensor("float32", new Float32Array(n * channels * height * width), [n, channels, height, width]),
    [CLASS_MASK]: new ort.Tensor("float32", mask, [n, graph.classes]),
  });
}

async function predictedClasses(compiled: Compiled, image: ort.Tensor): Promise<number[]> {
  const n = image.dims[0]!;
  const k = compiled.graph.classes;
  const logits = (await run(compiled, image, new Float32Array(n * k)))[compiled.graph.logits]!.data as Float32Array;
  return Array.from({ length: n }, (_, i) => argmax(logits.subarray(i * k, (i + 1) * k)));
}

function oneHot(classes: readonly number[], count: number): Float32Array {
  const mask = new Float32Array(classes.length * count);
  classes.forEach((c, i) => {
    mask[i * count + c] = 1;
  });
  return mask;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** αₖ = spatial mean of ∂y/∂Aₖ; map = ReLU(Σₖ αₖ Aₖ); heat = map / max. */
export function camFrom(
  features: Float32Array,
  gradient: Float32Array,
  [channels, height, width]: readonly [number, number, number],
): Omit<ClassActivationMap, "classIndex" | "score"> {
  const area = height * width;
  const channelWeights = new Float32Array(channels);
  for (let k = 0; k < channels; k++) {
    let sum = 0;
    for (let p = 0; p < area; p++) sum += gradient[k * area + p]!;
    channelWeights[k] = sum / area;
  }
  const map = new Float32Array(area);
  for (let k = 0; k < channels; k++) {
    const alpha = channelWeights[k]!;
    if (alpha === 0) continue;
    for (let p = 0; p < area; p++) map[p]! += alpha * features[k * area + p]!;
  }
  let max = 0;
  for (let p = 0; p < area; p++) {
    map[p] = Math.max(0, map[p]!);
    max = Math.max(max, map[p]!);
  }
  const heat = max > 0 ? map.map((v) => v / max) : new Float32Array(area);
  return { map, heat, width, height, channelWeights, gradient: Float32Array.from(gradient) };
}
