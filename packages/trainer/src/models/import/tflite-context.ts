/**
 * What the TFLite op converters share: the source model, the GraphBuilder, and the map from
 * TFLite tensor index to ONNX tensor name. Every rank-4 ONNX tensor is NCHW; TFLite's own
 * shapes (NHWC) stay available through `shapeOf`.
 */
import type { GraphBuilder } from "../../onnx/builder.ts";
import type { Attribute } from "../../onnx/ir.ts";
import { floatTensor } from "../../onnx/ir.ts";
import { NchwEmitter } from "./nchw-emitter.ts";
import type { TfliteModel, TfliteOperator, TfliteSubgraph, TfliteTensor } from "./tflite-schema.ts";
import { operatorName } from "./tflite-schema.ts";
import { dequantize, isConstant, transpose4 } from "./tflite-tensors.ts";

export const FusedActivation = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 } as const;

export class TfliteContext {
  private readonly names = new Map<number, string>();
  private readonly emitter: NchwEmitter;

  constructor(
    readonly model: TfliteModel,
    readonly subgraph: TfliteSubgraph,
    readonly builder: GraphBuilder,
  ) {
    this.emitter = new NchwEmitter(builder);
  }

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
    if (!isConstant(this.model, tensor))
      throw new Error(`${describe(op)}: input tensor ${tensor.index} '${tensor.name}' is not produced by any earlier operator`);
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
      case FusedActivation.NONE:
        return input;
      case FusedActivation.RELU:
        return this.builder.op("Relu", [input], {}, { name: `${name}/Relu` });
      case FusedActivation.RELU6:
        return this.clip(input, 0, 6, `${name}/Relu6`);
      case FusedActivation.RELU_N1_TO_1:
        return this.clip(input, -1, 1, `${name}/ReluN1To1`);
      default:
        throw new Error(`${describe(op)}: fused activation ${fused} is not supported (NONE, RELU, RELU6, RELU_N1_TO_1 are)`);
    }
  }

  clip(input: string, min: number, max: number, name: string): string {
    return this.emitter.clip({ name: input, shape: [] }, min, max, name).name;
  }

  /** Reshape with TFLite (NHWC row-major) semantics on an NCHW tensor; see NchwEmitter.reshape. */
  reshape(input: string, from: number[], to: number[], name: string): string {
    return this.emitter.reshape({ name: input, shape: from }, to, name).name;
  }
}

/** The first of TFLite's ";"-joined names, without characters ONNX tools dislike. */
export function shortName(name: string): string {
  return (name.split(";")[0] ?? name).replace(/[^A-Za-z0-9_/.-]/g, "_") || "tensor";
}

export function describe(op: TfliteOperator): string {
  return `operator ${op.index} (${operatorName(op.opcode)})`;
}
