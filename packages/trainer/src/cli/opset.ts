/**
 * --opset for export: declare a higher default-domain opset (up to what onnxruntime-web runs)
 * when no op of the graph changed meaning in between. Lowering would need op-by-op conversion.
 */
import { MAX_EXPORT_OPSET } from "../export/index.ts";
import { defaultOpset, type Model } from "../onnx/ir.ts";
import { UsageError } from "./options.ts";

/** Versions where an op's inputs or semantics changed incompatibly (attributes became inputs, softmax axis semantics). */
const BREAKING_SINCE: Record<string, number[]> = {
  Softmax: [13],
  LogSoftmax: [13],
  Hardmax: [13],
  Split: [13, 18],
  Squeeze: [13],
  Unsqueeze: [13],
  ReduceSum: [13],
  ReduceMean: [18],
  ReduceMax: [18],
  ReduceMin: [18],
  ReduceProd: [18],
  ReduceL2: [18],
  Dropout: [12],
  Clip: [11],
  Pad: [11],
  Resize: [11],
  TopK: [10, 11],
  Upsample: [9, 10],
  Slice: [10],
};

export function setExportOpset(model: Model, target: number): void {
  const current = defaultOpset(model);
  if (target === current) return;
  if (target < current) throw new UsageError(`--opset ${target}: the model is at opset ${current}; lowering it is not supported`);
  if (target > MAX_EXPORT_OPSET) throw new UsageError(`--opset must be at most ${MAX_EXPORT_OPSET} (what onnxruntime-web runs), got ${target}`);
  for (const node of model.graph.nodes) {
    const change = BREAKING_SINCE[node.opType]?.find((version) => version > current && version <= target);
    if (change !== undefined)
      throw new UsageError(`--opset ${target}: node '${node.name}' (${node.opType}) changed at opset ${change}; the model stays at opset ${current}`);
  }
  model.opsetImports = model.opsetImports.map((o) => (o.domain === "" || o.domain === "ai.onnx" ? { ...o, version: target } : o));
}
