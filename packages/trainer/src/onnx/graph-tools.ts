/**
 * Structural tools over the IR: dependency order, producer/consumer maps, pruning, cutting a
 * graph at a tensor, replacing subgraphs and renaming tensors.
 */
import type { Graph, Node } from "./ir.ts";

/** Tensor name → the node that produces it. */
export function producers(graph: Graph): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const node of graph.nodes) {
    for (const output of node.outputs) if (output !== "") map.set(output, node);
  }
  return map;
}

/** Tensor name → the nodes that read it (each node once, in graph order). */
export function consumers(graph: Graph): Map<string, Node[]> {
  const map = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const input of new Set(node.inputs)) {
      if (input === "") continue;
      const list = map.get(input);
      if (list) list.push(node);
      else map.set(input, [node]);
    }
  }
  return map;
}

/** Names available before any node runs: feeds and initializers. */
function sourceNames(graph: Graph): Set<string> {
  return new Set([...graph.inputs.map((i) => i.name), ...graph.initializers.keys()]);
}

/**
 * The nodes in an order where every node comes after the producers of its inputs (Kahn's
 * algorithm, stable with respect to the listed order). Throws naming the node when an input is
 * never produced or when nodes form a cycle.
 */
export function topologicalOrder(graph: Graph): Node[] {
  const available = sourceNames(graph);
  const producedBy = producers(graph);
  const waiting = new Map<Node, number>();
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    let missing = 0;
    for (const input of new Set(node.inputs)) {
      if (input === "" || available.has(input)) continue;
      if (!producedBy.has(input)) throw new Error(`node '${node.name}' (${node.opType}): input '${input}' is not a graph input, an initializer or any node's output`);
      missing++;
      readers.set(input, [...(readers.get(input) ?? []), node]);
    }
    waiting.set(node, missing);
  }
  const ready = graph.nodes.filter((n) => waiting.get(n) === 0);
  const order: Node[] = [];
  for (let i = 0; i < ready.length; i++) {
    const node = ready[i] as Node;
    order.push(node);
    for (const output of node.outputs) {
      for (const reader of readers.get(output) ?? []) {
        const left = (waiting.get(reader) ?? 0) - 1;
        waiting.set(reader, left);
        if (left === 0) ready.push(reader);
      }
    }
  }
  if (order.length < graph.nodes.length) {
    const stuck = graph.nodes.find((n) => (waiting.get(n) ?? 0) > 0);
    throw new Error(`node '${stuck?.name}' (${stuck?.opType}) is part of a cycle: its inputs depend on its own outputs`);
  }
  return order;
}
