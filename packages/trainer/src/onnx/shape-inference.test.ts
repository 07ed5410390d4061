import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./builder.ts";
import { attr, floatTensor, int64Tensor, type Tensor } from "./ir.ts";
import { dataTypeOf, inferShapes, shapeOf } from "./shape-inference.ts";
import { randomTensor, shapeMismatches, type ShapeCase } from "./testing/shape-check.ts";

const weights = (dims: number[]): Tensor => randomTensor("float32", dims, 7);
const labels = (dims: number[], classes: number): Tensor =>
  int64Tensor(
    dims,
    Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => i % classes),
  );

const elementwiseCases: ShapeCase[] = [
  {
    name: "broadcasting binary ops, Equal and Where",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 1, 5]);
      const y = b.input("y", "float32", [3, 1]);
      for (const op of ["Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Sum"]) b.op(op, [x, y]);
      const equal = b.op("Equal", [x, y]);
      b.op("Where", [equal, x, b.input("z", "float32", [5])]);
    },
    bind: { batch: 2 },
  },
  {
    name: "unary ops keep shape; Cast changes type; Dropout has a mask",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 3, 2]);
      for (const op of [
        "Relu",
        "Sigmoid",
        "HardSigmoid",
        "HardSwish",
        "Tanh",
        "Exp",
        "Log",
        "Sqrt",
        "Neg",
        "Abs",
        "Reciprocal",
        "Erf",
        "Identity",
        "Softmax",
        "LogSoftmax",
      ])
        b.op(op, [x]);
      b.op("LeakyRelu", [x], { alpha: attr.float(0.1) });
      b.op("Clip", [x, b.scalar(0), b.scalar(6)]);
      b.op("Cast", [x], { to: attr.int(7) });
      b.node("Dropout", [x, b.scalar(0.5), b.constant({ dataType: "bool", dims: [], data: Uint8Array.of(1) })], {}, { outputs: 2 });
    },
  },
];

const layoutCases: ShapeCase[] = [
  {
    name: "Flatten, Transpose, Reshape with 0 and -1",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 3, 4, 2]);
      b.op("Flatten", [x]);
      b.op("Flatten", [x], { axis: attr.int(-1) });
      b.op("Transpose", [x], { perm: attr.ints([0, 2, 3, 1]) });
      b.op("Transpose", [x]);
      b.op("Reshape", [x, b.int64s([0, -1])]);
      b.op("Reshape", [x, b.initializer("shape", int64Tensor([3], [0, 6, -1]))]);
    },
    bind: { batch: 5 },
    // batch·3·4 has no name of its own.
    unknown: ["Flatten_1_output_0"],
  },
  {
    name: "torchvision-style Shape→Gather→Unsqueeze→Concat→Reshape",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 4, 2, 2]);
      const shape = b.op("Shape", [x]);
      const first = b.op("Gather", [shape, b.int64Scalar(0)], { axis: attr.int(0) });
      const batch = b.op("Unsqueeze", [first, b.int64s([0])]);
      const target = b.op("Concat", [batch, b.int64s([-1])], { axis: attr.int(0) });
      b.op("Reshape", [x, target]);
      const tail = b.op("Slice", [shape, b.int64s([1]), b.int64s([1000])]);
      b.op("Expand", [b.initializer("one", floatTensor([1], [1])), b.op("Concat", [batch, tail], { axis: attr.int(0) })]);
      b.op("ConstantOfShape", [tail], { value: attr.tensor(int64Tensor([1], [3])) });
    },
    bind: { batch: 3 },
  },
  {
    name: "Squeeze and Unsqueeze with axes as input (opset 13)",
    build: (b) => {
      const x = b.input("x", "float32", [1, 3, 1, 2]);
      b.op("Squeeze", [x, b.int64s([0, -2])]);
      b.op("Squeeze", [x]);
      b.op("Unsqueeze", [x, b.int64s([0, -1, 3])]);
    },
  },
  {
    name: "Squeeze and Unsqueeze with axes attribute (opset 11)",
    opset: 11,
    build: (b) => {
      const x = b.input("x", "float32", [1, 3, 1, 2]);
      b.op("Squeeze", [x], { axes: attr.ints([2]) });
      b.op("Unsqueeze", [x], { axes: attr.ints([1, 5]) });
      b.op("ReduceSum", [x], { axes: attr.ints([1]), keepdims: attr.int(0) });
      b.node("Split", [x], { axis: attr.int(1), split: attr.ints([1, 2]) }, { outputs: 2 });
    },
  },
  {
    name: "Expand, Tile, Concat, Split",
    build: (b) => {
      const x = b.input("x", "float32", [3, 1]);
      b.op("Expand", [x, b.int64s([2, 1, 4])]);
      b.op("Tile", [x, b.int64s([2, 5])]);
      b.op("Concat", [x, b.input("y", "float32", [3, 4])], { axis: attr.int(-1) });
      const z = b.input("z", "float32", [2, 8]);
      b.node("Split", [z], { axis: attr.int(1) }, { outputs: 2, name: "split_even" });
      b.node("Split", [z, b.int64s([3, 5])], { axis: attr.int(1) }, { outputs: 2 });
    },
  },
];

