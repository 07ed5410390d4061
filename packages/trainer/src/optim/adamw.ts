/**
 * AdamW as in torch.optim.AdamW (amsgrad off). Per parameter, at its step t with learning rate lr:
 *   m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
 *   p ← p·(1 − lr·wd) − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * Like PyTorch, each parameter counts its own steps (state "step"): a parameter unfrozen late
 * starts its bias correction at t = 1, so its first updates are not oversized. The bias
 * corrections are scalars, a handful of tiny ops per parameter.
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

interface AdamScalars {
  one: string;
  b1: string;
  b2: string;
  oneMinusB1: string;
  oneMinusB2: string;
  epsilon: string;
}

export function createAdamW(config: AdamWConfig): Optimizer {
  const [beta1, beta2] = config.betas ?? [0.9, 0.999];
  const eps = config.eps ?? 1e-8;
  checkRange("adamw.betas[0]", beta1, 0, 0.999999, "in [0, 1)");
  checkRange("adamw.betas[1]", beta2, 0, 0.999999, "in [0, 1)");
  checkRange("adamw.eps", eps, 0, 1, "in [0, 1]");
  return {
    kind: "adamw",
    stateSlots: (param) => [
      { name: `${param}.exp_avg`, shape: "param" },
      { name: `${param}.exp_avg_sq`, shape: "param" },
      { name: `${param}.step`, shape: "scalar" },
    ],
    emitUpdate(graph: Graph, inputs: UpdateInputs, params: readonly ParamSlot[]): UpdateOutputs {
      const e = new UpdateEmitter(graph, "optim");
      const b1 = inputs.momentum ?? e.scalar(beta1);
      const scalars: AdamScalars = {
        one: e.scalar(1),
        b1,
        b2: e.scalar(beta2),
        oneMinusB1: e.op("Sub", [e.scalar(1), b1], "one_minus_beta1"),
        oneMinusB2: e.scalar(1 - beta2),
        epsilon: e.scalar(eps),
      };
      const factors = decayFactors(e, inputs, params);
      const outputs: UpdateOutputs = { params: new Map(), state: new Map() };
      for (const slot of params) {
        const stepped = emitParamUpdate(e, scalars, requireLearningRate(inputs, slot), slot, factors.get(slot));
        outputs.params.set(slot.param, stepped.param);
        for (const [state, next] of stepped.state) outputs.state.set(state, next);
      }
      return outputs;
    },
  };
}

function emitParamUpdate(e: UpdateEmitter, s: AdamScalars, lr: string, slot: ParamSlot, decayFactor: string | undefined) {
  const { param: p, gradient: g } = slot;
  const [m, v, t] = [`${p}.exp_avg`, `${p}.exp_avg_sq`, `${p}.step`];
  const tNext = e.opTo("Add", [t, s.one], nextName(t));
  // lr / (1 − β₁ᵗ) and 1 / √(1 − β₂ᵗ)
  const bias1 = e.op("Sub", [s.one, e.op("Pow", [s.b1, tNext], `${p}/beta1_pow_t`)], `${p}/bias_correction1`);
  const bias2 = e.op("Sub", [s.one, e.op("Pow", [s.b2, tNext], `${p}/beta2_pow_t`)], `${p}/bias_correction2`);
  const stepSize = e.op("Div", [lr, bias1], `${p}/step_size`);
  const invSqrtBias2 = e.op("Reciprocal", [e.op("Sqrt", [bias2], `${p}/sqrt_bias_correction2`)], `${p}/inv_sqrt_bias_correction2`);

  const mNext = e.opTo("Add", [e.op("Mul", [m, s.b1], `${p}/b1_m`), e.op("Mul", [g, s.oneMinusB1], `${p}/g_scaled`)], nextName(m));
  const gSquared = e.op("Mul", [g, g], `${p}/g_squared`);
  const vNext = e.opTo("Add", [e.op("Mul", [v, s.b2], `${p}/b2_v`), e.op("Mul", [gSquared, s.oneMinusB2], `${p}/g2_scaled`)], nextName(v));
  // √v / √(1 − β₂ᵗ) + ε
  const sqrtV = e.op("Sqrt", [vNext], `${p}/sqrt_v`);
  const denom = e.op("Add", [e.op("Mul", [sqrtV, invSqrtBias2], `${p}/sqrt_v_hat`), s.epsilon], `${p}/denom`);
  const step = e.op("Mul", [e.op("Div", [mNext, denom], `${p}/m_over_denom`), stepSize], `${p}/step_value`);
  const base = decayFactor === undefined ? p : e.op("Mul", [p, decayFactor], `${p}/decayed`);
  const param = e.opTo("Sub", [base, step], nextName(p));
  return {
    param,
    state: new Map([
      [m, mNext],
      [v, vNext],
      [t, tNext],
    ]),
  };
}
