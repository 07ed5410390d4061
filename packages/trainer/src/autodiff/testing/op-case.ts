/** Table rows for single-op gradient checks: one node, its inputs, and which inputs to check. */
import type { Attribute, DataType, Graph, Tensor } from "../../onnx/ir.ts";
import { attr, emptyGraph } from "../../onnx/ir.ts";
import { buildBackward } from "../walker.ts";
import type { DepthwiseWeightGradient } from "../builder.ts";
import { checkGradients, type GradCheckReport } from "./gradcheck.ts";
import { createSession, runSession } from "./ort.ts";
import { randomTensor, seededRandom, type ValueKind } from "./values.ts";

export interface InputSpec {
  dims: number[];
  /** Random values of a kind, or a fixed tensor (integer inputs, axes, labels). */
  values?: ValueKind | Tensor;
  /** An initializer rather than a feed; never checked. */
  constant?: boolean;
  /** Whether to check this input's gradient; default: every random, non-constant input. */
  wrt?: boolean;
}

export interface OpCase {
  name: string;
  op: string;
  /** null marks an omitted optional input. */
  inputs: (InputSpec | null)[];
  attributes?: Record<string, Attribute>;
  /** Element type of the random inputs (default float64: ONNX Runtime CPU lacks it for some ops). */
  dtype?: DataType;
  /** How many outputs the node has (default 1) and which one the loss reads (default 0). */
  outputs?: number;
  checkOutput?: number;
  /** Element type of the checked output when it differs from dtype. */
  outputType?: DataType;
  opset?: number;
  eps?: number;
  rtol?: number;
  atol?: number;
  coordinates?: number;
  depthwiseWeightGradient?: DepthwiseWeightGradient;
  nchwcBlockSize?: number;
  /** See GradCheckOptions.freshSessions (seeded random ops). */
  freshSessions?: boolean;
}

export interface BuiltCase {
  graph: Graph;
  feeds: Map<string, Tensor>;
  wrt: string[];
  output: string;
}

export function buildOpCase(testCase: OpCase, seed = 11): BuiltCase {
  const random = seededRandom(seed);
  const dataType = testCase.dtype ?? "float64";
  const graph = emptyGraph(testCase.name);
  const feeds = new Map<string, Tensor>();
  const wrt: string[] = [];
  const inputs = testCase.inputs.map((spec, i) => {
    if (spec === null) return "";
    const name = `x${i}`;
    const given = typeof spec.values === "object";
    const value = given ? (spec.values as Tensor) : randomTensor((spec.values as ValueKind | undefined) ?? "uniform", spec.dims, dataType, random);
    if (spec.constant) graph.initializers.set(name, value);
    else {
      graph.inputs.push({ name, dataType: value.dataType, shape: value.dims });
      feeds.set(name, value);
    }
    if (spec.wrt ?? (!given && !spec.constant)) wrt.push(name);
    return name;
  });
  const outputs = Array.from({ length: testCase.outputs ?? 1 }, (_, i) => `y${i}`);
  graph.nodes.push({ name: testCase.op.toLowerCase(), opType: testCase.op, domain: "", inputs, outputs, attributes: testCase.attributes ?? {} });
  const output = outputs[testCase.checkOutput ?? 0]!;
  graph.outputs.push({ name: output, dataType: testCase.outputType ?? dataType });
  return { graph, feeds, wrt, output };
}

export async function checkOpCase(testCase: OpCase): Promise<GradCheckReport> {
  const built = buildOpCase(testCase);
  return checkGradients({
    ...built,
    opset: testCase.opset,
    eps: testCase.eps,
    rtol: testCase.rtol,
    atol: testCase.atol,
    coordinates: testCase.coordinates,
    depthwiseWeightGradient: testCase.depthwiseWeightGradient,
    nchwcBlockSize: testCase.nchwcBlockSize,
    freshSessions: testCase.freshSessions,
  });
}

/** The exact gradients of loss = Σ y (y the checked output), for cases whose expected value is known (ties). */
export async function sumGradients(testCase: OpCase): Promise<Map<string, Tensor>> {
  const { graph, feeds, wrt, output } = buildOpCase(testCase);
  const dims = (await runSession(await createSession(graph, testCase.opset), feeds, [output])).get(output)!.dims;
  graph.valueInfo.set(output, { name: output, dataType: testCase.outputType ?? testCase.dtype ?? "float64", shape: dims });
  graph.nodes.push({ name: "sum", opType: "ReduceSum", domain: "", inputs: [output], outputs: ["loss"], attributes: { keepdims: attr.int(0) } });
  graph.valueInfo.set("loss", { name: "loss", dataType: testCase.outputType ?? testCase.dtype ?? "float64", shape: [] });
  const { gradients } = buildBackward(graph, { loss: "loss", wrt, opset: testCase.opset });
  graph.outputs = wrt.map((name) => ({ name: gradients.get(name)!, dataType: feeds.get(name)!.dataType }));
  const values = await runSession(
    await createSession(graph, testCase.opset),
    feeds,
    graph.outputs.map((o) => o.name),
  );
  return new Map(wrt.map((name) => [name, values.get(gradients.get(name)!)!]));
}
