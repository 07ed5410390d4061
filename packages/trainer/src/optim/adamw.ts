/**
 * AdamW as in torch.optim.AdamW (amsgrad off). Per parameter, at step t with learning rate lr:
 *   m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
 *   p ← p·(1 − lr·wd) − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * The bias corrections depend only on t (and on lr per group), so they are scalars computed once.
 */
import type { Graph } from "../onnx/ir.ts";
import { UpdateEmitter } from "./emitter.ts";
import type { Optimizer, ParamSlot, UpdateInputs, UpdateOutputs } from "./optimizer.ts";
import { checkRange, nextName, requireLearningRate } from "./optimizer.ts";
import { decayFactors } from "./weight-decay.ts";

export interface AdamWConfig {
  kind: "adamw";
  /** [β₁, β₂]; default [0.9, 0.999]. A scheduled momentum input replaces β₁. */
  betas?: [number, number];
  /** default 1e-8 */
  eps?: number;
}

export function createAdamW(config: AdamWConfig): Optimizer {
  const [beta1, beta2] = config.betas ?? [0.9, 0.999];
  const eps = config.eps ?? 1e-8;
  checkRange("adamw.betas[0]", beta1, 0, 0.999999, "in [0, 1)");
  checkRange("adamw.betas[1]", beta2, 0, 0.999999, "in [0, 1)");
  checkRange("adamw.eps", eps, 0, 1, "in [0, 1]");
  return {
    kind: "adamw",
    stateNames: (param) => [`${param}.exp_avg`, `${param}.exp_avg_sq`],
    emitUpdate(graph: Graph, inputs: UpdateInputs, params: readonly ParamSlot[]): UpdateOutputs {
      const e = new UpdateEmitter(graph, "optim");
      const one = e.scalar(1);
      const b1 = inputs.momentum ?? e.scalar(beta1);
      const b2 = e.scalar(beta2);
      const oneMinusB1 = e.op("Sub", [one, b1], "one_minus_beta1");
      const oneMinusB2 = e.scalar(1 - beta2);
      // 1 − β₁ᵗ and 1/√(1 − β₂ᵗ)
      const bias1 = e.op("Sub", [one, e.op("Pow", [b1, inputs.step], "beta1_pow_t")], "bias_correction1");
      const bias2 = e.op("Sub", [one, e.op("Pow", [b2, inputs.step], "beta2_pow_t")], "bias_correction2");
      const invSqrtBias2 = e.op("Reciprocal", [e.op("Sqrt", [bias2], "sqrt_bias_correction2")], "inv_sqrt_bias_correction2");
      const stepSizes = new Map<number, string>();
      const factors = decayFactors(e, inputs, params);
      const epsilon = e.scalar(eps);
      const outputs: UpdateOutputs = { params: new Map(), state: new Map() };
      for (const slot of params) {
        let stepSize = stepSizes.get(slot.group);
        if (stepSize === undefined) {
          // lr / (1 − β₁ᵗ)
          stepSize = e.op("Div", [requireLearningRate(inputs, slot), bias1], `group${slot.group}/step_size`);
          stepSizes.set(slot.group, stepSize);
        }
        const { param: p, gradient: g } = slot;
        const m = `${p}.exp_avg`;
        const v = `${p}.exp_avg_sq`;
        const mNext = e.opTo("Add", [e.op("Mul", [m, b1], `${p}/b1_m`), e.op("Mul", [g, oneMinusB1], `${p}/g_scaled`)], nextName(m));
        const gSquared = e.op("Mul", [g, g], `${p}/g_squared`);
        const vNext = e.opTo("Add", [e.op("Mul", [v, b2], `${p}/b2_v`), e.op("Mul", [gSquared, oneMinusB2], `${p}/g2_scaled`)], nextName(v));
        outputs.state.set(m, mNext);
        outputs.state.set(v, vNext);
        // √v / √(1 − β₂ᵗ) + ε
        const denom = e.op("Add", [e.op("Mul", [e.op("Sqrt", [vNext], `${p}/sqrt_v`), invSqrtBias2], `${p}/sqrt_v_hat`), epsilon], `${p}/denom`);
        const step = e.op("Mul", [e.op("Div", [mNext, denom], `${p}/m_over_denom`), stepSize], `${p}/step`);
        const factor = factors.get(slot);
        const base = factor === undefined ? p : e.op("Mul", [p, factor], `${p}/decayed`);
        outputs.params.set(p, e.opTo("Sub", [base, step], nextName(p)));
      }
      return outputs;
    },
  };
}
