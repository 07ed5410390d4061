/**
 * Hyperparameter schedules as pure functions of the training position pos ∈ [0, 1]
 * (fraction of all training steps done), following fastai's callback/schedule.py.
 */

export type Schedule = (pos: number) => number;

function checkPosition(pos: number): void {
  if (!(pos >= 0 && pos <= 1)) throw new Error(`schedule position must be in [0, 1], got ${pos}`);
}

export function constantSchedule(value: number): Schedule {
  return (pos) => (checkPosition(pos), value);
}

export function linearSchedule(start: number, end: number): Schedule {
  return (pos) => (checkPosition(pos), start + pos * (end - start));
}

/** Half a cosine from start (pos 0) to end (pos 1): start + (1 + cos(π(1 − pos)))·(end − start)/2. */
export function cosineSchedule(start: number, end: number): Schedule {
  return (pos) => (checkPosition(pos), start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2);
}

/** value·gammaᵏ where k is how many milestones (positions in (0, 1]) pos has reached. */
export function stepSchedule(value: number, milestones: readonly number[], gamma: number): Schedule {
  for (const [i, m] of milestones.entries()) {
    if (!(m > 0 && m <= 1)) throw new Error(`stepSchedule.milestones[${i}] must be in (0, 1], got ${m}`);
  }
  return (pos) => {
    checkPosition(pos);
    return value * gamma ** milestones.filter((m) => pos >= m).length;
  };
}

/**
 * Runs schedules one after another: schedule i covers a fraction pcts[i] of training and sees
 * its own local position in [0, 1]. pcts must sum to 1.
 */
export function combineSchedules(pcts: readonly number[], schedules: readonly Schedule[]): Schedule {
  if (pcts.length !== schedules.length || pcts.length === 0) {
    throw new Error(`combineSchedules needs one fraction per schedule, got ${pcts.length} fractions and ${schedules.length} schedules`);
  }
  if (pcts.some((p) => !(p >= 0)) || Math.abs(pcts.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new Error(`combineSchedules fractions must be ≥ 0 and sum to 1, got [${pcts.join(", ")}]`);
  }
  const starts = pcts.map((_, i) => pcts.slice(0, i).reduce((a, b) => a + b, 0));
  return (pos) => {
    checkPosition(pos);
    if (pos === 1) return schedules[schedules.length - 1]!(1);
    // The last non-empty segment that starts at or before pos.
    let index = 0;
    for (let i = 0; i < pcts.length; i++) if (pcts[i]! > 0 && starts[i]! <= pos) index = i;
    const local = Math.min(1, (pos - starts[index]!) / pcts[index]!);
    return schedules[index]!(local);
  };
}

export interface OneCycleConfig {
  lrMax: number;
  /** Starting learning rate is lrMax / div. fastai default 25. */
  div?: number;
  /** Final learning rate is lrMax / divFinal. fastai default 1e5. */
  divFinal?: number;
  /** Fraction of training spent warming up. fastai default 0.25. */
  pctStart?: number;
  /** Momentum (or Adam β₁) at start, at the peak learning rate, at the end. fastai default [0.95, 0.85, 0.95]. */
  moms?: [number, number, number];
}

/** fastai's fit_one_cycle learning rate: cosine up from lrMax/div to lrMax, then cosine down to lrMax/divFinal. */
export function oneCycleLearningRate(config: OneCycleConfig): Schedule {
  const { lrMax, div = 25, divFinal = 1e5, pctStart = 0.25 } = checkOneCycle(config);
  return combineSchedules([pctStart, 1 - pctStart], [cosineSchedule(lrMax / div, lrMax), cosineSchedule(lrMax, lrMax / divFinal)]);
}

/** fastai's fit_one_cycle momentum: cosine from moms[0] down to moms[1], then back up to moms[2]. */
export function oneCycleMomentum(config: OneCycleConfig): Schedule {
  const { pctStart = 0.25, moms = [0.95, 0.85, 0.95] } = checkOneCycle(config);
  return combineSchedules([pctStart, 1 - pctStart], [cosineSchedule(moms[0], moms[1]), cosineSchedule(moms[1], moms[2])]);
}

function checkOneCycle(config: OneCycleConfig): OneCycleConfig {
  if (!(config.lrMax > 0)) throw new Error(`oneCycle.lrMax must be > 0, got ${config.lrMax}`);
  if (config.div !== undefined && !(config.div > 0)) throw new Error(`oneCycle.div must be > 0, got ${config.div}`);
  if (config.divFinal !== undefined && !(config.divFinal > 0)) throw new Error(`oneCycle.divFinal must be > 0, got ${config.divFinal}`);
  const pct = config.pctStart;
  if (pct !== undefined && !(pct >= 0 && pct <= 1)) throw new Error(`oneCycle.pctStart must be in [0, 1], got ${pct}`);
  return config;
}