const indexCases: ShapeCase[] = [
  {
    name: "Slice with negative, clamped and stepped ranges",
    build: (b) => {
      const x = b.input("x", "float32", [6, 8, 5]);
      b.op("Slice", [x, b.int64s([1, -3]), b.int64s([100, -1]), b.int64s([0, 1])]);
      b.op("Slice", [x, b.int64s([-1, 0]), b.int64s([-100, 8]), b.int64s([0, 2]), b.int64s([-2, 3])]);
    },
  },
  {
    name: "Pad, Gather, ScatterElements, ArgMax, Resize",
    build: (b) => {
      const x = b.input("x", "float32", [2, 3, 4, 4]);
      b.op("Pad", [x, b.int64s([0, 0, 1, 2, 0, 0, 3, 0])]);
      b.op("Gather", [x, b.initializer("idx", int64Tensor([2, 2], [0, 2, 1, 1]))], { axis: attr.int(1) });
      b.op("ArgMax", [x], { axis: attr.int(1), keepdims: attr.int(0) });
      b.op("ArgMax", [x], { axis: attr.int(-1) });
      const zeros = b.initializer("idx2", int64Tensor([2, 3, 4, 1], []));
      b.op("ScatterElements", [x, zeros, b.initializer("upd", weights([2, 3, 4, 1]))], { axis: attr.int(3) });
      b.op("Resize", [x, "", b.initializer("scales", floatTensor([4], [1, 1, 2, 1.5]))], { mode: attr.string("nearest") });
      b.op("Resize", [x, "", "", b.int64s([2, 3, 7, 5])], { mode: attr.string("linear") });
    },
  },
  {
    name: "reductions with axes attribute and input, keepdims",
    opset: 18,
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 3, 4]);
      b.op("ReduceMean", [x, b.int64s([1, 2])]);
      b.op("ReduceMax", [x, b.int64s([-1])], { keepdims: attr.int(0) });
      b.op("ReduceSum", [x]);
      b.op("ReduceSum", [x], { keepdims: attr.int(0) });
    },
  },
  {
    name: "ReduceMean with axes attribute (opset 17)",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 3, 4]);
      b.op("ReduceMean", [x], { axes: attr.ints([2, 1]), keepdims: attr.int(0) });
      b.op("ReduceMax", [x], { axes: attr.ints([0]) });
    },
  },
  {
    name: "SoftmaxCrossEntropyLoss reductions and log_prob",
    build: (b) => {
      const scores = b.input("scores", "float32", ["batch", 5]);
      const target = b.input("labels", "int64", ["batch"]);
      b.node("SoftmaxCrossEntropyLoss", [scores, target], {}, { outputs: 2 });
      b.op("SoftmaxCrossEntropyLoss", [scores, target], { reduction: attr.string("none") });
      b.op("SoftmaxCrossEntropyLoss", [scores, target], { reduction: attr.string("sum") });
    },
    bind: { batch: 4 },
    feeds: { labels: labels([4], 5) },
  },
];

