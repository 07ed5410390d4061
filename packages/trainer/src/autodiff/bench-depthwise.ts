/**
 * Benchmark: the depthwise Conv weight gradient built as one grouped Conv, as k·k shifted
 * slices, and in ONNX Runtime's NCHWc layout, timed in ONNX Runtime CPU on MobileNetV2-sized
 * layers. Prints milliseconds per forward + dW run. The loss weights the output with a fed
 * tensor G: with loss = ΣY, dY would be a constant that ONNX Runtime folds, turning the dW
 * convolution's kernel into an initializer that it runs on its fast NCHWc path (earlier
 * per-layer numbers measured that by mistake).
 * Run: node --import tsx src/autodiff/bench-depthwise.ts [threads]
 */
import * as ort from "onnxruntime-node";
import { attr, createModel, emptyGraph, type Graph } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { DepthwiseWeightGradient } from "./builder.ts";
import { buildBackward } from "./walker.ts";
import { nchwcBlockSize } from "../runtime/nchwc.ts";
import { toOrtTensor } from "./testing/ort.ts";
import { randomTensor, seededRandom } from "./testing/values.ts";

interface Layer {
  batch: number;
  channels: number;
  size: number;
  stride: number;
  kernel: number;
}

const layers: Layer[] = [
  { batch: 16, channels: 96, size: 56, stride: 2, kernel: 3 },
  { batch: 16, channels: 144, size: 56, stride: 1, kernel: 3 },
  { batch: 16, channels: 192, size: 28, stride: 1, kernel: 3 },
  { batch: 16, channels: 384, size: 14, stride: 1, kernel: 3 },
  { batch: 16, channels: 960, size: 7, stride: 1, kernel: 3 },
  { batch: 16, channels: 240, size: 14, stride: 1, kernel: 5 },
];

function depthwiseGraph(layer: Layer, strategy: DepthwiseWeightGradient): { graph: Graph; gradient: string } {
  const { batch, channels, size, stride, kernel } = layer;
  const out = Math.floor((size + kernel - 1 - kernel) / stride) + 1;
  const pad = (kernel - 1) / 2;
  const graph = emptyGraph("depthwise");
  graph.inputs.push({ name: "x", dataType: "float32", shape: [batch, channels, size, size] });
  graph.initializers.set("w", randomTensor("uniform", [channels, 1, kernel, kernel], "float32", seededRandom(1)));
  graph.nodes.push(
    {
      name: "conv",
      opType: "Conv",
      domain: "",
      inputs: ["x", "w"],
      outputs: ["y"],
      attributes: { group: attr.int(channels), strides: attr.ints([stride, stride]), pads: attr.ints([pad, pad, pad, pad]) },
    },
    { name: "weighted", opType: "Mul", domain: "", inputs: ["y", "g"], outputs: ["yg"], attributes: {} },
    { name: "loss", opType: "ReduceSum", domain: "", inputs: ["yg"], outputs: ["loss"], attributes: { keepdims: attr.int(0) } },
  );
  graph.inputs.push({ name: "g", dataType: "float32", shape: [batch, channels, out, out] });
  graph.valueInfo.set("yg", { name: "yg", dataType: "float32", shape: [batch, channels, out, out] });
  graph.valueInfo.set("y", { name: "y", dataType: "float32", shape: [batch, channels, out, out] });
  graph.valueInfo.set("loss", { name: "loss", dataType: "float32", shape: [] });
  const { gradients } = buildBackward(graph, { loss: "loss", wrt: ["w"], depthwiseWeightGradient: strategy, nchwcBlockSize: block });
  const gradient = gradients.get("w")!;
  graph.outputs.push({ name: gradient, dataType: "float32" });
  return { graph, gradient };
}

async function timeRun(graph: Graph, feeds: Record<string, ort.Tensor>, threads: number, runs: number): Promise<number> {
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: threads });
  await session.run(feeds);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  return (performance.now() - start) / runs;
}

const threads = Number(process.argv[2] ?? 2);
const block = await nchwcBlockSize();
const strategies: DepthwiseWeightGradient[] = ["grouped-conv", "shifted-slices", ...(block > 1 ? (["nchwc"] as const) : [])];
console.log(`depthwise dW, ONNX Runtime CPU, ${threads} threads (ms per forward+dW run)`);
for (const layer of layers) {
  const x = toOrtTensor(randomTensor("uniform", [layer.batch, layer.channels, layer.size, layer.size], "float32", seededRandom(2)));
  const out = Math.floor((layer.size + layer.kernel - 1 - layer.kernel) / layer.stride) + 1;
  const g = toOrtTensor(randomTensor("uniform", [layer.batch, layer.channels, out, out], "float32", seededRandom(3)));
  const times: string[] = [];
  for (const strategy of strategies) {
    const { graph } = depthwiseGraph(layer, strategy);
    times.push(`${strategy} ${(await timeRun(graph, { x, g }, threads, 5)).toFixed(1)}`);
  }
  console.log(`N${layer.batch} C${layer.channels} ${layer.size}² k${layer.kernel} s${layer.stride}: ${times.join(", ")}`);
}
