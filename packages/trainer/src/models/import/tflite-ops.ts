/**
 * One converter per TFLite builtin operator, each emitting float32 ONNX nodes on NCHW
 * tensors. Options tables are read by slot, in the field order of TFLite's schema.fbs.
 */
import { attr } from "../../onnx/ir.ts";
import type { FlatTable } from "./flatbuffer-table.ts";
import type { TfliteContext } from "./tflite-context.ts";
import { describe, shortName } from "./tflite-context.ts";
import type { TfliteOperator } from "./tflite-schema.ts";
import { BuiltinOperator } from "./tflite-schema.ts";
import { constantInts, nchwAxis, samePadding } from "./tflite-tensors.ts";

type Converter = (ctx: TfliteContext, op: TfliteOperator) => void;

const Padding = { SAME: 0, VALID: 1 } as const;

interface Window {
  padding: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
}

/** ONNX pads [top, left, bottom, right] for an NHWC input and a kernel of kh × kw. */
function windowPads(op: TfliteOperator, input: number[], kernelH: number, kernelW: number, w: Window): number[] {
  if (w.padding === Padding.VALID) return [0, 0, 0, 0];
  if (w.padding !== Padding.SAME) throw new Error(`${describe(op)}: padding ${w.padding} is not SAME (0) or VALID (1)`);
  const [top, bottom] = samePadding(input[1] ?? 0, kernelH, w.strideH, w.dilationH);
  const [left, right] = samePadding(input[2] ?? 0, kernelW, w.strideW, w.dilationW);
  return [top, left, bottom, right];
}

function options(op: TfliteOperator): FlatTable {
  if (!op.options) throw new Error(`${describe(op)}: builtin options are missing`);
  return op.options;
}

const conv2d: Converter = (ctx, op) => {
  const o = options(op);
  const window = { padding: o.byte(0, 0), strideW: o.int(1, 1), strideH: o.int(2, 1), dilationW: o.int(4, 1), dilationH: o.int(5, 1) };
  const kernel = ctx.shapeOf(op.inputs[1], op, "weight"); // [O, H, W, I]
  const inputs = [ctx.operand(op.inputs[0], op), ctx.weight(op.inputs[1], op, [0, 3, 1, 2])];
  if ((op.inputs[2] ?? -1) >= 0) inputs.push(ctx.weight(op.inputs[2], op));
  ctx.emit(op, "Conv", inputs, convAttributes(op, ctx.shapeOf(op.inputs[0], op, "input"), kernel[1] ?? 1, kernel[2] ?? 1, window, 1), o.byte(3, 0));
};

const depthwiseConv2d: Converter = (ctx, op) => {
  const o = options(op);
  const window = { padding: o.byte(0, 0), strideW: o.int(1, 1), strideH: o.int(2, 1), dilationW: o.int(5, 1), dilationH: o.int(6, 1) };
  const input = ctx.shapeOf(op.inputs[0], op, "input");
  const kernel = ctx.shapeOf(op.inputs[1], op, "weight"); // [1, H, W, C·M]
  const channels = input[3] ?? 0;
  const multiplier = o.int(3, 1);
  if (kernel[3] !== channels * multiplier) {
    throw new Error(`${describe(op)}: kernel has ${kernel[3]} output channels, expected ${channels} inputs × depth multiplier ${multiplier}`);
  }
  // A grouped convolution with one group per input channel; ONNX kernel [C·M, 1, H, W].
  const inputs = [ctx.operand(op.inputs[0], op), ctx.weight(op.inputs[1], op, [3, 0, 1, 2])];
  if ((op.inputs[2] ?? -1) >= 0) inputs.push(ctx.weight(op.inputs[2], op));
  ctx.emit(op, "Conv", inputs, convAttributes(op, input, kernel[1] ?? 1, kernel[2] ?? 1, window, channels), o.byte(4, 0));
};

