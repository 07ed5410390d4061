/**
 * Shared state of one synthetic-model build: the graph builder, the seeded generator and the
 * list of parameters created. Parameters are stored either as initializers with random
 * values (a model to run), or as graph inputs without values (a structure to count or to
 * feed parameters into, at any size, without allocating them).
 */
import { GraphBuilder } from "../../onnx/builder.ts";
import { SeededRandom } from "./random.ts";

export type ParameterRole = "weight" | "bias" | "bnScale" | "bnBias" | "bnMean" | "bnVariance";

export interface ParameterSpec {
  name: string;
  dims: number[];
  role: ParameterRole;
  /** Running statistics of BatchNormalization are buffers, not trained parameters. */
  trainable: boolean;
}

export type ParameterStorage = "initializers" | "inputs";

/** How a parameter's values are drawn. */
export type WeightInit =
  { kind: "heNormal"; fanIn: number } | { kind: "normal"; std: number } | { kind: "uniform"; low: number; high: number } | { kind: "constant"; value: number };

/** A feature map flowing through the network: NCHW with symbolic batch. */
export interface Feature {
  name: string;
  channels: number;
  height: number;
  width: number;
}

export class ModelContext {
  readonly builder: GraphBuilder;
  readonly parameters: ParameterSpec[] = [];
  private readonly random: SeededRandom;
  private readonly scalars = new Map<number, string>();

  constructor(
    name: string,
    seed: number,
    private readonly storage: ParameterStorage,
  ) {
    this.builder = new GraphBuilder(name);
    this.random = new SeededRandom(seed);
  }

  /** Creates a float32 parameter in the current scope; returns its tensor name. */
  parameter(baseName: string, dims: number[], role: ParameterRole, init: WeightInit): string {
    const trainable = role !== "bnMean" && role !== "bnVariance";
    if (this.storage === "inputs") {
      const scope = this.builder.currentScope();
      const name = this.builder.input(scope === "" ? baseName : `${scope}/${baseName}`, "float32", dims);
      this.parameters.push({ name, dims, role, trainable });
      return name;
    }
    const data = new Float32Array(dims.reduce((p, d) => p * d, 1));
    this.fill(data, init);
    const name = this.builder.initializer(baseName, { dataType: "float32", dims, data });
    this.parameters.push({ name, dims, role, trainable });
    return name;
  }

  /** A float32 scalar constant, shared by every node that uses the same value. */
  scalar(value: number): string {
    const existing = this.scalars.get(value);
    if (existing !== undefined) return existing;
    const name = this.builder.scalar(value, "float32", `scalar_${value}`);
    this.scalars.set(value, name);
    return name;
  }

  /** Records the tensor's NCHW shape (symbolic batch) so FLOP counting needs no inference. */
  feature(name: string, channels: number, height: number, width: number): Feature {
    this.builder.valueInfo(name, "float32", ["batch", channels, height, width]);
    return { name, channels, height, width };
  }

  private fill(data: Float32Array, init: WeightInit): void {
    switch (init.kind) {
      // He/Kaiming normal: Var(w) = 2 / fan_in keeps ReLU activations' variance through depth.
      case "heNormal":
        this.random.fillNormal(data, Math.sqrt(2 / init.fanIn));
        return;
      case "normal":
        this.random.fillNormal(data, init.std);
        return;
      case "uniform":
        this.random.fillUniform(data, init.low, init.high);
        return;
      case "constant":
        data.fill(init.value);
        return;
    }
  }
}

/** The options every synthetic architecture takes. */
export interface SyntheticOptions {
  numClasses?: number;
  /** Input height and width. */
  resolution?: number;
  /** Multiplies channel counts. */
  widthMultiplier?: number;
  /** Multiplies the number of blocks per stage (rounded up, at least 1). */
  depthMultiplier?: number;
  seed?: number;
  parameterStorage?: ParameterStorage;
}

export type ResolvedOptions = Required<SyntheticOptions>;

export function resolveOptions(options: SyntheticOptions, defaultResolution = 224): ResolvedOptions {
  const resolved: ResolvedOptions = {
    numClasses: options.numClasses ?? 1000,
    resolution: options.resolution ?? defaultResolution,
    widthMultiplier: options.widthMultiplier ?? 1,
    depthMultiplier: options.depthMultiplier ?? 1,
    seed: options.seed ?? 0,
    parameterStorage: options.parameterStorage ?? "initializers",
  };
  for (const key of ["numClasses", "resolution"] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new Error(`${key} must be a positive integer, got ${resolved[key]}`);
  }
  for (const key of ["widthMultiplier", "depthMultiplier"] as const) {
    if (!(resolved[key] > 0) || !Number.isFinite(resolved[key])) throw new Error(`${key} must be a positive number, got ${resolved[key]}`);
  }
  return resolved;
}

/** Blocks in a stage after the depth multiplier: ⌈n · depth⌉, at least 1. */
export function scaleDepth(blocks: number, depthMultiplier: number): number {
  return Math.max(1, Math.ceil(blocks * depthMultiplier));
}

/** Channels after the width multiplier, at least 1 (ResNet, VGG, DenseNet, Inception). */
export function scaleWidth(channels: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(channels * widthMultiplier));
}

/**
 * MobileNet/EfficientNet channel rounding: the nearest multiple of `divisor`, never more
 * than 10% below the requested value (torchvision's `_make_divisible`).
 */
export function makeDivisible(value: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}
