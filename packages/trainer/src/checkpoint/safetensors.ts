/**
 * Reading and writing one safetensors file: u64 little-endian header length, JSON header,
 * then the raw little-endian tensor bytes. Writes go to a temporary file in the same folder,
 * fsynced and renamed over the target, so a crash never leaves a half-written file.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { endianness } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Tensor } from "../onnx/ir.ts";
import { elementCount, typedArrayFor } from "../onnx/ir.ts";
import type { HeaderEntry } from "./header.ts";
import { BYTES_PER_ELEMENT, DTYPE_NAMES, METADATA_KEY, encodeHeader, parseHeader } from "./header.ts";

/** Largest header read (the reference implementation's limit); guards against absurd lengths. */
export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsContent {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

function assertLittleEndian(): void {
  if (endianness() !== "LE") throw new Error("safetensors files are little-endian; this machine is big-endian");
}

/** Widest elements first, then by name: every tensor starts aligned to its element size. */
function layout(tensors: ReadonlyMap<string, Tensor>): HeaderEntry[] {
  const names = [...tensors.keys()].sort((a, b) => {
    const width = BYTES_PER_ELEMENT[(tensors.get(b) as Tensor).dataType] - BYTES_PER_ELEMENT[(tensors.get(a) as Tensor).dataType];
    return width !== 0 ? width : a < b ? -1 : a > b ? 1 : 0;
  });
  let offset = 0;
  return names.map((name) => {
    const tensor = tensors.get(name) as Tensor;
    validateTensor(name, tensor);
    const begin = offset;
    offset += tensor.data.byteLength;
    return { name, dataType: tensor.dataType, shape: [...tensor.dims], begin, end: offset };
  });
}

function validateTensor(name: string, tensor: Tensor): void {
  if (name === "" || name === METADATA_KEY) throw new Error(`tensor name '${name}' is not allowed`);
  if (!(tensor.dataType in DTYPE_NAMES)) throw new Error(`tensor '${name}': dataType '${tensor.dataType}' cannot be stored`);
  if (tensor.data.length !== elementCount(tensor.dims)) {
    throw new Error(`tensor '${name}': has ${tensor.data.length} values, its shape [${tensor.dims.join(", ")}] needs ${elementCount(tensor.dims)}`);
  }
}

export function writeSafetensors(path: string, content: SafetensorsContent): void {
  assertLittleEndian();
  const entries = layout(content.tensors);
  const header = encodeHeader(entries, content.metadata);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temporary, "wx");
  try {
    writeSync(fd, length);
    writeSync(fd, header);
    for (const entry of entries) {
      const data = (content.tensors.get(entry.name) as Tensor).data;
      writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}

function readExactly(fd: number, target: Uint8Array, position: number, where: string): void {
  let done = 0;
  while (done < target.length) {
    const read = readSync(fd, target, done, target.length - done, position + done);
    if (read === 0) throw new Error(`${where}: file ends early`);
    done += read;
  }
}

export function readSafetensors(path: string, maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES): SafetensorsContent {
  assertLittleEndian();
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new Error(`file has ${size} bytes; a safetensors file starts with an 8-byte header length`);
    const lengthBytes = Buffer.alloc(8);
    readExactly(fd, lengthBytes, 0, "header length");
    const headerLength = lengthBytes.readBigUInt64LE();
    if (headerLength > BigInt(maxHeaderBytes)) throw new Error(`header length ${headerLength} exceeds the limit of ${maxHeaderBytes} bytes`);
    if (8n + headerLength > BigInt(size)) throw new Error(`header length ${headerLength} runs past the end of the ${size}-byte file`);
    const header = Buffer.alloc(Number(headerLength));
    readExactly(fd, header, 8, "header");
    if (header[0] !== 0x7b) throw new Error("header must start with '{'");
    const dataStart = 8 + header.length;
    const { entries, metadata } = parseHeader(header, size - dataStart);
    const tensors = new Map<string, Tensor>();
    for (const entry of entries) {
      const data = typedArrayFor(entry.dataType, elementCount(entry.shape));
      readExactly(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart + entry.begin, `tensor '${entry.name}'`);
      tensors.set(entry.name, { dataType: entry.dataType, dims: entry.shape, data });
    }
    return { tensors, metadata };
  } finally {
    closeSync(fd);
  }
}