function convAttributes(op: TfliteOperator, input: number[], kernelH: number, kernelW: number, w: Window, group: number) {
  return {
    kernel_shape: attr.ints([kernelH, kernelW]),
    strides: attr.ints([w.strideH, w.strideW]),
    dilations: attr.ints([w.dilationH, w.dilationW]),
    pads: attr.ints(windowPads(op, input, kernelH, kernelW, w)),
    group: attr.int(group),
  };
}

function pool(opType: "AveragePool" | "MaxPool"): Converter {
  return (ctx, op) => {
    const o = options(op);
    const window = { padding: o.byte(0, 0), strideW: o.int(1, 1), strideH: o.int(2, 1), dilationW: 1, dilationH: 1 };
    const kernelW = o.int(3, 1);
    const kernelH = o.int(4, 1);
    const input = ctx.shapeOf(op.inputs[0], op, "input");
    // TF's average pool divides by the number of real (unpadded) pixels: count_include_pad 0.
    ctx.emit(
      op,
      opType,
      [ctx.operand(op.inputs[0], op)],
      {
        kernel_shape: attr.ints([kernelH, kernelW]),
        strides: attr.ints([window.strideH, window.strideW]),
        pads: attr.ints(windowPads(op, input, kernelH, kernelW, window)),
      },
      o.byte(5, 0),
    );
  };
}

function elementwise(opType: "Add" | "Mul"): Converter {
  return (ctx, op) => {
    const rank = ctx.shapeOf(op.outputs[0], op, "output").length;
    const inputs = [ctx.operand(op.inputs[0], op, rank), ctx.operand(op.inputs[1], op, rank)];
    ctx.emit(op, opType, inputs, {}, op.options?.byte(0, 0) ?? 0);
  };
}

function unary(opType: string): Converter {
  return (ctx, op) => {
    ctx.emit(op, opType, [ctx.operand(op.inputs[0], op)], {});
  };
}

const relu6: Converter = (ctx, op) => {
  const output = ctx.tensor(op.outputs[0], op, "output");
  ctx.bind(output.index, ctx.clip(ctx.operand(op.inputs[0], op), 0, 6, shortName(output.name)));
};

const identity: Converter = (ctx, op) => {
  ctx.bind(ctx.tensor(op.outputs[0], op, "output").index, ctx.operand(op.inputs[0], op));
};

const mean: Converter = (ctx, op) => {
  const input = ctx.shapeOf(op.inputs[0], op, "input");
  const keepDims = op.options?.bool(0, false) ?? false;
  const axes = constantInts(ctx.model, ctx.tensor(op.inputs[1], op, "axes")).map((a) => (a < 0 ? a + input.length : a));
  // Without keepdims, NCHW and NHWC results agree unless C and a spatial axis both remain.
  const remaining = [1, 2, 3].filter((a) => !axes.includes(a));
  if (input.length === 4 && !keepDims && remaining.includes(3) && remaining.length > 1) {
    throw new Error(`${describe(op)}: MEAN over axes [${axes}] without keep_dims leaves a layout-dependent result; not supported`);
  }
  ctx.emit(op, "ReduceMean", [ctx.operand(op.inputs[0], op)], {
    axes: attr.ints(axes.map((a) => nchwAxis(a, input.length))),
    keepdims: attr.int(keepDims ? 1 : 0),
  });
};

const reshape: Converter = (ctx, op) => {
  const from = ctx.shapeOf(op.inputs[0], op, "input");
  const output = ctx.tensor(op.outputs[0], op, "output");
  ctx.bind(output.index, ctx.reshape(ctx.operand(op.inputs[0], op), from, output.shape, shortName(output.name)));
};

