/**
 * Constant folding: nodes whose inputs are all constant (initializers, Constant nodes, or the
 * Shape of a tensor whose shape is fixed) are evaluated once and replaced by initializers.
 * Constant and Shape/Size are computed here; everything else runs in one ONNX Runtime session.
 * Typical win: the Shape→Gather→Unsqueeze→Concat→Reshape chains of torchvision exports become
 * plain Reshapes with constant shapes once the input size is fixed.
 */
import { DEFAULT_OPSET, elementCount, int64Tensor, type Graph, type Node, type Tensor, type ValueInfo } from "./ir.ts";
import { evaluateGraph } from "./evaluate.ts";
import { nodeInputs, topologicalOrder } from "./graph-tools.ts";
import { dataTypeOf, inferShapes, shapeOf } from "./shape-inference.ts";
import { constantValue, shapeOpDims } from "./shape-rules-layout.ts";
import { isFixedShape } from "./dims.ts";

export interface FoldOptions {
  opset?: number;
  /** Initializers that are not constants (trainable parameters fed or updated at run time). */
  variables?: ReadonlySet<string>;
  /**
   * A node is folded only if its outputs hold at most this many elements, or no more than its
   * inputs: folding Expand or ConstantOfShape must not bloat the model.
   */
  maxNewElements?: number;
}

export interface FoldResult {
  /** Names of the nodes that were folded away. */
  folded: string[];
}

/** Ops whose value changes from run to run, or that need a session state. */
const NOT_FOLDABLE = new Set(["RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Multinomial", "Bernoulli", "If", "Loop", "Scan"]);

function computedHere(node: Node, graph: Graph): Tensor | undefined {
  if (node.opType === "Constant") return constantValue(node);
  if (node.opType !== "Shape" && node.opType !== "Size") return undefined;
  const shape = shapeOf(graph, node.inputs[0] ?? "");
  if (!isFixedShape(shape)) return undefined;
  if (node.opType === "Size") return int64Tensor([], [elementCount(shape)]);
  const dims = shapeOpDims(node, shape);
  return int64Tensor([dims.length], dims);
}

function elements(graph: Graph, name: string): number | undefined {
  const shape = shapeOf(graph, name);
  return isFixedShape(shape) ? elementCount(shape) : undefined;
}

function growsTooMuch(graph: Graph, node: Node, limit: number): boolean {
  const produced = node.outputs.reduce((sum, o) => sum + (elements(graph, o) ?? 0), 0);
  const consumed = node.inputs.reduce((sum, i) => sum + (i === "" ? 0 : (elements(graph, i) ?? 0)), 0);
  return produced > Math.max(limit, consumed);
}

interface FoldPlan {
  /** Constant values computed here, by tensor name. */
  computed: Map<string, Tensor>;
  /** Nodes to run in ONNX Runtime, in order. */
  evaluated: Node[];
  folded: Set<Node>;
}

function planFolding(graph: Graph, options: FoldOptions): FoldPlan {
  const variables = options.variables ?? new Set<string>();
  const constant = new Set([...graph.initializers.keys()].filter((n) => !variables.has(n)));
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const plan: FoldPlan = { computed: new Map(), evaluated: [], folded: new Set() };
  for (const node of topologicalOrder(graph)) {
    if ((node.domain !== "" && node.domain !== "ai.onnx") || NOT_FOLDABLE.has(node.opType)) continue;
    if (node.outputs.some((o) => graphOutputs.has(o))) continue;
    const here = computedHere(node, graph);
    const inputsConstant = nodeInputs(node).every((i) => constant.has(i));
    if (here) plan.computed.set(node.outputs[0] ?? "", here);
    else if (!inputsConstant || node.outputs.some((o) => o !== "" && !dataTypeOf(graph, o))) continue;
    else if (growsTooMuch(graph, node, options.maxNewElements ?? 65_536)) continue;
    else plan.evaluated.push(node);
    plan.folded.add(node);
    for (const output of node.outputs) if (output !== "") constant.add(output);
  }
  return plan;
}

/** Tensors of folded nodes that something outside the folded set still reads. */
function neededOutputs(graph: Graph, folded: ReadonlySet<Node>): Set<string> {
  const needed = new Set<string>();
  for (const node of graph.nodes) {
    if (folded.has(node)) continue;
    for (const input of nodeInputs(node)) needed.add(input);
  }
  return needed;
}

async function evaluatePlan(graph: Graph, plan: FoldPlan, needed: ReadonlySet<string>, opset: number): Promise<Map<string, Tensor>> {
  const values = new Map(plan.computed);
  const wanted: ValueInfo[] = plan.evaluated
    .flatMap((n) => n.outputs)
    .filter((o) => needed.has(o))
    .map((name) => ({ name, dataType: dataTypeOf(graph, name) ?? "float32" }));
  if (wanted.length === 0) return values;
  const reads = new Set(plan.evaluated.flatMap(nodeInputs));
  const initializers = new Map<string, Tensor>();
  for (const name of reads) {
    const tensor = graph.initializers.get(name) ?? plan.computed.get(name);
    if (tensor) initializers.set(name, tensor);
  }
  const constantsOnly: Graph = { ...graph, nodes: plan.evaluated, inputs: [], initializers };
  for (const [name, tensor] of await evaluateGraph(constantsOnly, new Map(), wanted, { opset })) values.set(name, tensor);
  return values;
}

/**
 * Folds every constant subexpression of the graph in place, then re-runs shape inference so
 * shapes that depended on the folded values become exact.
 */
export async function foldConstants(graph: Graph, options: FoldOptions = {}): Promise<FoldResult> {
  const opset = options.opset ?? DEFAULT_OPSET;
  inferShapes(graph, opset);
  const plan = planFolding(graph, options);
  if (plan.folded.size === 0) return { folded: [] };
  const needed = neededOutputs(graph, plan.folded);
  const values = await evaluatePlan(graph, plan, needed, opset);
  const readByFolded = new Set([...plan.folded].flatMap(nodeInputs));
  graph.nodes = graph.nodes.filter((n) => !plan.folded.has(n));
  for (const [name, tensor] of values) if (needed.has(name)) graph.initializers.set(name, tensor);
  const stillRead = new Set([...neededOutputs(graph, new Set()), ...graph.outputs.map((o) => o.name)]);
  for (const name of readByFolded) {
    if (graph.initializers.has(name) && !stillRead.has(name)) graph.initializers.delete(name);
  }
  for (const node of plan.folded) for (const output of node.outputs) if (!graph.initializers.has(output)) graph.valueInfo.delete(output);
  inferShapes(graph, opset);
  return { folded: [...plan.folded].map((n) => n.name) };
}
