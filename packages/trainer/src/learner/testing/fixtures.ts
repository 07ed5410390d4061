/** Small learners for tests: a 4×4 MLP or a tiny ResNet classifier over generated, separable data. */
import { createClassifier } from "../../models/head/index.ts";
import { resnet18, SeededRandom } from "../../models/synthetic/index.ts";
import { tinyMlp, TINY_CLASSES, TINY_GROUPS } from "../../training/testing/tiny-models.ts";
import { ArrayBatchSource, type LearnerData } from "../data.ts";
import { Learner, type LearnerOptions } from "../learner.ts";
import { accuracy } from "../metrics.ts";

export const session = { intraOpNumThreads: 1 };

/** Images whose class is the colour channel with the largest mean, plus noise. */
export function separableArrays(count: number, size: number, classes: number, seed: number): { inputs: Float32Array; labels: BigInt64Array } {
  const random = new SeededRandom(seed);
  const pixels = 3 * size * size;
  const inputs = new Float32Array(count * pixels);
  const labels = new BigInt64Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % classes;
    for (let i = 0; i < pixels; i++) inputs[n * pixels + i] = random.normal() * 0.5 + (Math.floor(i / (size * size)) === label % 3 ? 1 : 0);
    labels[n] = BigInt(label);
  }
  return { inputs, labels };
}

export function separableData(options: { train?: number; valid?: number; size?: number; batchSize?: number; seed?: number } = {}): LearnerData {
  const { train = 24, valid = 12, size = 4, batchSize = 6, seed = 1 } = options;
  const t = separableArrays(train, size, TINY_CLASSES, seed);
  const v = separableArrays(valid, size, TINY_CLASSES, seed + 1000);
  return {
    train: new ArrayBatchSource(t.inputs, [3, size, size], t.labels, batchSize, { shuffle: true, dropLast: true, seed }),
    valid: new ArrayBatchSource(v.inputs, [3, size, size], v.labels, batchSize),
    classes: ["red", "green", "blue"],
  };
}

/** The 4×4 MLP with three layer groups [fc1, fc2, head]. */
export function mlpLearner(options: Partial<LearnerOptions> = {}): Learner {
  return new Learner({ data: separableData(), model: tinyMlp({ seed: 2 }), layerGroups: TINY_GROUPS, metrics: [accuracy], session, ...options });
}

/**
 * A ResNet-18 at width 1/8 and one block per stage, cut at its features, with a small new
 * head (16 hidden units, so dropout 0.2 rather than fastai's 0.5 meant for 512).
 */
export function tinyClassifier(size = 16, seed = 5) {
  return createClassifier(resnet18({ resolution: size, widthMultiplier: 0.125, depthMultiplier: 0.5, seed }).model, {
    classes: TINY_CLASSES,
    hidden: [16],
    dropout: 0.1,
    seed,
  });
}
