/**
 * The fit loop's vocabulary: named events (fit → epoch → train / validate → batch, each with
 * before, after and after-cancel), typed cancel exceptions, and the Callback contract.
 * Callbacks run in ascending `order` (ties: the order they were given), like fastai's.
 */
import type { FitState } from "./state.ts";
import type { LearnerBatch } from "./data.ts";

export type Phase = "Fit" | "Epoch" | "Train" | "Validate" | "Batch";
export type EventName = `before${Phase}` | `after${Phase}` | `afterCancel${Phase}`;

/** Skips the rest of this batch (after its step, or the step itself from beforeBatch). */
export class CancelBatch extends Error {
  constructor(reason = "batch cancelled") {
    super(reason);
    this.name = "CancelBatch";
  }
}

export class CancelTrain extends Error {
  constructor(reason = "training phase cancelled") {
    super(reason);
    this.name = "CancelTrain";
  }
}

export class CancelValidate extends Error {
  constructor(reason = "validation cancelled") {
    super(reason);
    this.name = "CancelValidate";
  }
}

export class CancelEpoch extends Error {
  constructor(reason = "epoch cancelled") {
    super(reason);
    this.name = "CancelEpoch";
  }
}

export class CancelFit extends Error {
  constructor(reason = "fit cancelled") {
    super(reason);
    this.name = "CancelFit";
  }
}

export const CANCEL_OF: Record<Phase, new (reason?: string) => Error> = {
  Fit: CancelFit,
  Epoch: CancelEpoch,
  Train: CancelTrain,
  Validate: CancelValidate,
  Batch: CancelBatch,
};

type Handler = (state: FitState) => void | Promise<void>;

export type Callback = { readonly name: string; readonly order?: number } & Partial<Record<EventName, Handler>> & {
    /** The train step must take soft target rows (mixup): set on a Learner's own callbacks. */
    readonly needsSoftTargets?: boolean;
    /** Replaces a training batch before the step (mixup); never called on validation batches. */
    transformBatch?(batch: LearnerBatch, state: FitState): LearnerBatch;
  };

/** Stable sort by order (default 0). */
export function sortCallbacks(callbacks: readonly Callback[]): Callback[] {
  return callbacks
    .map((cb, i) => ({ cb, i }))
    .sort((a, b) => (a.cb.order ?? 0) - (b.cb.order ?? 0) || a.i - b.i)
    .map((x) => x.cb);
}

export async function fire(callbacks: readonly Callback[], event: EventName, state: FitState): Promise<void> {
  for (const callback of callbacks) await callback[event]?.(state);
}

/**
 * fastai's _with_events: before, body, and after — also when the body raised this phase's
 * cancel exception (then afterCancel first). Other errors propagate without after.
 */
export async function withEvents(callbacks: readonly Callback[], phase: Phase, state: FitState, body: () => Promise<void>): Promise<void> {
  try {
    await fire(callbacks, `before${phase}`, state);
    await body();
  } catch (error) {
    if (!(error instanceof CANCEL_OF[phase])) throw error;
    await fire(callbacks, `afterCancel${phase}`, state);
  }
  await fire(callbacks, `after${phase}`, state);
}
