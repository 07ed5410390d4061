/**
 * The one finite-difference checker every gradient test uses. It appends
 * loss = Σ Cast<double>(y) ⊙ R (R fixed and random) to a forward graph, builds the backward pass,
 * and compares ⟨∂loss/∂x, v⟩ with (loss(x + εv) − loss(x − εv)) / 2ε for single coordinates v
 * and random ±1 directions v.
 */
import type { Graph, Tensor, ValueInfo } from "../../onnx/ir.ts";
import { attr } from "../../onnx/ir.ts";
import type { DepthwiseWeightGradient } from "../builder.ts";
import { buildBackward } from "../walker.ts";
import { createSession, runSession } from "./ort.ts";
import { type Random, randomTensor, seededRandom } from "./values.ts";

export interface GradCheckOptions {
  graph: Graph;
  /** The tensor whose weighted sum is the loss. Its valueInfo is filled by running the graph if missing. */
  output: string;
  /** Values of the graph inputs. */
  feeds: Map<string, Tensor>;
  /** Graph inputs or initializers to check; initializers are turned into inputs so they can be perturbed. */
  wrt: readonly string[];
  opset?: number;
  /** Finite-difference step; defaults: 1e-6 in float64, 1e-2 in float32. */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Raises atol per tensor to this fraction of the analytic gradient's RMS (float32 networks). */
  relativeAtol?: number;
  /** Single coordinates probed per tensor (default 6) and random directions (default 2). */
  coordinates?: number;
  directions?: number;
  seed?: number;
  depthwiseWeightGradient?: DepthwiseWeightGradient;
  nchwcBlockSize?: number;
  /**
   * Evaluate every loss in a new session. For ops that draw random numbers from a seed
   * attribute (Dropout in training mode): each session's first run sees the same draw, the one
   * the analytic gradient was computed with.
   */
  freshSessions?: boolean;
}

export interface GradCheckReport {
  failures: string[];
  probes: number;
  /** Largest |fd − analytic| / (atol + rtol·max(|fd|, |analytic|)) seen: below 1 passes. */
  worstRatio: number;
}

export async function checkGradients(options: GradCheckOptions): Promise<GradCheckReport> {
  const { graph, feeds } = options;
  const random = seededRandom(options.seed ?? 7);
  for (const name of options.wrt) promoteToInput(graph, feeds, name);
  const dims = await outputDims(graph, feeds, options.output, options.opset);
  const loss = appendWeightedSum(graph, options.output, dims, random);
  const forwardGraph = structuredClone(graph);
  const forward = await createSession(forwardGraph, options.opset);
  const { gradients } = buildBackward(graph, {
    loss,
    wrt: options.wrt,
    opset: options.opset,
    depthwiseWeightGradient: options.depthwiseWeightGradient,
    nchwcBlockSize: options.nchwcBlockSize,
  });
  for (const [name, gradient] of gradients) graph.outputs.push({ name: gradient, dataType: graph.inputs.find((v) => v.name === name)!.dataType });
  const backward = await createSession(graph, options.opset);
  const analytic = await runSession(backward, feeds, [...gradients.values()]);

  const isDouble = options.wrt.every((name) => feeds.get(name)?.dataType === "float64");
  const eps = options.eps ?? (isDouble ? 1e-6 : 1e-2);
  const rtol = options.rtol ?? (isDouble ? 1e-5 : 2e-2);
  const atol = options.atol ?? (isDouble ? 1e-7 : 2e-3);
  const report: GradCheckReport = { failures: [], probes: 0, worstRatio: 0 };
  const lossAt = async (values: Map<string, Tensor>) => {
    const session = options.freshSessions ? await createSession(forwardGraph, options.opset) : forward;
    return Number((await runSession(session, values, [loss])).get(loss)!.data[0]);
  };

  for (const name of options.wrt) {
    const x = feeds.get(name)!;
    const g = analytic.get(gradients.get(name)!)!;
    const rms = Math.sqrt(Array.from(g.data as Float32Array, (v) => v * v).reduce((a, b) => a + b, 0) / g.data.length);
    const tensorAtol = Math.max(atol, (options.relativeAtol ?? 0) * rms);
    for (const [label, direction] of probes(x.data.length, options.coordinates ?? 6, options.directions ?? 2, random)) {
      const plus = await lossAt(new Map([...feeds, [name, perturbed(x, direction, eps)]]));
      const minus = await lossAt(new Map([...feeds, [name, perturbed(x, direction, -eps)]]));
      const fd = (plus - minus) / (2 * eps);
      let an = 0;
      for (let i = 0; i < direction.length; i++) an += Number(g.data[i]) * direction[i]!;
      const ratio = Math.abs(fd - an) / (tensorAtol + rtol * Math.max(Math.abs(fd), Math.abs(an)));
      report.probes++;
      report.worstRatio = Math.max(report.worstRatio, ratio);
      if (!(ratio <= 1)) report.failures.push(`${name} ${label}: finite difference ${fd.toPrecision(6)}, analytic ${an.toPrecision(6)}`);
    }
  }
  return report;
}

