/**
 * A training session: parameters, running statistics and optimizer state live as ort.Tensor
 * objects between steps (each step's outputs are the next step's feeds), and the train / eval
 * graphs are rebuilt only when the trainable set changes (freeze, unfreeze, freezeTo).
 */
import * as ort from "onnxruntime-node";
import type { Model, Tensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { RuntimeSession, SessionOptions } from "../runtime/index.ts";
import { createSession } from "../runtime/index.ts";
import { knownNchwcBlockSize, nchwcBlockSize } from "../runtime/index.ts";
import type { TrainerConfig } from "./config.ts";
import { resolveTrainerConfig } from "./config.ts";
import type { CompiledTrainStep } from "./graph-cache.ts";
import { GraphCache } from "./graph-cache.ts";
import type { LayerGroup } from "./layer-groups.ts";
import type { TrainableSet } from "./plan.ts";
import { TrainingPlan } from "./plan.ts";
import { loadTrainerState, saveTrainerState } from "./checkpointing.ts";
import { checkLabels, checkLearningRates, stepFeeds } from "./step-feeds.ts";
import { irTensorOf, ortTensorOf, zeros } from "./tensors.ts";
import { dropoutSeed } from "./dropout.ts";
import { EVAL_SESSION_DEFAULTS, trainSessionDefaults } from "./session-defaults.ts";
import { buildEvalGraph, buildInferenceGraph, buildTrainGraph, GRADIENT_NORM, INPUT, LABELS, LOSS, type TrainSpec } from "./train-graph.ts";

export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping (only with maxGradientNorm). */
  gradientNorm?: number;
}

export interface EvalResult {
  loss: number;
  logits: ort.Tensor;
}

/** Everything needed to continue training exactly where it stopped. */
export interface TrainerState {
  stepCount: number;
  freezeTo: number;
  /** Parameters and running statistics. */
  values: Map<string, ort.Tensor>;
  optimizerState: Map<string, ort.Tensor>;
}

export class Trainer {
  private readonly plan: TrainingPlan;
  private readonly cache = new GraphCache();
  private values = new Map<string, ort.Tensor>();
  private optimizerState = new Map<string, ort.Tensor>();
  private current: TrainableSet;
  private frozenBelow: number;
  private steps = 0;
  private lastLearningRates: number[] = [];

  constructor(model: Model, config: TrainerConfig) {
    this.plan = new TrainingPlan(model, resolveTrainerConfig(config));
    const { parameters, buffers } = this.plan.parameters;
    for (const name of [...parameters.map((p) => p.name), ...buffers]) {
      this.values.set(name, ortTensorOf(model.graph.initializers.get(name)!, name));
    }
    this.frozenBelow = this.plan.config.freezeTo;
    this.current = this.plan.trainableSet(this.frozenBelow);
  }

  get layerGroups(): readonly LayerGroup[] {
    return this.plan.groups;
  }

  /** Names of the parameters that train now. */
  get trainable(): readonly string[] {
    return this.current.parameters;
  }

  get stepCount(): number {
    return this.steps;
  }

  /** Freezes layer groups below `index` (negative counts from the end), as fastai freeze_to. */
  freezeTo(index: number): void {
    this.current = this.plan.trainableSet(index);
    this.frozenBelow = index;
  }

  /** Trains only the last layer group (and normalization layers with trainBatchNorm). */
  freeze(): void {
    this.freezeTo(-1);
  }

  unfreeze(): void {
    this.freezeTo(0);
  }

