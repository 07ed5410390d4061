/**
 * SGD as in torch.optim.SGD (dampening 0), with optional decoupled weight decay (SGDW, fastai's
 * true_wd). Per parameter p with gradient g, learning rate lr, momentum μ:
 *   g ← g + wd·p                         (L2 weight decay, the PyTorch default)
 *   b ← μ·b + g                          (b starts at zero, so the first step gives b = g)
 *   d ← g + μ·b  (Nesterov)  or  d ← b
 *   p ← p·(1 − lr·wd) − lr·d             (decoupled weight decay)  or  p ← p − lr·d
 */
import type { Graph } from "../onnx/ir.ts";
import { UpdateEmitter } from "./emitter.ts";
import type { Optimizer, ParamSlot, UpdateInputs, UpdateOutputs } from "./optimizer.ts";
import { checkRange, nextName, requireLearningRate } from "./optimizer.ts";
import { decayFactors } from "./weight-decay.ts";

export interface SgdConfig {
  kind: "sgd";
  /** 0 disables the momentum buffer. */
  momentum?: number;
  nesterov?: boolean;
  /** true: p ← p·(1 − lr·wd) (SGDW); false: wd·p is added to the gradient (PyTorch). */
  decoupledWeightDecay?: boolean;
}

export function createSgd(config: SgdConfig): Optimizer {
  const momentum = config.momentum ?? 0;
  checkRange("sgd.momentum", momentum, 0, 1, "in [0, 1]");
  if (config.nesterov && momentum === 0) throw new Error("sgd.nesterov requires sgd.momentum > 0");
  const decoupled = config.decoupledWeightDecay ?? false;
  const nesterov = config.nesterov ?? false;
  return {
    kind: "sgd",
    stateSlots: (param) => (momentum > 0 ? [{ name: `${param}.momentum_buffer`, shape: "param" }] : []),
    emitUpdate(graph: Graph, inputs: UpdateInputs, params: readonly ParamSlot[]): UpdateOutputs {
      const e = new UpdateEmitter(graph, "optim");
      const mu = momentum > 0 ? (inputs.momentum ?? e.scalar(momentum)) : undefined;
      const factors = decoupled ? decayFactors(e, inputs, params) : undefined;
      const outputs: UpdateOutputs = { params: new Map(), state: new Map() };
      for (const slot of params) {
        const lr = requireLearningRate(inputs, slot);
        const p = slot.param;
        let g = slot.gradient;
        if (!decoupled && slot.weightDecay !== 0) {
          // g ← g + wd·p
          g = e.op("Add", [g, e.op("Mul", [p, e.scalar(slot.weightDecay)], `${p}/wd_p`)], `${p}/g_l2`);
        }
        let direction = g;
        if (mu !== undefined) {
          const buffer = `${p}.momentum_buffer`;
          // b ← μ·b + g
          const next = e.opTo("Add", [e.op("Mul", [buffer, mu], `${p}/mu_b`), g], nextName(buffer));
          outputs.state.set(buffer, next);
          // d ← g + μ·b (Nesterov) or d ← b
          direction = nesterov ? e.op("Add", [g, e.op("Mul", [next, mu], `${p}/mu_b_next`)], `${p}/nesterov`) : next;
        }
        const step = e.op("Mul", [direction, lr], `${p}/lr_d`);
        const factor = factors?.get(slot);
        const base = factor === undefined ? p : e.op("Mul", [p, factor], `${p}/decayed`);
        outputs.params.set(p, e.opTo("Sub", [base, step], nextName(p)));
      }
      return outputs;
    },
  };
}
