/**
 * Benchmark: forward + backward of single layers as the rules build them, timed in ONNX Runtime
 * CPU at MobileNetV2 / ResNet-18 layer sizes (batch 16). Prints the median wall milliseconds per
 * run and the least CPU milliseconds of the process per run: on a shared, loaded machine the CPU
 * time (with one thread) moves far less than the wall time, so two versions of a rule compare.
 * Run: node --import tsx src/autodiff/bench-rules.ts [threads=1] [runs=5]
 */
import * as ort from "onnxruntime-node";
import { attr, createModel, emptyGraph, type Attribute, type Graph } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { buildBackward } from "./walker.ts";
import { toOrtTensor } from "./testing/ort.ts";
import { randomTensor, seededRandom } from "./testing/values.ts";

interface Layer {
  name: string;
  op: string;
  x: number[];
  params: number[][];
  attributes?: Record<string, Attribute>;
  wrt: string[];
  outputs?: number;
}

const bn = (c: number, size: number): Layer => ({
  name: `BatchNormalization training C${c} ${size}²`,
  op: "BatchNormalization",
  x: [16, c, size, size],
  params: [[c], [c], [c], [c]],
  attributes: { training_mode: attr.int(1), momentum: attr.float(0.9) },
  wrt: ["x", "p0", "p1"],
  outputs: 3,
});
const conv = (c: number, size: number, group: number): Layer => ({
  name: `Conv 3x3 ${group === 1 ? "dense" : "depthwise"} C${c} ${size}² (dX, dW)`,
  op: "Conv",
  x: [16, c, size, size],
  params: [[c, c / group, 3, 3]],
  attributes: { pads: attr.ints([1, 1, 1, 1]), group: attr.int(group) },
  wrt: ["x", "p0"],
});
const clip = (c: number, size: number): Layer => ({ name: `Clip 0..6 C${c} ${size}²`, op: "Clip", x: [16, c, size, size], params: [], wrt: ["x"] });

const layers: Layer[] = [
  bn(32, 112),
  bn(144, 56),
  bn(64, 56),
  bn(256, 14),
  conv(32, 112, 32),
  conv(144, 56, 144),
  conv(384, 14, 384),
  conv(64, 56, 1),
  conv(128, 28, 1),
  conv(256, 14, 1),
  clip(96, 112),
];

/** loss = Σ Y ⊙ R, the backward pass of the layer, and its gradients as the only outputs. */
function layerGraph(layer: Layer): Graph {
  const random = seededRandom(3);
  const graph = emptyGraph(layer.name);
  graph.inputs.push({ name: "x", dataType: "float32", shape: layer.x }, { name: "r", dataType: "float32" });
  layer.params.forEach((dims, i) => graph.initializers.set(`p${i}`, randomTensor("positive", dims, "float32", random)));
  const inputs = layer.op === "Clip" ? ["x", "lo", "hi"] : ["x", ...layer.params.map((_, i) => `p${i}`)];
  if (layer.op === "Clip")
    for (const [name, v] of [
      ["lo", 0],
      ["hi", 6],
    ] as const)
      graph.initializers.set(name, { dataType: "float32", dims: [], data: Float32Array.of(v) });
  const outputs = ["y", ...Array.from({ length: (layer.outputs ?? 1) - 1 }, (_, i) => `extra${i}`)];
  graph.nodes.push(
    { name: "layer", opType: layer.op, domain: "", inputs, outputs, attributes: layer.attributes ?? {} },
    { name: "weighted", opType: "Mul", domain: "", inputs: ["y", "r"], outputs: ["weighted"], attributes: {} },
    { name: "loss", opType: "ReduceSum", domain: "", inputs: ["weighted"], outputs: ["loss"], attributes: { keepdims: attr.int(0) } },
  );
  const out = layer.op === "Conv" ? [16, layer.params[0]![0]!, layer.x[2]!, layer.x[3]!] : layer.x;
  for (const name of ["y", "weighted"]) graph.valueInfo.set(name, { name, dataType: "float32", shape: out });
  graph.valueInfo.set("loss", { name: "loss", dataType: "float32", shape: [] });
  for (const name of layer.wrt.filter((n) => n !== "x")) {
    graph.inputs.push({ name, dataType: "float32", shape: graph.initializers.get(name)!.dims });
  }
  const feedsFromInitializers = layer.wrt.filter((n) => n !== "x").map((n) => [n, graph.initializers.get(n)!] as const);
  for (const [name] of feedsFromInitializers) graph.initializers.delete(name);
  const { gradients } = buildBackward(graph, { loss: "loss", wrt: layer.wrt });
  graph.outputs = [...gradients.values()].map((name) => ({ name, dataType: "float32" as const }));
  (graph as Graph & { feeds?: unknown }).feeds = feedsFromInitializers;
  return graph;
}

async function timeLayer(layer: Layer, threads: number, runs: number): Promise<{ wall: number; cpu: number }> {
  const graph = layerGraph(layer);
  const random = seededRandom(4);
  const feeds: Record<string, ort.Tensor> = { x: toOrtTensor(randomTensor("uniform", layer.x, "float32", random)) };
  feeds.r = toOrtTensor(randomTensor("uniform", graph.valueInfo.get("y")!.shape as number[], "float32", random));
  for (const [name, tensor] of (graph as Graph & { feeds: [string, ReturnType<typeof randomTensor>][] }).feeds) feeds[name] = toOrtTensor(tensor);
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: threads, graphOptimizationLevel: "extended" });
  await session.run(feeds);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [start, used] = [performance.now(), process.cpuUsage()];
    await session.run(feeds);
    const spent = process.cpuUsage(used);
    wall.push(performance.now() - start);
    cpu.push((spent.user + spent.system) / 1000);
  }
  await session.release();
  return { wall: wall.sort((a, b) => a - b)[Math.floor(runs / 2)]!, cpu: Math.min(...cpu) };
}

const threads = Number(process.argv[2] ?? 1);
const runs = Number(process.argv[3] ?? 5);
console.log(`forward + backward per layer, ONNX Runtime CPU, ${threads} threads, ${runs} runs: median wall ms, least CPU ms`);
for (const layer of layers) {
  const { wall, cpu } = await timeLayer(layer, threads, runs);
  console.log(`${wall.toFixed(1).padStart(8)} wall ${cpu.toFixed(1).padStart(8)} cpu  ${layer.name}`);
}
