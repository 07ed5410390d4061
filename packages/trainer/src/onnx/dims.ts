/**
 * Arithmetic on shape dimensions that may be fixed (3), symbolic ("batch") or unknown (null).
 * Every helper keeps a symbolic dim only when the result is provably that same dim.
 */
import type { DataType, Dim } from "./ir.ts";

/** numpy broadcasting of several shapes; undefined when any rank is unknown. */
export function broadcastShapes(shapes: readonly (readonly Dim[] | undefined)[]): Dim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const known = shapes as readonly (readonly Dim[])[];
  const rank = Math.max(0, ...known.map((s) => s.length));
  const result: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const column = known.map((s) => s[s.length - rank + i]).filter((d): d is Dim => d !== undefined);
    result.push(broadcastDim(column));
  }
  return result;
}

function broadcastDim(dims: readonly Dim[]): Dim {
  // A literal 1 stretches to anything; any other fixed size wins.
  const others = dims.filter((d) => d !== 1);
  if (others.length === 0) return 1;
  const fixed = others.find((d) => typeof d === "number");
  if (fixed !== undefined) return fixed;
  const first = others[0] ?? null;
  return others.every((d) => d === first) ? first : null;
}

/** Product of dims: a number when all are fixed, the dim itself for a single one, else null. */
export function productOfDims(dims: readonly Dim[]): Dim {
  const symbolic = dims.filter((d) => typeof d !== "number");
  const fixed = dims.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
  if (symbolic.length === 0) return fixed;
  if (symbolic.length === 1 && fixed === 1) return symbolic[0] ?? null;
  return null;
}

/** Sum of dims (Concat along an axis): a number when all are fixed. */
export function sumOfDims(dims: readonly Dim[]): Dim {
  const nonZero = dims.filter((d) => d !== 0);
  if (nonZero.length === 1) return nonZero[0] ?? null;
  return nonZero.every((d) => typeof d === "number") ? nonZero.reduce<number>((s, d) => s + (d as number), 0) : null;
}

/** dim + delta for a fixed dim; the dim itself when delta is 0; else null. */
export function addToDim(dim: Dim, delta: number): Dim {
  if (delta === 0) return dim;
  return typeof dim === "number" ? dim + delta : null;
}

/**
 * An inferred shape completed by a declared one: declared dims fill only the dims inference
 * could not know, so a stale declaration never overrides what the graph now computes.
 */
export function mergeShapes(inferred: readonly Dim[] | undefined, declared: readonly Dim[] | undefined): Dim[] | undefined {
  if (!inferred) return declared ? [...declared] : undefined;
  if (!declared || declared.length !== inferred.length) return [...inferred];
  return inferred.map((d, i) => d ?? declared[i] ?? null);
}

/** Resolves a possibly negative axis against a rank, checking its range. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) throw new Error(`${where}: axis ${axis} is out of range for rank ${rank}`);
  return resolved;
}

export function isFixedShape(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === "number");
}

export function formatShape(shape: readonly Dim[] | undefined): string {
  if (!shape) return "?";
  return `[${shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

/** ONNX TensorProto element type codes (as used by Cast's `to`), for the types the IR knows. */
const ELEMENT_TYPE_CODES: Record<number, DataType> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  6: "int32",
  7: "int64",
  9: "bool",
  10: "float16",
  11: "float64",
};

export function dataTypeFromCode(code: number): DataType | undefined {
  return ELEMENT_TYPE_CODES[code];
}

export function codeFromDataType(dataType: DataType): number {
  const entry = Object.entries(ELEMENT_TYPE_CODES).find(([, t]) => t === dataType);
  return Number(entry?.[0]);
}

export function isIntegerType(dataType: DataType | undefined): boolean {
  return dataType === "int64" || dataType === "int32" || dataType === "int8" || dataType === "uint8";
}
