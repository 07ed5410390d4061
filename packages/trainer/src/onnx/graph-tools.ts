/**
 * Structural tools over the IR: dependency order, producer/consumer maps, pruning, cutting a
 * graph at a tensor and replacing subgraphs (naming helpers live in graph-names.ts).
 */
import type { Graph, Node, ValueInfo } from "./ir.ts";
import { usedNames } from "./graph-names.ts";

export * from "./graph-names.ts";

/**
 * Every tensor a node reads: its inputs, plus the outer-scope names its subgraphs (If, Loop,
 * Scan bodies) use without defining them.
 */
export function nodeInputs(node: Node): string[] {
  const names = node.inputs.filter((i) => i !== "");
  for (const attribute of Object.values(node.attributes)) {
    if (attribute.kind === "graph") names.push(...outerScopeNames(attribute.value));
  }
  return [...new Set(names)];
}

function outerScopeNames(graph: Graph): string[] {
  const defined = new Set([...graph.inputs.map((i) => i.name), ...graph.initializers.keys()]);
  for (const node of graph.nodes) for (const output of node.outputs) defined.add(output);
  return graph.nodes.flatMap(nodeInputs).filter((name) => !defined.has(name));
}

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
    for (const input of nodeInputs(node)) {
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
  const position = new Map(graph.nodes.map((n, i) => [n, i]));
  const waiting = new Map<Node, number>();
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    let missing = 0;
    for (const input of nodeInputs(node)) {
      if (available.has(input)) continue;
      if (!producedBy.has(input))
        throw new Error(`node '${node.name}' (${node.opType}): input '${input}' is not a graph input, an initializer or any node's output`);
      missing++;
      const list = readers.get(input);
      if (list) list.push(node);
      else readers.set(input, [node]);
    }
    waiting.set(node, missing);
  }
  // Ready nodes are kept sorted by listed position, so an already ordered graph keeps its order.
  const ready = graph.nodes.filter((n) => waiting.get(n) === 0).reverse();
  const order: Node[] = [];
  while (ready.length > 0) {
    const node = ready.pop() as Node;
    order.push(node);
    for (const output of node.outputs) {
      for (const reader of readers.get(output) ?? []) {
        const left = (waiting.get(reader) ?? 0) - 1;
        waiting.set(reader, left);
        if (left === 0) insertByPosition(ready, reader, position);
      }
    }
  }
  if (order.length < graph.nodes.length) {
    const inCycle = nodeOnCycle(
      graph.nodes.filter((n) => (waiting.get(n) ?? 0) > 0),
      producedBy,
    );
    throw new Error(`node '${inCycle.name}' (${inCycle.opType}) is on a cycle: one of its inputs depends on its own outputs`);
  }
  return order;
}

/** Inserts into a list sorted by descending position (the next node to take is last). */
function insertByPosition(ready: Node[], node: Node, position: Map<Node, number>): void {
  const at = position.get(node) ?? 0;
  let low = 0;
  let high = ready.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((position.get(ready[mid] as Node) ?? 0) > at) low = mid + 1;
    else high = mid;
  }
  ready.splice(low, 0, node);
}

/** Walks back from a blocked node through blocked producers until a node repeats: that one is on a cycle. */
function nodeOnCycle(blocked: Node[], producedBy: Map<string, Node>): Node {
  const isBlocked = new Set(blocked);
  const seen = new Set<Node>();
  let node = blocked[0] as Node;
  while (!seen.has(node)) {
    seen.add(node);
    const next = nodeInputs(node)
      .map((i) => producedBy.get(i))
      .find((p): p is Node => p !== undefined && isBlocked.has(p));
    if (!next) break;
    node = next;
  }
  return node;
}

/** Names needed to compute `outputs`: the nodes in graph order, and every tensor they read. */
function neededFor(graph: Graph, outputs: readonly string[]): { nodes: Set<Node>; tensors: Set<string> } {
  const producedBy = producers(graph);
  const nodes = new Set<Node>();
  const tensors = new Set<string>();
  const pending = [...outputs];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (tensors.has(name)) continue;
    tensors.add(name);
    const node = producedBy.get(name);
    if (node && !nodes.has(node)) {
      nodes.add(node);
      pending.push(...nodeInputs(node));
    }
  }
  return { nodes, tensors };
}

function outputInfo(graph: Graph, name: string): ValueInfo {
  const known = graph.outputs.find((o) => o.name === name) ?? graph.valueInfo.get(name) ?? graph.inputs.find((i) => i.name === name);
  if (known) return { ...known, name };
  const tensor = graph.initializers.get(name);
  if (tensor) return { name, dataType: tensor.dataType, shape: [...tensor.dims] };
  throw new Error(`output '${name}': its element type is unknown; run inferShapes on the graph first`);
}

