/**
 * After the backward pass is built: the Clip gradient's mask [min ≤ X ≤ max], which the rule
 * takes as Equal(X, Y), is taken from the output alone as min < Y < max. Then nothing in the
 * backward pass reads the Clip's input (for ReLU6 after BatchNormalization, the BN output), and
 * ONNX Runtime frees it right after the forward Clip instead of keeping one more activation per
 * layer until the backward pass. The two masks differ only where X equals min or max exactly
 * (there the new one takes the subgradient 0 instead of 1).
 */
import type { Graph, Node } from "../onnx/ir.ts";

const op = (opType: string, inputs: string[], output: string): Node => ({ name: output, opType, domain: "", inputs, outputs: [output], attributes: {} });

/** The mask nodes min < Y < max with `output` as the final name; undefined when Clip has no bounds. */
function maskFromOutput(clip: Node, output: string): Node[] | undefined {
  const [, min, max] = clip.inputs;
  const y = clip.outputs[0]!;
  const above = min ? op("Greater", [y, min], `${output}/above_min`) : undefined;
  const below = max ? op("Less", [y, max], `${output}/below_max`) : undefined;
  if (above && below) return [above, below, op("And", [above.outputs[0]!, below.outputs[0]!], output)];
  const only = above ?? below;
  return only ? [{ ...only, name: output, outputs: [output] }] : undefined;
}

/** Returns how many masks were rewritten. */
export function clipMasksFromOutputs(graph: Graph): number {
  const clips = new Map<string, Node>();
  for (const node of graph.nodes) if (node.opType === "Clip" && node.inputs[0]) clips.set(`${node.inputs[0]}|${node.outputs[0]}`, node);
  let rewritten = 0;
  graph.nodes = graph.nodes.flatMap((node) => {
    const clip = node.opType === "Equal" ? clips.get(node.inputs.join("|")) : undefined;
    const replacement = clip ? maskFromOutput(clip, node.outputs[0]!) : undefined;
    if (!replacement) return [node];
    rewritten++;
    return replacement;
  });
  return rewritten;
}