const opsetFormCases: ShapeCase[] = [
  {
    name: "opset 18: Split num_outputs (uneven), Pad axes, Resize axes, ReduceSum noop_with_empty_axes",
    opset: 18,
    build: (b) => {
      const x = b.input("x", "float32", [2, 3, 7]);
      b.node("Split", [x], { axis: attr.int(2), num_outputs: attr.int(3) }, { outputs: 3 });
      b.op("Pad", [x, b.int64s([1, 2]), "", b.int64s([-1])]);
      b.op("Resize", [x, "", "", b.int64s([5])], { axes: attr.ints([2]) });
      b.op("ReduceSum", [x, b.constant(int64Tensor([0], []))], { noop_with_empty_axes: attr.int(1) });
      b.op("ReduceSum", [x, b.constant(int64Tensor([0], []))], { keepdims: attr.int(0) });
    },
  },
  {
    name: "opset 9: Slice and Pad with attributes, Upsample with scales",
    opset: 9,
    build: (b) => {
      const x = b.input("x", "float32", [2, 3, 6, 5]);
      b.op("Slice", [x], { starts: attr.ints([1, -4]), ends: attr.ints([3, 100]), axes: attr.ints([2, 3]) });
      b.op("Pad", [x], { pads: attr.ints([0, 0, 1, 0, 0, 0, 2, 3]) });
      b.op("Upsample", [x, b.initializer("scales", floatTensor([4], [1, 1, 2, 2]))]);
    },
  },
  {
    name: "opset 15 Shape start/end, Size, Range, GatherElements, LayerNormalization, Not, Mean",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 3, 4]);
      const tail = b.op("Shape", [x], { start: attr.int(-2) });
      b.op("Size", [x]);
      b.op("ConstantOfShape", [tail]);
      b.op("Range", [b.int64Scalar(1), b.int64Scalar(10), b.int64Scalar(3)]);
      b.op("GatherElements", [x, b.initializer("picks", int64Tensor([2, 3, 1], [0, 1, 2, 3, 0, 1]))], { axis: attr.int(2) });
      b.node("LayerNormalization", [x, b.initializer("gamma", floatTensor([4], [1, 1, 1, 1]))], { axis: attr.int(-1) }, { outputs: 3 });
      b.op("Not", [b.op("Greater", [x, b.scalar(0)])]);
      b.op("Mean", [x, b.input("y", "float32", [4])]);
    },
  },
];

const tables: [string, ShapeCase[]][] = [
  ["opset-dependent forms and more ops", opsetFormCases],
  ["elementwise", elementwiseCases],
  ["layout", layoutCases],
  ["indexing and reductions", indexCases],
];

describe.each(tables)("inferShapes agrees with ONNX Runtime: %s", (_, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    expect(await shapeMismatches(c)).toEqual([]);
  });
});

describe("inferShapes", () => {
  it("keeps the symbolic batch dim through a small CNN", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", 3, 8, 8]);
    const conv = b.op("Conv", [x, b.initializer("w", weights([4, 3, 3, 3]))], { pads: attr.ints([1, 1, 1, 1]) });
    const pooled = b.op("GlobalAveragePool", [b.op("Relu", [conv])]);
    const logits = b.op("Gemm", [b.op("Flatten", [pooled]), b.initializer("fc", weights([4, 10]))]);
    const graph = b.build();
    inferShapes(graph);
    expect(shapeOf(graph, conv)).toEqual(["batch", 4, 8, 8]);
    expect(shapeOf(graph, logits)).toEqual(["batch", 10]);
    expect(dataTypeOf(graph, logits)).toBe("float32");
    expect(shapeOf(graph, "x")).toEqual(["batch", 3, 8, 8]);
    expect(shapeOf(graph, "w")).toEqual([4, 3, 3, 3]);
  });

  it("leaves outputs of unknown ops without a shape, and continues past them", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 3]);
    const custom = b.op("MyCustomOp", [x], {}, { domain: "com.example" });
    const relu = b.op("Relu", [custom]);
    const after = b.op("Relu", [x]);
    const graph = b.build();
    inferShapes(graph);
    expect(shapeOf(graph, custom)).toBeUndefined();
    expect(dataTypeOf(graph, relu)).toBeUndefined();
    expect(shapeOf(graph, after)).toEqual([2, 3]);
  });

  it("re-infers after the graph changes instead of keeping stale shapes", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [1, 3]);
    const y = b.op("Relu", [x]);
    const graph = b.build();
    inferShapes(graph);
    expect(shapeOf(graph, y)).toEqual([1, 3]);
    (graph.inputs[0] as { shape: (string | number)[] }).shape = ["batch", 3];
    inferShapes(graph);
    expect(shapeOf(graph, y)).toEqual(["batch", 3]);
  });

  it("marks dims it cannot know as null, filling them from declared value infos", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 12]);
    const target = b.input("target", "int64", [2]);
    const reshaped = b.op("Reshape", [x, target]);
    b.valueInfo(reshaped, "float32", [null, 4]);
    const graph = b.build();
    inferShapes(graph);
    expect(shapeOf(graph, reshaped)).toEqual([null, 4]);
  });
});
