/**
 * Decoupled weight decay multiplies a parameter by (1 − lr·wd) before its update. The factor
 * depends only on the group's learning rate and the decay, so it is computed once per pair.
 */
import type { UpdateEmitter } from "./emitter.ts";
import type { ParamSlot, UpdateInputs } from "./optimizer.ts";
import { requireLearningRate } from "./optimizer.ts";

/** For each slot with weight decay, the scalar tensor holding its (1 − lr·wd). */
export function decayFactors(e: UpdateEmitter, inputs: UpdateInputs, params: readonly ParamSlot[]): Map<ParamSlot, string> {
  const byKey = new Map<string, string>();
  const factors = new Map<ParamSlot, string>();
  for (const slot of params) {
    if (slot.weightDecay === 0) continue;
    const key = `${slot.group}:${slot.weightDecay}`;
    let factor = byKey.get(key);
    if (factor === undefined) {
      const lr = requireLearningRate(inputs, slot);
      const lrTimesDecay = e.op("Mul", [lr, e.scalar(slot.weightDecay)], `group${slot.group}/lr_wd_${byKey.size}`);
      // 1 − lr·wd
      factor = e.op("Sub", [e.scalar(1), lrTimesDecay], `group${slot.group}/decay_factor_${byKey.size}`);
      byKey.set(key, factor);
    }
    factors.set(slot, factor);
  }
  return factors;
}