/** Makes `outputs` the graph outputs and drops the nodes, initializers and inputs they do not need. */
export function pruneToOutputs(graph: Graph, outputs: readonly string[]): void {
  const all = usedNames(graph);
  for (const name of outputs) if (!all.has(name)) throw new Error(`pruneToOutputs: '${name}' is not a tensor of graph '${graph.name}'`);
  const infos = outputs.map((name) => outputInfo(graph, name));
  const { nodes, tensors } = neededFor(graph, outputs);
  graph.nodes = graph.nodes.filter((n) => nodes.has(n));
  graph.outputs = infos;
  graph.inputs = graph.inputs.filter((i) => tensors.has(i.name));
  for (const name of [...graph.initializers.keys()]) if (!tensors.has(name)) graph.initializers.delete(name);
  const produced = new Set(graph.nodes.flatMap((n) => n.outputs));
  for (const name of [...graph.valueInfo.keys()]) if (!produced.has(name) && !tensors.has(name)) graph.valueInfo.delete(name);
}

/** Makes `tensor` the only graph output and drops everything computed after it (head surgery). */
export function cutAt(graph: Graph, tensor: string): ValueInfo {
  pruneToOutputs(graph, [tensor]);
  return graph.outputs[0] as ValueInfo;
}

export interface Replacement {
  /** Names of the nodes to remove. */
  remove: readonly string[];
  /** Nodes to put in their place. */
  insert: readonly Node[];
  /**
   * Old tensor → new tensor: readers of each old tensor read the new one instead. When an old
   * tensor is a graph output, the new tensor takes the old name, so the output keeps its name.
   */
  rewire?: Readonly<Record<string, string>>;
}

/**
 * Replaces a set of nodes by new ones and rewires their readers. All or nothing: when the result
 * would read a tensor nobody produces, or form a cycle, it throws and the graph is unchanged.
 */
export function replaceSubgraph(graph: Graph, replacement: Replacement): void {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const removed = new Set(
    replacement.remove.map((name) => {
      const node = byName.get(name);
      if (!node) throw new Error(`replaceSubgraph: no node named '${name}' in graph '${graph.name}'`);
      return node;
    }),
  );
  const outputNames = new Set(graph.outputs.map((o) => o.name));
  const readerRewire = new Map<string, string>();
  const keepName = new Map<string, string>();
  for (const [oldName, newName] of Object.entries(replacement.rewire ?? {})) {
    if (outputNames.has(oldName)) keepName.set(newName, oldName);
    else readerRewire.set(oldName, newName);
  }
  // Edits are made on copies first; the originals change only once the result is valid.
  const original = new Map<Node, Node>();
  const copy = (node: Node, inputs: Map<string, string>, outputs: Map<string, string>): Node => {
    const edited = { ...node, inputs: node.inputs.map((i) => inputs.get(i) ?? i), outputs: node.outputs.map((o) => outputs.get(o) ?? o) };
    original.set(edited, node);
    return edited;
  };
  const first = graph.nodes.findIndex((n) => removed.has(n));
  const inserted = replacement.insert.map((n) => copy(n, keepName, keepName));
  const kept = graph.nodes.filter((n) => !removed.has(n)).map((n) => copy(n, readerRewire, new Map()));
  const at = first < 0 ? kept.length : graph.nodes.slice(0, first).filter((n) => !removed.has(n)).length;
  const ordered = topologicalOrder({ ...graph, nodes: [...kept.slice(0, at), ...inserted, ...kept.slice(at)] });
  graph.nodes = ordered.map((edited) => {
    const node = original.get(edited) as Node;
    node.inputs = edited.inputs;
    node.outputs = edited.outputs;
    return node;
  });
  dropOrphans(graph, removed);
}

/** Drops initializers only removed nodes read, and value infos of tensors nobody produces now. */
function dropOrphans(graph: Graph, removed: ReadonlySet<Node>): void {
  const read = new Set(graph.nodes.flatMap(nodeInputs));
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const formerlyRead = new Set([...removed].flatMap(nodeInputs));
  for (const name of formerlyRead) {
    if (graph.initializers.has(name) && !read.has(name) && !outputs.has(name)) graph.initializers.delete(name);
  }
  const produced = new Set(graph.nodes.flatMap((n) => n.outputs));
  for (const node of removed) {
    for (const output of node.outputs) if (!produced.has(output)) graph.valueInfo.delete(output);
  }
}
