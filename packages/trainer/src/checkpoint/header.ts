/**
 * The safetensors header: dtype names, building the JSON for a set of tensors, and parsing
 * and validating it when reading (every rule names the field that broke it).
 */
import type { DataType } from "../onnx/ir.ts";

export const DTYPE_NAMES: Record<DataType, string> = {
  float64: "F64",
  float32: "F32",
  float16: "F16",
  int64: "I64",
  int32: "I32",
  int8: "I8",
  uint8: "U8",
  bool: "BOOL",
};
const DATA_TYPES = new Map(Object.entries(DTYPE_NAMES).map(([dataType, name]) => [name, dataType as DataType]));

export const BYTES_PER_ELEMENT: Record<DataType, number> = {
  float64: 8,
  float32: 4,
  float16: 2,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
};

export interface HeaderEntry {
  name: string;
  dataType: DataType;
  shape: number[];
  /** Byte range [begin, end) within the data section (after the header). */
  begin: number;
  end: number;
}

export interface ParsedHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
}

export const METADATA_KEY = "__metadata__";

/** The header JSON, padded with spaces so the data section starts 8-byte aligned. */
export function encodeHeader(entries: readonly HeaderEntry[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { [METADATA_KEY]: metadata };
  for (const e of entries) header[e.name] = { dtype: DTYPE_NAMES[e.dataType], shape: e.shape, data_offsets: [e.begin, e.end] };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function parseEntry(name: string, value: unknown): HeaderEntry {
  const where = `tensor '${name}'`;
  if (!isObject(value)) throw new Error(`${where}: header entry must be an object with dtype, shape and data_offsets`);
  const dataType = typeof value.dtype === "string" ? DATA_TYPES.get(value.dtype) : undefined;
  if (!dataType) throw new Error(`${where}: dtype ${JSON.stringify(value.dtype)} is not one of ${[...DATA_TYPES.keys()].join(", ")}`);
  const shape = value.shape;
  if (!Array.isArray(shape) || !shape.every(isCount)) throw new Error(`${where}: shape must be a list of non-negative integers`);
  const offsets = value.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new Error(`${where}: data_offsets must be [begin, end] with non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new Error(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const bytes = (shape as number[]).reduce((p, d) => p * d, 1) * BYTES_PER_ELEMENT[dataType];
  if (end - begin !== bytes)
    throw new Error(
      `${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, shape [${shape.join(", ")}] of ${DTYPE_NAMES[dataType]} needs ${bytes}`,
    );
  return { name, dataType, shape: shape as number[], begin, end };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`${METADATA_KEY} must be an object of strings`);
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw new Error(`${METADATA_KEY}.${key} must be a string, got ${typeof entry}`);
  }
  return value as Record<string, string>;
}

/** Offsets in bounds, without overlaps or holes: the tensors tile the data section exactly. */
function checkLayout(entries: HeaderEntry[], dataBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  for (const e of sorted) {
    if (e.begin < position) throw new Error(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap the previous tensor, which ends at ${position}`);
    if (e.begin > position) throw new Error(`tensor '${e.name}': data_offsets begin at ${e.begin}, leaving unused bytes from ${position}`);
    if (e.end > dataBytes) throw new Error(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] run past the data section (${dataBytes} bytes)`);
    position = e.end;
  }
  if (position !== dataBytes) throw new Error(`data section has ${dataBytes} bytes but the tensors cover only ${position}`);
}

export function parseHeader(bytes: Uint8Array, dataBytes: number): ParsedHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new Error(`header is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new Error("header must be a JSON object");
  const metadata = parseMetadata(json[METADATA_KEY]);
  const entries = Object.entries(json)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseEntry(name, value));
  checkLayout(entries, dataBytes);
  return { entries, metadata };
}
