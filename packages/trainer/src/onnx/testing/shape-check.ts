/** Checks inferred shapes against the shapes ONNX Runtime actually produces. */
import { GraphBuilder } from "../builder.ts";
import { evaluateGraph } from "../evaluate.ts";
import { elementCount, typedArrayFor, type Dim, type Graph, type Tensor, type ValueInfo } from "../ir.ts";
import { dataTypeOf, inferShapes, shapeOf } from "../shape-inference.ts";

export interface ShapeCase {
  name: string;
  opset?: number;
  /** Declares inputs (symbolic dims allowed), initializers and nodes. */
  build: (b: GraphBuilder) => void;
  /** Sizes fed for symbolic dims; unlisted symbols get 2. */
  bind?: Record<string, number>;
  /** Explicit feeds, needed for integer inputs. */
  feeds?: Record<string, Tensor>;
  /** Tensors whose dims may stay unknown (null) after inference. */
  unknown?: string[];
}

/** Deterministic pseudo-random values in [-1, 1). */
export function randomTensor(dataType: Tensor["dataType"], dims: number[], seed = 1): Tensor {
  const data = typedArrayFor(dataType, elementCount(dims));
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const value = state / 1073741824 - 1;
    if (data instanceof BigInt64Array) data[i] = BigInt(Math.floor(value * 3));
    else if (dataType === "bool") data[i] = value > 0 ? 1 : 0;
    else data[i] = value;
  }
  return { dataType, dims, data };
}

function concreteDims(shape: readonly Dim[] | undefined, bind: Record<string, number>): number[] {
  return (shape ?? []).map((d) => (typeof d === "number" ? d : typeof d === "string" ? (bind[d] ?? 2) : 2));
}

function feedsFor(graph: Graph, c: Pick<ShapeCase, "feeds">, bind: Record<string, number>): Map<string, Tensor> {
  const feeds = new Map<string, Tensor>();
  for (const [index, input] of graph.inputs.entries()) {
    const given = c.feeds?.[input.name];
    feeds.set(input.name, given ?? randomTensor(input.dataType, concreteDims(input.shape, bind), index + 1));
  }
  return feeds;
}

function dimMatches(inferred: Dim, actual: number, bind: Record<string, number>, unknownAllowed: boolean): boolean {
  if (inferred === null) return unknownAllowed;
  if (typeof inferred === "string") return (bind[inferred] ?? 2) === actual;
  return inferred === actual;
}

/** Builds the case, infers shapes, runs it in ORT and lists every disagreement (empty when all agree). */
export async function shapeMismatches(c: ShapeCase): Promise<string[]> {
  const builder = new GraphBuilder(c.name);
  c.build(builder);
  return graphShapeMismatches(builder.build(), c);
}

/** The same check for a graph built elsewhere (an imported model). */
export async function graphShapeMismatches(graph: Graph, c: Omit<ShapeCase, "name" | "build">): Promise<string[]> {
  const bind = c.bind ?? {};
  inferShapes(graph, c.opset);
  const problems: string[] = [];
  const outputs: ValueInfo[] = [];
  for (const name of graph.nodes.flatMap((n) => n.outputs).filter((o) => o !== "")) {
    const dataType = dataTypeOf(graph, name);
    if (dataType) outputs.push({ name, dataType });
    else problems.push(`${name}: no inferred type`);
  }
  const actual = await evaluateGraph(graph, feedsFor(graph, c, bind), outputs, c.opset === undefined ? {} : { opset: c.opset });
  for (const [name, tensor] of actual) {
    if (tensor.dataType !== dataTypeOf(graph, name)) problems.push(`${name}: inferred type ${dataTypeOf(graph, name)}, ONNX Runtime gave ${tensor.dataType}`);
    const inferred = shapeOf(graph, name);
    const unknownAllowed = c.unknown?.includes(name) ?? false;
    const agrees =
      inferred !== undefined && inferred.length === tensor.dims.length && inferred.every((d, i) => dimMatches(d, tensor.dims[i] ?? -1, bind, unknownAllowed));
    if (!agrees) problems.push(`${name}: inferred ${JSON.stringify(inferred)}, ONNX Runtime gave [${tensor.dims.join(", ")}]`);
  }
  return problems;
}
