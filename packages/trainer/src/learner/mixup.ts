/**
 * MixUp (Zhang et al. 2018; fastai's MixUp callback): each training image becomes
 * λ·x + (1 − λ)·x_π for a shuffled partner π, λ ~ Beta(α, α) per image, folded to λ ≥ 0.5,
 * and its target the row λ·onehot(y) + (1 − λ)·onehot(y_π). Cross-entropy is linear in the
 * target, so the loss is exactly fastai's λ·CE(y) + (1 − λ)·CE(y_π). Give it to the Learner's
 * callbacks: the learner then builds a train step that takes soft targets.
 */
import { SeededRandom } from "../models/synthetic/random.ts";
import type { LearnerBatch } from "./data.ts";
import type { Callback } from "./events.ts";
import type { FitState } from "./state.ts";

/** Marsaglia–Tsang gamma sampler; shape < 1 via Gamma(a) = Gamma(a + 1)·U^(1/a). */
export function sampleGamma(random: SeededRandom, shape: number): number {
  if (shape < 1) return sampleGamma(random, shape + 1) * random.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = random.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random.next()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function sampleBeta(random: SeededRandom, alpha: number): number {
  const a = sampleGamma(random, alpha);
  const b = sampleGamma(random, alpha);
  return a / (a + b);
}

export class MixUp implements Callback {
  readonly name = "mixup";
  readonly order = 90;
  readonly needsSoftTargets = true;
  private readonly random: SeededRandom;

  constructor(
    private readonly alpha = 0.4,
    seed = 0,
  ) {
    if (!(alpha > 0)) throw new Error(`MixUp: alpha must be > 0, got ${alpha}`);
    this.random = new SeededRandom(seed);
  }

  transformBatch(batch: LearnerBatch, state: FitState): LearnerBatch {
    const classes = state.learner.classCount;
    const [n, c, h, w] = batch.shape;
    const size = c * h * w;
    const partner = this.permutation(n);
    const input = new Float32Array(batch.input.length);
    const targets = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) {
      const draw = sampleBeta(this.random, this.alpha);
      const lambda = Math.max(draw, 1 - draw);
      const j = partner[i]!;
      for (let k = 0; k < size; k++) input[i * size + k] = lambda * batch.input[i * size + k]! + (1 - lambda) * batch.input[j * size + k]!;
      targets[i * classes + Number(batch.labels[i]!)]! += lambda;
      targets[i * classes + Number(batch.labels[j]!)]! += 1 - lambda;
    }
    return { input, shape: batch.shape, labels: batch.labels, targets };
  }

  private permutation(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  }
}
