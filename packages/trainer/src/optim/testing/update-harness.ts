/**
 * Runs an optimizer's emitted update graph in ONNX Runtime for several steps, feeding the new
 * parameters and state back in, so tests can compare it with a plain JS reference.
 */
import * as ort from "onnxruntime-node";
import type { Graph } from "../../onnx/ir.ts";
import { createModel, emptyGraph } from "../../onnx/ir.ts";
import { encodeModel } from "../../onnx/serialize.ts";
import type { Optimizer, ParamSlot } from "../optimizer.ts";

export interface HarnessParam {
  name: string;
  values: number[];
  group: number;
  weightDecay: number;
}

export interface HarnessStep {
  /** Gradient values per parameter, in the order of the params. */
  gradients: number[][];
  learningRates: number[];
  momentum?: number;
}

function floatInput(graph: Graph, name: string, shape: number[]): void {
  graph.inputs.push({ name, dataType: "float32", shape });
}

/** Returns the parameter values after each step. */
export async function runUpdates(optimizer: Optimizer, params: HarnessParam[], steps: HarnessStep[], scheduledMomentum = false): Promise<number[][][]> {
  const graph = emptyGraph("update");
  const groupCount = Math.max(...params.map((p) => p.group)) + 1;
  const learningRates = Array.from({ length: groupCount }, (_, i) => `lr_${i}`);
  learningRates.forEach((lr) => floatInput(graph, lr, []));
  if (scheduledMomentum) floatInput(graph, "momentum", []);
  const slots: ParamSlot[] = params.map((p) => ({ param: p.name, gradient: `${p.name}.grad`, group: p.group, weightDecay: p.weightDecay }));
  for (const p of params) {
    floatInput(graph, p.name, [p.values.length]);
    floatInput(graph, `${p.name}.grad`, [p.values.length]);
    for (const s of optimizer.stateSlots(p.name)) floatInput(graph, s.name, s.shape === "param" ? [p.values.length] : []);
  }
  const update = optimizer.emitUpdate(graph, { learningRates, momentum: scheduledMomentum ? "momentum" : undefined }, slots);
  for (const name of [...update.params.values(), ...update.state.values()]) graph.outputs.push({ name, dataType: "float32" });
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: 1 });

  const vector = (values: ArrayLike<number>) => new ort.Tensor("float32", Float32Array.from(values), [values.length]);
  const scalar = (value: number) => new ort.Tensor("float32", Float32Array.of(value), []);
  const current: Record<string, ort.Tensor> = {};
  for (const p of params) {
    current[p.name] = vector(p.values);
    for (const s of optimizer.stateSlots(p.name)) current[s.name] = s.shape === "param" ? vector(new Float32Array(p.values.length)) : scalar(0);
  }
  const history: number[][][] = [];
  for (const step of steps) {
    const feeds: Record<string, ort.Tensor> = { ...current };
    step.learningRates.forEach((lr, i) => (feeds[`lr_${i}`] = scalar(lr)));
    if (scheduledMomentum) feeds.momentum = scalar(step.momentum ?? 0);
    params.forEach((p, i) => (feeds[`${p.name}.grad`] = vector(step.gradients[i]!)));
    const results = await session.run(feeds);
    for (const [name, next] of [...update.params, ...update.state]) current[name] = results[next]!;
    history.push(params.map((p) => Array.from(current[p.name]!.data as Float32Array)));
  }
  await session.release();
  return history;
}