  /**
   * One optimizer step on a batch. labels: int64 [batch], or float32 [batch, classes] target rows
   * when loss.targets is "soft", or int64 [batch, H, W] with a segmentation loss.
   * learningRates: one per layer group, or one for all.
   */
  async step(input: ort.Tensor, labels: ort.Tensor, learningRates: number | readonly number[], momentum?: number): Promise<StepResult> {
    const rates = checkLearningRates(learningRates, this.plan.groups.length);
    this.lastLearningRates = rates;
    if (this.plan.momentumInput && momentum === undefined) throw new Error("step: momentum is required when scheduleMomentum is on");
    const compiled = await this.compiledTrainStep(input.dims[0]!);
    this.ensureOptimizerState();
    const feeds: Record<string, ort.Tensor> = {
      ...stepFeeds(input, labels, rates, this.plan.momentumInput ? momentum : undefined, this.softTargetClasses(), this.pixelLabels()),
    };
    for (const name of compiled.carried.keys()) feeds[name] = this.values.get(name) ?? this.optimizerState.get(name)!;
    const fetches = [LOSS, ...compiled.carried.values(), ...(this.plan.config.maxGradientNorm === undefined ? [] : [GRADIENT_NORM])];
    const results = await compiled.session.session.run(feeds, fetches);
    for (const [name, next] of compiled.carried) {
      (this.values.has(name) ? this.values : this.optimizerState).set(name, results[next]!);
    }
    this.steps++;
    await this.cache.invalidate(this.current.parameters);
    const loss = (results[LOSS]!.data as Float32Array)[0]!;
    const norm = results[GRADIENT_NORM];
    return norm ? { loss, gradientNorm: (norm.data as Float32Array)[0]! } : { loss };
  }

  async evaluate(input: ort.Tensor, labels: ort.Tensor): Promise<EvalResult> {
    const pixels = this.pixelLabels();
    if (pixels) checkLabels(input, labels, pixels);
    const set = this.current;
    const nchwc = this.depthwiseStrategy(this.onCpu() ? await nchwcBlockSize() : undefined).nchwcBlockSize;
    const session = await this.cache.eval(set.key, set.parameters, () =>
      this.compile(buildEvalGraph({ ...this.spec(set), loss: this.plan.config.loss, nchwcBlockSize: nchwc }), EVAL_SESSION_DEFAULTS),
    );
    const feeds: Record<string, ort.Tensor> = { [INPUT]: input, [LABELS]: labels };
    for (const name of [...set.parameters, ...set.buffers]) feeds[name] = this.values.get(name)!;
    const results = await session.session.run(feeds, [LOSS, this.plan.model.graph.outputs[0]!.name]);
    return { loss: (results[LOSS]!.data as Float32Array)[0]!, logits: results[this.plan.model.graph.outputs[0]!.name]! };
  }

  /** The model with the current weights, plus a "probabilities" (softmax) output. */
  exportModel(): Model {
    return buildInferenceGraph(this.plan.model, this.irValues());
  }

  /** The train-step graph for the current trainable set (to inspect, count FLOPs, open in Netron). */
  trainStepModel(batchSize: number): Model {
    return buildTrainGraph(this.trainSpec(this.current, batchSize, knownNchwcBlockSize())).model;
  }

  /** Current parameter and running-statistic tensors (read-only views). */
  parameterValues(): ReadonlyMap<string, ort.Tensor> {
    return this.values;
  }

  state(): TrainerState {
    return { stepCount: this.steps, freezeTo: this.frozenBelow, values: new Map(this.values), optimizerState: new Map(this.optimizerState) };
  }

  /** Continues from a saved state; every parameter of the model must be present with its shape. */
  async restore(state: TrainerState): Promise<void> {
    for (const [name, tensor] of this.values) {
      const saved = state.values.get(name);
      if (!saved) throw new Error(`checkpoint: parameter '${name}' is missing`);
      if (saved.dims.join(",") !== tensor.dims.join(","))
        throw new Error(`checkpoint: parameter '${name}' has shape [${saved.dims}], the model needs [${tensor.dims}]`);
    }
    this.values = new Map([...this.values.keys()].map((name) => [name, state.values.get(name)!]));
    this.optimizerState = new Map(state.optimizerState);
    this.steps = state.stepCount;
    this.freezeTo(state.freezeTo);
    await this.cache.clear();
  }

  /** Writes parameters, running statistics, optimizer state and step count to one file. */
  saveCheckpoint(path: string): void {
    saveTrainerState(path, this.state(), { optimizer: this.plan.config.optimizer, groups: this.plan.groups, learningRates: this.lastLearningRates });
  }

  /** Continues from a checkpoint written by saveCheckpoint for the same model and optimizer. */
  async loadCheckpoint(path: string): Promise<void> {
    await this.restore(loadTrainerState(path, new Set(this.values.keys()), { optimizer: this.plan.config.optimizer, groups: this.plan.groups }));
  }

