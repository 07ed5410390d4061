/**
 * TFLite flatbuffer → ONNX IR model: float32 weights (dequantized), NCHW float input in the
 * backbone's own normalization, dynamic batch, preprocessing recorded in the metadata.
 */
import { readFileSync } from "node:fs";
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { createModel } from "../../onnx/ir.ts";
import type { Preprocessing } from "./preprocessing.ts";
import { SIGNED_UNIT_RANGE, writePreprocessing } from "./preprocessing.ts";
import { TfliteContext, describe } from "./tflite-context.ts";
import { TFLITE_CONVERTERS } from "./tflite-ops.ts";
import type { TfliteSubgraph, TfliteTensor } from "./tflite-schema.ts";
import { TensorType, operatorName, readTfliteModel } from "./tflite-schema.ts";

export interface TfliteImportOptions {
  /** Graph name (default "tflite"). */
  name?: string;
  /** Normalization of a float32 input; uint8 inputs derive theirs from the input's quantization. */
  normalization?: Pick<Preprocessing, "mean" | "std">;
}

export const TFLITE_INPUT = "input";

export function importTfliteFile(path: string, options: TfliteImportOptions = {}): Model {
  return importTflite(readFileSync(path), options);
}

export function importTflite(bytes: Uint8Array, options: TfliteImportOptions = {}): Model {
  const source = readTfliteModel(bytes);
  const subgraph = source.subgraphs[0] as TfliteSubgraph;
  const inputTensor = singleImageInput(subgraph);
  const [, height, width, channels] = inputTensor.shape as [number, number, number, number];
  const builder = new GraphBuilder(options.name ?? "tflite");
  const ctx = new TfliteContext(source, subgraph, builder);
  const input = builder.input(TFLITE_INPUT, "float32", ["batch", channels, height, width]);
  ctx.bind(inputTensor.index, input);
  for (const op of subgraph.operators) {
    const convert = TFLITE_CONVERTERS[op.opcode];
    if (!convert) throw new Error(`${describe(op)} is not supported; supported: ${supportedList()}`);
    convert(ctx, op);
  }
  subgraph.outputs.forEach((index, i) => addOutput(ctx, index, i === 0 ? "output" : `output_${i}`));
  const model = createModel(builder.build());
  model.producerName = "runboard tflite import";
  writePreprocessing(model, { input, size: [height, width], ...inputNormalization(inputTensor, options) });
  return model;
}

function singleImageInput(subgraph: TfliteSubgraph): TfliteTensor {
  if (subgraph.inputs.length !== 1) throw new Error(`TFLite model: expected one input image, found ${subgraph.inputs.length} inputs`);
  const tensor = subgraph.tensors[subgraph.inputs[0] ?? -1];
  if (!tensor || tensor.shape.length !== 4) throw new Error(`TFLite model: input must be an NHWC image [1, H, W, C], got [${tensor?.shape}]`);
  if (![TensorType.FLOAT32, TensorType.UINT8, TensorType.INT8].includes(tensor.type as 0 | 3 | 9)) {
    throw new Error(`TFLite model: input element type ${tensor.type} is not float32, uint8 or int8`);
  }
  return tensor;
}

/**
 * A quantized input holds real = scale·(q - zero) for pixels q in 0..255, i.e.
 * (q/255 - zero/255) / (1/(255·scale)): mean zero/255, std 1/(255·scale).
 */
function inputNormalization(tensor: TfliteTensor, options: TfliteImportOptions): Pick<Preprocessing, "mean" | "std"> {
  if (options.normalization) return options.normalization;
  const q = tensor.quantization;
  if (tensor.type === TensorType.FLOAT32 || !q) return { mean: [...SIGNED_UNIT_RANGE.mean], std: [...SIGNED_UNIT_RANGE.std] };
  // int8 inputs hold q - 128 for pixels q in 0..255.
  const zero = (q.zeroPoint[0] ?? 0) + (tensor.type === TensorType.INT8 ? 128 : 0);
  const scale = q.scale[0] ?? 1;
  const mean = zero / 255;
  const std = 1 / (255 * scale);
  return { mean: [mean, mean, mean], std: [std, std, std] };
}

function addOutput(ctx: TfliteContext, index: number, name: string): void {
  const tensor = ctx.subgraph.tensors[index];
  if (!tensor) throw new Error(`TFLite model: output tensor ${index} does not exist`);
  const shape = tensor.shape.length === 4 ? [tensor.shape[0], tensor.shape[3], tensor.shape[1], tensor.shape[2]] : [...tensor.shape];
  const produced = ctx.operand(index, { index: -1, opcode: -1, inputs: [], outputs: [] });
  ctx.builder.output(name, "float32", ["batch", ...shape.slice(1).map((d) => d ?? null)], produced);
}

function supportedList(): string {
  return Object.keys(TFLITE_CONVERTERS)
    .map((code) => operatorName(Number(code)))
    .join(", ");
}
