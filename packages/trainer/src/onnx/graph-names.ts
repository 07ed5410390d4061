/** Naming over the IR: used names, unique names, renaming and prefixing tensors, binding symbolic dims. */
import type { Graph, ValueInfo } from "./ir.ts";

/** Every tensor and node name used in the graph. */
export function usedNames(graph: Graph): Set<string> {
  const names = new Set<string>([...graph.inputs.map((i) => i.name), ...graph.outputs.map((o) => o.name), ...graph.initializers.keys()]);
  for (const node of graph.nodes) {
    names.add(node.name);
    for (const output of node.outputs) names.add(output);
  }
  return names;
}

/** `prefix`, or `prefix_1`, `prefix_2`, …: the first name not yet used for a tensor or node. */
export function uniqueName(graph: Graph, prefix: string): string {
  const taken = usedNames(graph);
  if (!taken.has(prefix)) return prefix;
  let suffix = 1;
  while (taken.has(`${prefix}_${suffix}`)) suffix++;
  return `${prefix}_${suffix}`;
}

/** Renames a tensor everywhere it appears: nodes, inputs, outputs, initializers, value infos. */
export function renameTensor(graph: Graph, from: string, to: string): void {
  if (from === to) return;
  if (usedNames(graph).has(to)) throw new Error(`renameTensor: '${to}' is already a name in graph '${graph.name}'`);
  renameTensors(graph, new Map([[from, to]]));
}

/** Applies a name map to every tensor reference (no checks: callers keep names unique). */
export function renameTensors(graph: Graph, names: ReadonlyMap<string, string>): void {
  const rename = (name: string): string => names.get(name) ?? name;
  for (const node of graph.nodes) {
    node.inputs = node.inputs.map(rename);
    node.outputs = node.outputs.map(rename);
  }
  for (const info of [...graph.inputs, ...graph.outputs]) info.name = rename(info.name);
  graph.initializers = new Map([...graph.initializers].map(([name, tensor]) => [rename(name), tensor]));
  graph.valueInfo = new Map([...graph.valueInfo].map(([name, info]) => [rename(name), { ...info, name: rename(name) }]));
}

/** Prefixes every tensor and node name except the listed ones (feeds usually), to merge graphs. */
export function prefixNames(graph: Graph, prefix: string, keep: ReadonlySet<string> = new Set()): void {
  const names = new Map<string, string>();
  for (const name of usedNames(graph)) if (!keep.has(name)) names.set(name, `${prefix}${name}`);
  for (const node of graph.nodes) node.name = names.get(node.name) ?? node.name;
  renameTensors(graph, names);
}

/**
 * Fixes symbolic dims ("batch" → 8) in the graph's inputs, outputs and value infos, so shape
 * inference and constant folding can treat the shapes as static.
 */
export function bindSymbolicDims(graph: Graph, sizes: Readonly<Record<string, number>>): void {
  const bind = (info: ValueInfo): ValueInfo =>
    info.shape ? { ...info, shape: info.shape.map((d) => (typeof d === "string" && sizes[d] !== undefined ? sizes[d] : d)) } : info;
  graph.inputs = graph.inputs.map(bind);
  graph.outputs = graph.outputs.map(bind);
  graph.valueInfo = new Map([...graph.valueInfo].map(([name, info]) => [name, bind(info)]));
}
