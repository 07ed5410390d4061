/**
 * What a session trains: the model's parameters, its layer groups and, per freeze setting,
 * which parameters and running statistics train and which group and weight decay each gets.
 */
import type { Model, Tensor } from "../onnx/ir.ts";
import type { Optimizer, ParamSlot } from "../optim/index.ts";
import { createOptimizer } from "../optim/index.ts";
import type { ResolvedTrainerConfig } from "./config.ts";
import type { LayerGroup } from "./layer-groups.ts";
import { deriveLayerGroups, groupIndexOf, trainableParameters } from "./layer-groups.ts";
import type { ModelParameters, ParameterInfo } from "./parameters.ts";
import { findParameters } from "./parameters.ts";
import type { TrainSpec } from "./train-graph.ts";

export interface TrainableSet {
  /** A stable key for caching compiled graphs. */
  key: string;
  parameters: string[];
  /** Running statistics of the BatchNormalization nodes whose scale trains. */
  buffers: string[];
}

export class TrainingPlan {
  readonly parameters: ModelParameters;
  readonly groups: LayerGroup[];
  readonly optimizer: Optimizer;
  private readonly info: Map<string, ParameterInfo>;
  private readonly groupOf: Map<string, number>;

  constructor(
    readonly model: Model,
    readonly config: ResolvedTrainerConfig,
  ) {
    this.parameters = findParameters(model.graph);
    this.groups = deriveLayerGroups(model.graph, this.parameters.parameters, config.layerGroups);
    this.optimizer = createOptimizer(config.optimizer);
    this.info = new Map(this.parameters.parameters.map((p) => [p.name, p]));
    this.groupOf = groupIndexOf(this.groups);
  }

  trainableSet(freezeTo: number): TrainableSet {
    const parameters = trainableParameters(this.groups, this.parameters.parameters, { freezeTo, trainBatchNorm: this.config.trainBatchNorm });
    const open = new Set(parameters);
    const buffers = this.model.graph.nodes.filter((n) => n.opType === "BatchNormalization" && open.has(n.inputs[1] ?? "")).flatMap((n) => n.inputs.slice(3, 5));
    return { key: parameters.join("\n"), parameters, buffers };
  }

  /** True when the optimizer takes a momentum input: SGD with momentum, or AdamW (β₁). */
  get momentumInput(): boolean {
    return this.config.scheduleMomentum;
  }

  trainSpec(set: TrainableSet, values: ReadonlyMap<string, Tensor>): TrainSpec {
    return {
      model: this.model,
      values,
      trainable: set.parameters,
      trainableBuffers: set.buffers,
      loss: this.config.loss,
      optimizer: this.optimizer,
      slots: new Map(set.parameters.map((name) => [name, this.slot(name)])),
      groupCount: this.groups.length,
      momentumInput: this.momentumInput,
      batchNormMomentum: this.config.batchNormMomentum,
      maxGradientNorm: this.config.maxGradientNorm,
      depthwiseWeightGradient: this.config.depthwiseWeightGradient,
    };
  }

  private slot(name: string): Omit<ParamSlot, "param" | "gradient"> {
    const kind = this.info.get(name)?.kind;
    const exempt = !this.config.decayNormAndBias && kind !== "weight";
    return { group: this.groupOf.get(name) ?? 0, weightDecay: exempt ? 0 : this.config.weightDecay };
  }
}
