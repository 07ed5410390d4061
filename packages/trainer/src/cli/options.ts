/** Command-line flags: parsed with node:util parseArgs, validated with errors that name the flag. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXECUTION_PROVIDERS, type ExecutionProvider, type SessionOptions } from "../runtime/index.ts";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type FlagValues = Record<string, string | boolean | undefined>;

export function parseFlags(args: string[], options: NonNullable<ParseArgsConfig["options"]>): { values: FlagValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function raw(values: FlagValues, flag: string): string | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`--${flag} needs a value`);
  return value;
}

export function numberFlag(
  values: FlagValues,
  flag: string,
  fallback: number,
  rule: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const text = raw(values, flag);
  if (text === undefined) return fallback;
  const value = Number(text);
  const lower = rule.min === undefined ? "" : `${rule.exclusiveMin ? ">" : "≥"} ${rule.min}`;
  const range =
    rule.min !== undefined && rule.max !== undefined && !rule.exclusiveMin
      ? `from ${rule.min} to ${rule.max}`
      : [lower, rule.max === undefined ? "" : `≤ ${rule.max}`].filter(Boolean).join(" and ");
  const describe = `${rule.integer ? "an integer" : "a number"}${range ? ` ${range}` : ""}`;
  const bad =
    text.trim() === "" ||
    !Number.isFinite(value) ||
    (rule.integer && !Number.isInteger(value)) ||
    (rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min)) ||
    (rule.max !== undefined && value > rule.max);
  if (bad) throw new UsageError(`--${flag} must be ${describe}, got '${text}'`);
  return value;
}

export function optionalNumberFlag(values: FlagValues, flag: string, rule: Parameters<typeof numberFlag>[3] = {}): number | undefined {
  return values[flag] === undefined ? undefined : numberFlag(values, flag, 0, rule);
}

export function stringFlag(values: FlagValues, flag: string): string | undefined {
  return raw(values, flag);
}

export function listFlag(values: FlagValues, flag: string, fallback: string[]): string[] {
  const text = raw(values, flag);
  if (text === undefined) return fallback;
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${flag} must be a comma-separated list, got '${text}'`);
  return items;
}

/** --size 224 or --size 160x224 (height×width). */
export function sizeFlag(values: FlagValues, flag: string): [number, number] | undefined {
  const text = raw(values, flag);
  if (text === undefined) return undefined;
  const match = /^(\d+)(?:x(\d+))?$/.exec(text);
  const [h, w] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [0, 0];
  if (!match || h < 8 || w < 8 || h > 4096 || w > 4096)
    throw new UsageError(`--${flag} must be a size in pixels from 8 to 4096, as 224 or 160x224, got '${text}'`);
  return [h, w];
}

/** --provider and --threads: where ONNX Runtime runs (CPU when the provider cannot run here, with a message). */
export const RUNTIME_FLAGS = {
  threads: { type: "string" },
  provider: { type: "string" },
} as const;

export const RUNTIME_USAGE = `--provider NAME      ONNX Runtime execution provider: cpu (default), webgpu or cuda; CPU when it cannot run
  --threads N          ONNX Runtime threads per operator (default: one per core)`;

export function sessionOptionsOf(values: FlagValues): SessionOptions {
  const threads = numberFlag(values, "threads", 0, { integer: true, min: 0, max: 256 });
  const provider = raw(values, "provider");
  if (provider !== undefined && !(EXECUTION_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider must be one of ${EXECUTION_PROVIDERS.join(", ")}, got '${provider}'`);
  }
  return { intraOpNumThreads: threads, ...(provider === undefined ? {} : { executionProvider: provider as ExecutionProvider }) };
}