function promoteToInput(graph: Graph, feeds: Map<string, Tensor>, name: string): void {
  const tensor = graph.initializers.get(name);
  if (!tensor) return;
  graph.initializers.delete(name);
  graph.inputs.push({ name, dataType: tensor.dataType, shape: tensor.dims });
  feeds.set(name, tensor);
}

/** The output's dims, found by running the graph; its valueInfo is filled in when missing. */
async function outputDims(graph: Graph, feeds: Map<string, Tensor>, output: string, opset?: number): Promise<number[]> {
  const declared = graph.outputs.find((v) => v.name === output);
  if (!declared) throw new Error(`gradcheck: '${output}' must be a graph output`);
  const value = (await runSession(await createSession(graph, opset), feeds, [output])).get(output)!;
  if (!graph.valueInfo.get(output)?.shape) {
    const info: ValueInfo = { name: output, dataType: value.dataType, shape: value.dims };
    graph.valueInfo.set(output, info);
  }
  return value.dims;
}

/** loss = Σ double(y) ⊙ R, so every element of y gets its own random weight. */
function appendWeightedSum(graph: Graph, output: string, dims: number[], random: Random): string {
  const info = graph.valueInfo.get(output)!;
  graph.initializers.set("gradcheck/R", randomTensor("uniform", dims, "float64", random));
  let y = output;
  if (info.dataType !== "float64") {
    graph.nodes.push({ name: "gradcheck/cast", opType: "Cast", domain: "", inputs: [output], outputs: ["gradcheck/y64"], attributes: { to: attr.int(11) } });
    graph.valueInfo.set("gradcheck/y64", { name: "gradcheck/y64", dataType: "float64", shape: info.shape });
    y = "gradcheck/y64";
  }
  graph.nodes.push({ name: "gradcheck/weighted", opType: "Mul", domain: "", inputs: [y, "gradcheck/R"], outputs: ["gradcheck/weighted"], attributes: {} });
  graph.valueInfo.set("gradcheck/weighted", { name: "gradcheck/weighted", dataType: "float64", shape: info.shape });
  graph.nodes.push({
    name: "gradcheck/loss",
    opType: "ReduceSum",
    domain: "",
    inputs: ["gradcheck/weighted"],
    outputs: ["gradcheck/loss"],
    attributes: { keepdims: attr.int(0) },
  });
  graph.valueInfo.set("gradcheck/loss", { name: "gradcheck/loss", dataType: "float64", shape: [] });
  graph.outputs.push({ name: "gradcheck/loss", dataType: "float64", shape: [] });
  return "gradcheck/loss";
}

function* probes(length: number, coordinates: number, directions: number, random: Random): Generator<[string, number[]]> {
  const picks = new Set<number>();
  while (picks.size < Math.min(coordinates, length)) picks.add(Math.floor(random() * length));
  for (const index of picks) {
    const v = new Array<number>(length).fill(0);
    v[index] = 1;
    yield [`[${index}]`, v];
  }
  for (let d = 0; d < directions; d++) yield [`direction ${d}`, Array.from({ length }, () => (random() < 0.5 ? -1 : 1))];
}

function perturbed(x: Tensor, direction: readonly number[], step: number): Tensor {
  const data = x.data.slice() as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! + step * direction[i]!;
  return { ...x, data };
}