const fullyConnected: Converter = (ctx, op) => {
  const o = options(op);
  const input = ctx.shapeOf(op.inputs[0], op, "input");
  const weight = ctx.shapeOf(op.inputs[1], op, "weight"); // [units, features]
  if (o.bool(2, false) && input.length > 2) throw new Error(`${describe(op)}: keep_num_dims is not supported`);
  let x = ctx.operand(op.inputs[0], op);
  if (input.length !== 2) x = ctx.reshape(x, input, [input[0] ?? 1, weight[1] ?? 0], `${shortName(ctx.tensor(op.outputs[0], op, "output").name)}/Flatten`);
  const inputs = [x, ctx.weight(op.inputs[1], op)];
  if ((op.inputs[2] ?? -1) >= 0) inputs.push(ctx.weight(op.inputs[2], op));
  ctx.emit(op, "Gemm", inputs, { transB: attr.int(1) }, o.byte(0, 0));
};

const softmax: Converter = (ctx, op) => {
  const rank = ctx.shapeOf(op.inputs[0], op, "input").length;
  const beta = op.options?.float(0, 1) ?? 1;
  let x = ctx.operand(op.inputs[0], op);
  if (beta !== 1) x = ctx.builder.op("Mul", [x, ctx.builder.scalar(beta, "float32", "beta")], {}, { name: "SoftmaxBeta" });
  ctx.emit(op, "Softmax", [x], { axis: attr.int(rank === 4 ? 1 : -1) });
};

const concatenation: Converter = (ctx, op) => {
  const o = options(op);
  const rank = ctx.shapeOf(op.outputs[0], op, "output").length;
  const inputs = op.inputs.map((i) => ctx.operand(i, op, rank));
  ctx.emit(op, "Concat", inputs, { axis: attr.int(nchwAxis(o.int(0, 0), rank)) }, o.byte(1, 0));
};

const pad: Converter = (ctx, op) => {
  const rank = ctx.shapeOf(op.inputs[0], op, "input").length;
  const paddings = constantInts(ctx.model, ctx.tensor(op.inputs[1], op, "paddings")); // [rank, 2]
  if (paddings.length !== rank * 2) throw new Error(`${describe(op)}: paddings has ${paddings.length} values, expected ${rank}×2`);
  const order = rank === 4 ? [0, 3, 1, 2] : Array.from({ length: rank }, (_, i) => i);
  const pads = [...order.map((a) => paddings[a * 2] ?? 0), ...order.map((a) => paddings[a * 2 + 1] ?? 0)];
  const name = shortName(ctx.tensor(op.outputs[0], op, "output").name);
  ctx.emit(op, "Pad", [ctx.operand(op.inputs[0], op), ctx.builder.int64s(pads, `${name}/pads`)], { mode: attr.string("constant") });
};

export const TFLITE_CONVERTERS: Readonly<Partial<Record<number, Converter>>> = {
  [BuiltinOperator.CONV_2D]: conv2d,
  [BuiltinOperator.DEPTHWISE_CONV_2D]: depthwiseConv2d,
  [BuiltinOperator.AVERAGE_POOL_2D]: pool("AveragePool"),
  [BuiltinOperator.MAX_POOL_2D]: pool("MaxPool"),
  [BuiltinOperator.ADD]: elementwise("Add"),
  [BuiltinOperator.MUL]: elementwise("Mul"),
  [BuiltinOperator.RELU]: unary("Relu"),
  [BuiltinOperator.RELU6]: relu6,
  [BuiltinOperator.LOGISTIC]: unary("Sigmoid"),
  [BuiltinOperator.MEAN]: mean,
  [BuiltinOperator.RESHAPE]: reshape,
  [BuiltinOperator.SQUEEZE]: reshape,
  [BuiltinOperator.FULLY_CONNECTED]: fullyConnected,
  [BuiltinOperator.SOFTMAX]: softmax,
  [BuiltinOperator.CONCATENATION]: concatenation,
  [BuiltinOperator.PAD]: pad,
  // Activations are float here, so (de)quantize steps are identities.
  [BuiltinOperator.QUANTIZE]: identity,
  [BuiltinOperator.DEQUANTIZE]: identity,
};
