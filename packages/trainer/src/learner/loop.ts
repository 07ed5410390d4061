/**
 * The fit loop: fit → epoch → (train → batch…) (validate → batch…), firing named events.
 * It only steps the trainer and measures; everything else is a callback.
 */
import * as ort from "onnxruntime-node";
import { type Callback, sortCallbacks, withEvents } from "./events.ts";
import type { LearnerBatch } from "./data.ts";
import type { Learner } from "./learner.ts";
import { type FitState, type Hyperparameters, SmoothLoss } from "./state.ts";

export function batchTensors(batch: LearnerBatch): { input: ort.Tensor; labels: ort.Tensor } {
  return { input: new ort.Tensor("float32", batch.input, batch.shape), labels: new ort.Tensor("int64", batch.labels, batch.labelShape ?? [batch.shape[0]]) };
}

/** One-hot rows [B, classes] for labels. */
export function oneHotRows(labels: BigInt64Array, classes: number): Float32Array {
  const rows = new Float32Array(labels.length * classes);
  labels.forEach((label, n) => (rows[n * classes + Number(label)] = 1));
  return rows;
}

/** What the train step is fed: labels, or soft target rows when the learner's loss takes them. */
function trainTensors(batch: LearnerBatch, learner: Learner): { input: ort.Tensor; labels: ort.Tensor } {
  const { input, labels } = batchTensors(batch);
  if (!learner.softTargets) {
    if (batch.targets)
      throw new Error(
        "a callback gave soft targets (mixup) but the learner's loss takes labels; give that callback to the Learner's callbacks, not to one fit",
      );
    return { input, labels };
  }
  const classes = learner.classCount;
  return { input, labels: new ort.Tensor("float32", batch.targets ?? oneHotRows(batch.labels, classes), [batch.shape[0], classes]) };
}

export interface RunFitOptions {
  /** Validate after each epoch (default true). lr_find has no use for it: its epochs only train. */
  validate?: boolean;
}

export async function runFit(learner: Learner, epochs: number, hyper: Hyperparameters, extra: readonly Callback[], options: RunFitOptions = {}): Promise<void> {
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`epochs must be an integer ≥ 0, got ${epochs}`);
  const callbacks = sortCallbacks([...learner.callbacks, ...extra]);
  const trainBatches = learner.data.train.length;
  if (trainBatches === 0) throw new Error("data.train yields no batches (fewer items than one batch?)");
  const state: FitState = {
    learner,
    epochs,
    epoch: 0,
    training: false,
    trainBatches,
    validates: options.validate ?? true,
    iteration: 0,
    trainIteration: 0,
    pctTrain: 0,
    hyper: { learningRates: [...hyper.learningRates], momentum: hyper.momentum },
    batchSize: 0,
    loss: Number.NaN,
    smoothLoss: Number.NaN,
    trainLoss: Number.NaN,
    epochStart: Date.now(),
  };
  const smooth = new SmoothLoss(0.98);
  await withEvents(callbacks, "Fit", state, async () => {
    for (let epoch = 0; epoch < epochs; epoch++) {
      state.epoch = epoch;
      state.epochStart = Date.now();
      state.validation = undefined;
      const dataEpoch = learner.nextDataEpoch();
      await withEvents(callbacks, "Epoch", state, async () => {
        await trainPhase(callbacks, state, dataEpoch, smooth);
        if (state.validates) await validatePhase(callbacks, state);
      });
    }
  });
}

async function trainPhase(callbacks: Callback[], state: FitState, dataEpoch: number, smooth: SmoothLoss): Promise<void> {
  const { learner } = state;
  const total = state.epochs * state.trainBatches;
  let lossSum = 0;
  let items = 0;
  state.training = true;
  state.iteration = 0;
  await withEvents(callbacks, "Train", state, async () => {
    for await (const raw of learner.data.train.epoch(dataEpoch)) {
      state.batchSize = raw.shape[0];
      await withEvents(callbacks, "Batch", state, async () => {
        try {
          let batch = raw;
          for (const cb of callbacks) if (cb.transformBatch) batch = cb.transformBatch(batch, state);
          const { input, labels } = trainTensors(batch, learner);
          const { loss } = await learner.trainer.step(input, labels, state.hyper.learningRates, state.hyper.momentum);
          state.loss = loss;
          state.smoothLoss = smooth.add(loss);
          lossSum += loss * batch.shape[0];
          items += batch.shape[0];
          state.trainLoss = lossSum / items;
        } finally {
          // As fastai's TrainEvalCallback: counted before any afterBatch handler runs, cancelled or not.
          state.trainIteration++;
          state.pctTrain = Math.min(state.trainIteration / total, 1);
        }
      });
      state.iteration++;
    }
  });
  state.training = false;
}

async function validatePhase(callbacks: Callback[], state: FitState): Promise<void> {
  const { learner } = state;
  state.iteration = 0;
  await withEvents(callbacks, "Validate", state, async () => {
    const collector = learner.validationCollector();
    for await (const batch of learner.data.valid.epoch(0)) {
      state.batchSize = batch.shape[0];
      await withEvents(callbacks, "Batch", state, async () => {
        const { input, labels } = batchTensors(batch);
        const { loss, logits } = await learner.trainer.evaluate(input, labels);
        state.loss = loss;
        collector.add(logits.data as Float32Array, batch, loss);
      });
      state.iteration++;
    }
    state.validation = { loss: collector.loss, metrics: collector.metrics() };
  });
}
