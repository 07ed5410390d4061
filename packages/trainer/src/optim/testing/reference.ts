/** Plain JS references of the PyTorch update rules, in float64, one parameter at a time. */

export interface ReferenceStep {
  gradient: number[];
  lr: number;
  momentum: number;
  t: number;
}

export interface SgdReference {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  decoupled: boolean;
}

export function sgdReference(config: SgdReference, initial: number[], steps: ReferenceStep[]): number[][] {
  const p = [...initial];
  const buffer = p.map(() => 0);
  const history: number[][] = [];
  for (const { gradient, lr, momentum } of steps) {
    for (let i = 0; i < p.length; i++) {
      let g = gradient[i]!;
      if (!config.decoupled) g += config.weightDecay * p[i]!;
      let d = g;
      if (momentum > 0) {
        buffer[i] = momentum * buffer[i]! + g;
        d = config.nesterov ? g + momentum * buffer[i]! : buffer[i]!;
      }
      const decay = config.decoupled ? 1 - lr * config.weightDecay : 1;
      p[i] = p[i]! * decay - lr * d;
    }
    history.push([...p]);
  }
  return history;
}

export interface AdamWReference {
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** torch.optim.AdamW; the step's `momentum` is β₁. */
export function adamWReference(config: AdamWReference, initial: number[], steps: ReferenceStep[]): number[][] {
  const p = [...initial];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const history: number[][] = [];
  for (const { gradient, lr, momentum: beta1, t } of steps) {
    const bias1 = 1 - beta1 ** t;
    const bias2 = 1 - config.beta2 ** t;
    for (let i = 0; i < p.length; i++) {
      const g = gradient[i]!;
      p[i] = p[i]! * (1 - lr * config.weightDecay);
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = config.beta2 * v[i]! + (1 - config.beta2) * g * g;
      const denom = Math.sqrt(v[i]!) / Math.sqrt(bias2) + config.eps;
      p[i] = p[i]! - (lr / bias1) * (m[i]! / denom);
    }
    history.push([...p]);
  }
  return history;
}

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32). */
export function randomValues(seed: number, count: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return (((r ^ (r >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  });
}