  async release(): Promise<void> {
    await this.cache.clear();
  }

  private compiledTrainStep(batchSize: number): Promise<CompiledTrainStep> {
    const set = this.current;
    return this.cache.train(`${batchSize}|${set.key}`, set.parameters, async () => {
      const graph = buildTrainGraph(this.trainSpec(set, batchSize, this.onCpu() ? await nchwcBlockSize() : undefined));
      return { session: await this.compile(graph.model, trainSessionDefaults(graph.model)), carried: graph.carried };
    });
  }

  /** The train graph's spec; Dropout masks are seeded from the step the session is built at. */
  private trainSpec(set: TrainableSet, batchSize: number, nchwcBlock: number | undefined): TrainSpec {
    return {
      ...this.plan.trainSpec(set, this.irValues()),
      batchSize,
      dropoutSeed: dropoutSeed(this.plan.config.dropoutSeed, this.steps),
      ...this.depthwiseStrategy(nchwcBlock),
      cpuKernels: this.onCpu(),
    };
  }

  private onCpu(): boolean {
    return (this.plan.config.session.executionProvider ?? "cpu") === "cpu";
  }

  /**
   * The config's depthwise weight gradient, or by default ORT's NCHWc kernels where the CPU
   * provider has them (4–6× faster per layer, docs/performance.md); the plain grouped Conv
   * elsewhere (other providers, or no NCHWc on this CPU).
   */
  private depthwiseStrategy(nchwcBlock: number | undefined): Pick<TrainSpec, "depthwiseWeightGradient" | "nchwcBlockSize"> {
    const configured = this.plan.config.depthwiseWeightGradient;
    if ((configured === undefined || configured === "nchwc") && this.onCpu() && nchwcBlock !== undefined && nchwcBlock > 1) {
      return { depthwiseWeightGradient: "nchwc", nchwcBlockSize: nchwcBlock };
    }
    return { depthwiseWeightGradient: configured === "nchwc" ? "grouped-conv" : configured };
  }

  /** The class count when the train step takes soft targets. */
  private softTargetClasses(): number | undefined {
    if (this.plan.config.loss.targets !== "soft") return undefined;
    const classes = this.plan.model.graph.outputs[0]?.shape?.[1];
    if (typeof classes !== "number") throw new Error("model: soft targets need an output of shape [batch, classes] with a fixed class count");
    return classes;
  }

  /** With a segmentation loss, the [H, W] of the model's scores (the labels' spatial shape). */
  private pixelLabels(): number[] | undefined {
    if (this.plan.config.loss.kind !== "segmentation") return undefined;
    const shape = this.plan.model.graph.outputs[0]?.shape;
    const pixels = shape?.slice(2);
    if (!shape || shape.length < 3 || !pixels!.every((d) => typeof d === "number")) {
      throw new Error(`model: a segmentation loss needs an output of shape [batch, classes, H, W] with fixed H and W, got [${shape ?? "unknown"}]`);
    }
    return pixels as number[];
  }

  private spec(set: TrainableSet) {
    return { model: this.plan.model, values: this.irValues(), trainable: set.parameters, trainableBuffers: set.buffers };
  }

  /** The session settings' own values win over the defaults (session-defaults.ts). */
  private compile(model: Model, defaults: SessionOptions): Promise<RuntimeSession> {
    return createSession(encodeModel(model), { ...defaults, ...this.plan.config.session });
  }

  private irValues(): Map<string, Tensor> {
    return new Map([...this.values].map(([name, tensor]) => [name, irTensorOf(tensor, name)]));
  }

  /** Zero state (PyTorch's lazy init) for parameters that train for the first time. */
  private ensureOptimizerState(): void {
    for (const param of this.current.parameters) {
      for (const slot of this.plan.optimizer.stateSlots(param)) {
        if (this.optimizerState.has(slot.name)) continue;
        this.optimizerState.set(slot.name, zeros(slot.shape === "param" ? this.values.get(param)!.dims : []));
      }
    }
  }
}
