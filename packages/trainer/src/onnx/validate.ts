/**
 * Checks a model that comes from outside (an uploaded ONNX file, a converted Keras or TFLite
 * model) before anything builds on it. Every problem names the field and the rule it breaks.
 */
import { defaultOpset, elementCount, type DataType, type Graph, type Model } from "./ir.ts";
import { nodeInputs } from "./graph-tools.ts";
import { loadModel } from "./serialize.ts";

/** Oldest default-domain opset we accept: axes-as-inputs and the Resize/Pad forms we rely on start here. */
export const MIN_OPSET = 11;

const SUPPORTED_TYPES: readonly DataType[] = ["float32", "float16", "float64", "int64", "int32", "int8", "uint8", "bool"];

export interface ValidationProblem {
  /** Where: "graph.inputs", "node 'conv1' (Conv)", "initializer 'fc.weight'". */
  field: string;
  rule: string;
}

export class ModelValidationError extends Error {
  readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[]) {
    super(`invalid ONNX model:\n${problems.map((p) => `- ${p.field}: ${p.rule}`).join("\n")}`);
    this.name = "ModelValidationError";
    this.problems = problems;
  }
}

function checkOpset(model: Model, problems: ValidationProblem[]): void {
  const declared = model.opsetImports.some((o) => o.domain === "" || o.domain === "ai.onnx");
  if (!declared) {
    problems.push({ field: "opsetImports", rule: "declares no default-domain (ai.onnx) opset" });
    return;
  }
  const opset = defaultOpset(model);
  if (opset < MIN_OPSET) {
    problems.push({ field: "opsetImports", rule: `default-domain opset ${opset} is below ${MIN_OPSET}; re-export the model with opset ${MIN_OPSET} or newer` });
  }
}

function checkElementTypes(graph: Graph, problems: ValidationProblem[]): void {
  const check = (field: string, dataType: string): void => {
    if (!SUPPORTED_TYPES.includes(dataType as DataType)) {
      problems.push({ field, rule: `element type '${dataType}' is not supported (supported: ${SUPPORTED_TYPES.join(", ")})` });
    }
  };
  for (const input of graph.inputs) check(`graph input '${input.name}'`, input.dataType);
  for (const output of graph.outputs) check(`graph output '${output.name}'`, output.dataType);
  for (const [name, tensor] of graph.initializers) {
    check(`initializer '${name}'`, tensor.dataType);
    if (tensor.data.length !== elementCount(tensor.dims)) {
      problems.push({
        field: `initializer '${name}'`,
        rule: `has ${tensor.data.length} values, its shape [${tensor.dims.join(", ")}] needs ${elementCount(tensor.dims)}`,
      });
    }
  }
  for (const info of graph.valueInfo.values()) check(`value info '${info.name}'`, info.dataType);
}

/** Each tensor has one producer: a feed, an initializer or one node output. */
function checkProducers(graph: Graph, problems: ValidationProblem[]): Set<string> {
  const defined = new Set<string>();
  const define = (name: string, field: string): void => {
    if (defined.has(name)) problems.push({ field, rule: `output name '${name}' is already produced by a graph input, an initializer or another node` });
    defined.add(name);
  };
  for (const input of graph.inputs) define(input.name, `graph input '${input.name}'`);
  for (const name of graph.initializers.keys()) if (!defined.has(name)) defined.add(name);
  for (const node of graph.nodes) {
    if (node.opType === "") problems.push({ field: `node '${node.name}'`, rule: "has no op type" });
    for (const output of node.outputs) if (output !== "") define(output, `node '${node.name}' (${node.opType})`);
  }
  return defined;
}

function checkReferences(graph: Graph, defined: ReadonlySet<string>, problems: ValidationProblem[]): void {
  for (const node of graph.nodes) {
    for (const input of nodeInputs(node)) {
      if (!defined.has(input))
        problems.push({
          field: `node '${node.name}' (${node.opType})`,
          rule: `input '${input}' is never produced: it is not a graph input, an initializer or any node's output`,
        });
    }
  }
  const seen = new Set<string>();
  for (const output of graph.outputs) {
    if (seen.has(output.name)) problems.push({ field: `graph output '${output.name}'`, rule: "is listed twice" });
    seen.add(output.name);
    if (!defined.has(output.name)) problems.push({ field: `graph output '${output.name}'`, rule: "is never produced" });
  }
}

/** All problems of the model; empty when it is fit to build on. */
export function modelProblems(model: Model): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const graph = model.graph;
  checkOpset(model, problems);
  if (graph.inputs.length === 0) problems.push({ field: "graph.inputs", rule: "the model has no inputs (a model that only lists initializers cannot be fed)" });
  if (graph.outputs.length === 0) problems.push({ field: "graph.outputs", rule: "the model has no outputs" });
  checkElementTypes(graph, problems);
  checkReferences(graph, checkProducers(graph, problems), problems);
  return problems;
}

/** Throws a ModelValidationError listing every problem, or returns the model unchanged. */
export function validateModel(model: Model): Model {
  const problems = modelProblems(model);
  if (problems.length > 0) throw new ModelValidationError(problems);
  return model;
}

/** Loads an ONNX file given from outside and validates it; errors name the file. */
export function loadValidatedModel(path: string): Model {
  let model: Model;
  try {
    model = loadModel(path);
  } catch (error) {
    throw new Error(`ONNX file '${path}': ${(error as Error).message}`, { cause: error });
  }
  return validateModel(model);
}
