/**
 * Sweeps as pure functions: the settings overrides of each run of a grid or random search.
 * Keys are settings paths ("learningRate", "augmentation.maxRotate"); every resulting run is
 * validated like a single launch afterwards.
 */
import { badInput } from "@runboard/db";
import { augmentationSchema, trainingSettingsSchema } from "@runboard/queue";

export interface SweepParameter {
  key: string;
  values?: unknown[] | null;
  min?: number | null;
  max?: number | null;
  log?: boolean | null;
  integer?: boolean | null;
}

export type Overrides = Record<string, unknown>;

export const SWEEPABLE_KEYS: readonly string[] = [
  ...Object.keys(trainingSettingsSchema.shape).filter((key) => key !== "augmentation"),
  ...Object.keys(augmentationSchema.shape).map((key) => `augmentation.${key}`),
];

export const MAX_SWEEP_RUNS = 500;

export function checkSweepParameters(parameters: SweepParameter[], method: "GRID" | "RANDOM"): void {
  if (parameters.length === 0) throw badInput("input.parameters", "must hold at least one parameter");
  const seen = new Set<string>();
  parameters.forEach((p, i) => {
    const field = `input.parameters.${i}`;
    if (!SWEEPABLE_KEYS.includes(p.key)) throw badInput(`${field}.key`, `must be one of ${SWEEPABLE_KEYS.join(", ")}`);
    if (seen.has(p.key)) throw badInput(`${field}.key`, `${p.key} is swept twice`);
    seen.add(p.key);
    const hasValues = p.values !== undefined && p.values !== null;
    const hasRange = p.min !== undefined && p.min !== null && p.max !== undefined && p.max !== null;
    if (hasValues && p.values!.length === 0) throw badInput(`${field}.values`, "must hold at least one value");
    if (method === "GRID" && !hasValues) throw badInput(`${field}.values`, "a grid sweep needs values");
    if (!hasValues && !hasRange) throw badInput(field, "give values, or min and max");
    if (hasRange && !(p.min! <= p.max!)) throw badInput(`${field}.max`, "must be ≥ min");
    if (hasRange && p.log && !(p.min! > 0)) throw badInput(`${field}.min`, "must be > 0 for a log range");
  });
}

/** Every combination, the first parameter varying slowest. */
export function gridOverrides(parameters: SweepParameter[]): Overrides[] {
  let combinations: Overrides[] = [{}];
  for (const p of parameters) {
    const values = p.values ?? [];
    combinations = combinations.flatMap((partial) => values.map((value) => ({ ...partial, [p.key]: value })));
    if (combinations.length > MAX_SWEEP_RUNS) throw badInput("input.parameters", `a grid must hold at most ${MAX_SWEEP_RUNS} runs`);
  }
  return combinations;
}

/** mulberry32: a small seeded generator, so a sweep's draws are reproducible from its seed. */
function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(p: SweepParameter, uniform: () => number): unknown {
  if (p.values !== undefined && p.values !== null) return p.values[Math.floor(uniform() * p.values.length)];
  const min = p.min!;
  const max = p.max!;
  // Log-uniform: uniform in log space, so each decade of learning rates is drawn equally often.
  const value = p.log ? Math.exp(Math.log(min) + uniform() * (Math.log(max) - Math.log(min))) : min + uniform() * (max - min);
  return p.integer ? Math.round(value) : value;
}

export function randomOverrides(parameters: SweepParameter[], trials: number, seed: number): Overrides[] {
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_SWEEP_RUNS) throw badInput("input.trials", `must be a whole number from 1 to ${MAX_SWEEP_RUNS}`);
  const uniform = seededUniform(seed);
  return Array.from({ length: trials }, () => Object.fromEntries(parameters.map((p) => [p.key, draw(p, uniform)])));
}

/** Settings with dotted-path overrides applied (a copy). */
export function applyOverrides(settings: Record<string, unknown>, overrides: Overrides): Record<string, unknown> {
  const result: Record<string, unknown> = { ...settings };
  for (const [path, value] of Object.entries(overrides)) {
    const [head, tail] = path.split(".", 2) as [string, string | undefined];
    if (tail === undefined) result[head] = value;
    else result[head] = { ...((result[head] as Record<string, unknown> | undefined) ?? {}), [tail]: value };
  }
  return result;
}

/** "learningRate=0.001 batchSize=32": what tells the runs of a sweep apart in their names. */
export function describeOverrides(overrides: Overrides): string {
  return Object.entries(overrides)
    .map(([key, value]) => `${key}=${typeof value === "number" ? Number(value.toPrecision(3)) : JSON.stringify(value)}`)
    .join(" ");
}
