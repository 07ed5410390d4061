/**
 * What the TFLite op converters share: the source model, the GraphBuilder, and the map from
 * TFLite tensor index to ONNX tensor name. Every rank-4 ONNX tensor is NCHW; TFLite's own
 * shapes (NHWC) stay available through `shapeOf`.
 */
import type { GraphBuilder } from "../../onnx/builder.ts";
import type { Attribute } from "../../onnx/ir.ts";
import { attr, floatTensor } from "../../onnx/ir.ts";
import type { TfliteModel, TfliteOperator, TfliteSubgraph, TfliteTensor } from "./tflite-schema.ts";
import { operatorName } from "./tflite-schema.ts";
import { dequantize, isConstant, transpose4 } from "./tflite-tensors.ts";

export const FusedActivation = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 } as const;

export class TfliteContext {
  private readonly names = new Map<number, string>();

  constructor(
    readonly model: TfliteModel,
    readonly subgraph: TfliteSubgraph,
    readonly builder: GraphBuilder,
  ) {}

  tensor(index: number | undefined, op: TfliteOperator, role: string): TfliteTensor {
    const tensor = index === undefined || index < 0 ? undefined : this.subgraph.tensors[index];
    if (!tensor) throw new Error(`${describe(op)}: missing ${role} tensor`);
    return tensor;
  }

  shapeOf(index: number | undefined, op: TfliteOperator, role: string): number[] {
    return this.tensor(index, op, role).shape;
  }

  bind(index: number, onnxName: string): void {
    this.names.set(index, onnxName);
  }

  /**
   * The ONNX name of an operand. Constants become float initializers, broadcast to rank
   * `rankOfOp` and moved to NCHW when the op works on rank-4 tensors.
   */
  operand(index: number | undefined, op: TfliteOperator, rankOfOp = 0): string {
    const tensor = this.tensor(index, op, "input");
    const bound = this.names.get(tensor.index);
    if (bound !== undefined) return bound;
    if (!isConstant(this.model, tensor)) throw new Error(`${describe(op)}: input tensor ${tensor.index} '${tensor.name}' is not produced by any earlier operator`);
    let data = dequantize(this.model, tensor);
    let dims = tensor.shape;
    if (rankOfOp === 4 && dims.length <= 4) {
      const padded = [...Array<number>(4 - dims.length).fill(1), ...dims];
      ({ data, dims } = transpose4(data, padded, [0, 3, 1, 2]));
    }
    const name = this.builder.initializer(shortName(tensor.name), floatTensor(dims, data));
    this.names.set(tensor.index, name);
    return name;
  }

  /** A weight tensor reordered by `perm` (TFLite OHWI or 1HWC kernels to ONNX OIHW). */
  weight(index: number | undefined, op: TfliteOperator, perm?: [number, number, number, number]): string {
    const tensor = this.tensor(index, op, "weight");
    if (!isConstant(this.model, tensor)) throw new Error(`${describe(op)}: weight tensor ${tensor.index} '${tensor.name}' must be a constant`);
    const values = dequantize(this.model, tensor);
    const { data, dims } = perm ? transpose4(values, tensor.shape, perm) : { data: values, dims: tensor.shape };
    return this.builder.initializer(shortName(tensor.name), floatTensor(dims, data));
  }

  /** Emits the op's node, then its fused activation, and binds the TFLite output to the result. */
  emit(op: TfliteOperator, opType: string, inputs: string[], attributes: Record<string, Attribute>, fused = 0): string {
    const outputIndex = op.outputs[0];
    const output = this.tensor(outputIndex, op, "output");
    const name = shortName(output.name);
    let result = this.builder.op(opType, inputs, attributes, { name });
    result = this.activation(result, fused, op, name);
    this.bind(output.index, result);
    return result;
  }

  activation(input: string, fused: number, op: TfliteOperator, name: string): string {
    switch (fused) {
      case FusedActivation.NONE: return input;
      case FusedActivation.RELU: return this.builder.op("Relu", [input], {}, { name: `${name}/Relu` });
      case FusedActivation.RELU6: return this.clip(input, 0, 6, `${name}/Relu6`);
      case FusedActivation.RELU_N1_TO_1: return this.clip(input, -1, 1, `${name}/ReluN1To1`);
      default: throw new Error(`${describe(op)}: fused activation ${fused} is not supported (NONE, RELU, RELU6, RELU_N1_TO_1 are)`);
    }
  }

  clip(input: string, min: number, max: number, name: string): string {
    const low = this.builder.scalar(min, "float32", `${name}/min`);
    const high = this.builder.scalar(max, "float32", `${name}/max`);
    return this.builder.op("Clip", [input, low, high], {}, { name });
  }

  /**
   * Reshape with TFLite semantics on an NCHW tensor: back to NHWC order first unless that
   * order change is a no-op in memory (C = 1, or H = W = 1); NCHW again when the result is rank 4.
   */
  reshape(input: string, from: number[], to: number[], name: string): string {
    let source = input;
    if (from.length === 4 && from[3] !== 1 && !(from[1] === 1 && from[2] === 1)) {
      source = this.builder.op("Transpose", [input], { perm: attr.ints([0, 2, 3, 1]) }, { name: `${name}/ToNhwc` });
    }
    // The batch dimension stays dynamic: -1 where TFLite keeps it, the rest as TFLite states.
    const target = to.length > 0 && to[0] === from[0] ? [-1, ...to.slice(1)] : to;
    const shape = this.builder.int64s(target, `${name}/shape`);
    const reshaped = this.builder.op("Reshape", [source, shape], {}, { name });
    if (to.length !== 4) return reshaped;
    return this.builder.op("Transpose", [reshaped], { perm: attr.ints([0, 3, 1, 2]) }, { name: `${name}/ToNchw` });
  }
}

/** The first of TFLite's ";"-joined names, without characters ONNX tools dislike. */
export function shortName(name: string): string {
  return (name.split(";")[0] ?? name).replace(/[^A-Za-z0-9_/.-]/g, "_") || "tensor";
}

export function describe(op: TfliteOperator): string {
  return `operator ${op.index} (${operatorName(op.opcode)})`;
}
