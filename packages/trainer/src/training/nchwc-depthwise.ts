/**
 * Runs the graph's depthwise convolutions (forward, and the flipped-kernel ones that compute
 * stride-1 input gradients) on ONNX Runtime's blocked NCHWc CPU kernels, which ORT itself
 * uses only when the weights are constants. Each becomes ReorderInput → NCHWc Conv →
 * ReorderOutput, with the [C, 1, k, k] weight reordered in the graph to the blocked filter
 * layout [C/B, 1, k, k, B] (a Transpose of a few kilobytes). Per MobileNetV2 layer at batch 16
 * the reorders included, 1.6–8× faster than ORT's NCHW depthwise Conv (docs/performance.md).
 */
import type { Graph, Node } from "../onnx/ir.ts";
import { attr, int64Tensor } from "../onnx/ir.ts";
import { shapeOf } from "../onnx/shape-inference.ts";
import { NCHWC_DOMAIN } from "../autodiff/rules/conv-depthwise.ts";

/** [C, 1, kh, kw] weight of a 2-D depthwise Conv whose channels fill whole blocks, or undefined. */
function depthwiseWeight(graph: Graph, node: Node, block: number): number[] | undefined {
  if (node.opType !== "Conv" || (node.domain !== "" && node.domain !== "ai.onnx")) return undefined;
  const autoPad = node.attributes.auto_pad;
  if (autoPad && autoPad.kind === "string" && autoPad.value !== "NOTSET") return undefined;
  const x = shapeOf(graph, node.inputs[0] ?? "");
  const w = shapeOf(graph, node.inputs[1] ?? "");
  const group = node.attributes.group;
  if (!x || !w || x.length !== 4 || w.length !== 4 || !w.every((d) => typeof d === "number")) return undefined;
  const [channels, perGroup] = w as number[];
  if (group?.kind !== "int" || group.value !== channels || perGroup !== 1 || x[1] !== channels || channels! % block !== 0) return undefined;
  return w as number[];
}

const trainingBatchNorm = (node: Node) =>
  node.opType === "BatchNormalization" && node.attributes.training_mode?.kind === "int" && node.attributes.training_mode.value === 1;

/**
 * Returns how many depthwise Conv nodes now run in NCHWc. A conv with a constant weight is left
 * to ORT unless a training-mode BatchNormalization follows it: at level "all" ORT folds an
 * inference BatchNormalization and the activation into such a conv and converts it to NCHWc
 * itself, which an explicit rewrite would prevent (head-only steps, frozen parts of eval graphs).
 */
export function depthwiseConvsInNchwc(graph: Graph, block: number): number {
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) for (const input of node.inputs) readers.set(input, [...(readers.get(input) ?? []), node]);
  let rewritten = 0;
  graph.nodes = graph.nodes.flatMap((node) => {
    const weight = depthwiseWeight(graph, node, block);
    if (!weight) return [node];
    const constantWeight = graph.initializers.has(node.inputs[1]!);
    if (constantWeight && !(readers.get(node.outputs[0]!) ?? []).some(trainingBatchNorm)) return [node];
    rewritten++;
    const [channels, , kh, kw] = weight as [number, number, number, number];
    const name = node.name || node.outputs[0]!;
    const constant = (label: string, values: number[]) => {
      const key = `${name}/nchwc/${label}`;
      graph.initializers.set(key, int64Tensor([values.length], values));
      return key;
    };
    const t = (label: string) => `${name}/nchwc/${label}`;
    const op = (opType: string, inputs: string[], output: string, attributes: Node["attributes"] = {}, domain = ""): Node => ({
      name: output,
      opType,
      domain,
      inputs,
      outputs: [output],
      attributes,
    });
    return [
      op("Reshape", [node.inputs[1]!, constant("weight_block_shape", [channels / block, block, kh * kw])], t("weight_blocks")),
      op("Transpose", [t("weight_blocks")], t("weight_blocked"), { perm: attr.ints([0, 2, 1]) }),
      op("Reshape", [t("weight_blocked"), constant("weight_shape", weight)], t("weight")),
      op("ReorderInput", [node.inputs[0]!], t("input"), {}, NCHWC_DOMAIN),
      op("Conv", [t("input"), t("weight"), ...node.inputs.slice(2)], t("output"), { ...node.attributes, kernel_shape: attr.ints([kh, kw]) }, NCHWC_DOMAIN),
      { ...op("ReorderOutput", [t("output")], node.outputs[0]!, { channels: attr.int(channels) }, NCHWC_DOMAIN), name },
    ];
  });
  shareReorders(graph, block);
  return rewritten;
}

/**
 * The tensor a ReorderInput blocks, seen through a Reshape of an [N, C, H, W] tensor to one
 * image of N·C channels: with C a multiple of the block size both give the same bytes
 * ([N, C/B, H, W, B] and [1, N·C/B, H, W, B]). The depthwise weight gradient reorders dY as
 * one image and the stride-1 input gradient reorders dY itself.
 */
function blockedSource(graph: Graph, producers: ReadonlyMap<string, Node>, input: string, block: number): string | undefined {
  const reshape = producers.get(input);
  const source = reshape?.opType === "Reshape" && reshape.domain === "" ? reshape.inputs[0]! : input;
  const shape = shapeOf(graph, source);
  if (!shape || shape.length !== 4 || !shape.every((d) => typeof d === "number") || (shape[1] as number) % block !== 0) return undefined;
  if (source === input) return source;
  const [n, c, h, w] = shape as number[];
  const reshaped = shapeOf(graph, input);
  return String(reshaped) === String([1, n! * c!, h, w]) ? source : undefined;
}

/**
 * Each group of ReorderInputs of the same gradient's bytes keeps its first; the others become
 * Reshapes of it. Gradients only (tensors of the backward pass are named `<node>_grad/…`): the
 * reorders of a forward activation run far apart, at the forward conv and at the weight
 * gradient, and sharing them would keep a blocked copy of every depthwise input alive through
 * the backward pass (MobileNetV2 at batch 16: peak RSS 1.26 → 1.43 GB).
 */
function shareReorders(graph: Graph, block: number): void {
  const producers = new Map<string, Node>();
  for (const node of graph.nodes) for (const output of node.outputs) producers.set(output, node);
  const first = new Map<string, Node>();
  graph.nodes = graph.nodes.map((node) => {
    if (node.opType !== "ReorderInput" || node.domain !== NCHWC_DOMAIN) return node;
    const source = blockedSource(graph, producers, node.inputs[0]!, block);
    const shape = shapeOf(graph, node.inputs[0]!);
    if (source === undefined || !source.includes("_grad/") || !shape) return node;
    const kept = first.get(source);
    if (!kept) {
      first.set(source, node);
      return node;
    }
    const shapeName = `${node.name}/shared_shape`;
    graph.initializers.set(shapeName, int64Tensor([4], shape as number[]));
    return { name: node.name, opType: "Reshape", domain: "", inputs: [kept.outputs[0]!, shapeName], outputs: [...node.outputs], attributes: {} };
  });
}
