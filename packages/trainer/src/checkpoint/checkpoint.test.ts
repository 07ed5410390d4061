import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Tensor } from "../onnx/ir.ts";
import type { Checkpoint } from "./checkpoint.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";

const folder = mkdtempSync(join(tmpdir(), "checkpoint-test-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let fileCount = 0;
const freshPath = () => join(folder, `ckpt-${fileCount++}.safetensors`);

function sampleCheckpoint(): Checkpoint {
  const tensors = new Map<string, Tensor>([
    ["conv1/weight", { dataType: "float32", dims: [2, 1, 3], data: Float32Array.from([1.5, -2, 3.25, 0, 1e-7, -1e30]) }],
    ["optimizer.exp_avg/conv1/weight", { dataType: "float64", dims: [2], data: Float64Array.from([Math.PI, -Math.E]) }],
    ["mask", { dataType: "bool", dims: [3], data: Uint8Array.from([1, 0, 1]) }],
    ["half", { dataType: "float16", dims: [1], data: Uint16Array.from([0x3c00]) }],
    ["steps", { dataType: "int64", dims: [], data: BigInt64Array.from([9007199254740993n]) }],
    ["labels", { dataType: "int32", dims: [2], data: Int32Array.from([-5, 7]) }],
    ["bytes", { dataType: "uint8", dims: [3], data: Uint8Array.from([0, 128, 255]) }],
    ["signed", { dataType: "int8", dims: [1], data: Int8Array.from([-128]) }],
    ["empty", { dataType: "float32", dims: [0, 4], data: new Float32Array(0) }],
  ]);
  return {
    tensors,
    step: 1234,
    optimizer: { name: "adamw", settings: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 } },
    paramGroups: [{ parameters: ["conv1/weight"], learningRate: 0.001, name: "backbone" }],
    rngState: { sampler: 42, augment: [1, 2, 3] },
    extra: { architecture: "resnet18" },
  };
}

/** A file with the given header object and data bytes, for corruption tests. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(), lengthOverride?: bigint): string {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(lengthOverride ?? BigInt(json.length));
  const path = freshPath();
  writeFileSync(path, Buffer.concat([length, json, data]));
  return path;
}

const validMetadata = {
  format: "runboard.checkpoint",
  format_version: "1",
  step: "3",
  optimizer: "sgd",
  optimizer_settings: "{}",
  param_groups: "[]",
  rng_state: "null",
};

describe("checkpoint round trip", () => {
  it("reads back every tensor, dtype, shape and metadata field exactly", () => {
    const path = freshPath();
    const original = sampleCheckpoint();
    writeCheckpoint(path, original);
    const loaded = readCheckpoint(path);
    expect([...loaded.tensors.keys()].sort()).toEqual([...original.tensors.keys()].sort());
    for (const [name, tensor] of original.tensors) expect(loaded.tensors.get(name)).toEqual(tensor);
    expect({ ...loaded, tensors: undefined }).toEqual({ ...original, tensors: undefined });
  });

  it("writes standard safetensors: u64 LE header length, JSON header, 8-aligned data, aligned tensors", () => {
    const path = freshPath();
    writeCheckpoint(path, sampleCheckpoint());
    const bytes = readFileSync(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, { dtype: string; data_offsets: [number, number] }>;
    expect(Object.values(header.__metadata__ as object).every((v) => typeof v === "string")).toBe(true);
    const sizes: Record<string, number> = { F64: 8, I64: 8, F32: 4, I32: 4, F16: 2, U8: 1, I8: 1, BOOL: 1 };
    const weight = header["conv1/weight"] as { data_offsets: [number, number] };
    const [begin] = weight.data_offsets;
    expect(new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8 + headerLength + begin, bytes.byteOffset + 8 + headerLength + begin + 8))).toEqual(
      Float32Array.from([1.5, -2]),
    );
    for (const [name, entry] of Object.entries(header)) {
      if (name !== "__metadata__") expect(entry.data_offsets[0] % (sizes[entry.dtype] as number)).toBe(0);
    }
  });

  it("replaces an existing file atomically and leaves no temporary files", () => {
    const path = freshPath();
    writeCheckpoint(path, sampleCheckpoint());
    writeCheckpoint(path, { ...sampleCheckpoint(), step: 2000 });
    expect(readCheckpoint(path).step).toBe(2000);
    const bad = sampleCheckpoint();
    bad.tensors.set("broken", { dataType: "float32", dims: [5], data: new Float32Array(2) });
    expect(() => writeCheckpoint(path, bad)).toThrow(/tensor 'broken': has 2 values, its shape \[5\] needs 5/);
    expect(readCheckpoint(path).step).toBe(2000);
    expect(readdirSync(folder).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("validates what it writes, naming the field", () => {
    const path = freshPath();
    expect(() => writeCheckpoint(path, { ...sampleCheckpoint(), step: -1 })).toThrow(/step must be a non-negative integer/);
    expect(() => writeCheckpoint(path, { ...sampleCheckpoint(), paramGroups: [{ parameters: ["nope"], learningRate: 0.1 }] })).toThrow(
      /paramGroups\[0\]\.parameters names 'nope'/,
    );
    expect(() => writeCheckpoint(path, { ...sampleCheckpoint(), paramGroups: [{ parameters: [], learningRate: -1 }] })).toThrow(
      /paramGroups\[0\]\.learningRate/,
    );
    expect(() => writeCheckpoint(path, { ...sampleCheckpoint(), optimizer: { name: "", settings: {} } })).toThrow(/optimizer\.name/);
  });
});

describe("reading corrupted checkpoints", () => {
  const f32 = (count: number) => new Uint8Array(new Float32Array(count).buffer);
  const cases: [string, () => string, RegExp][] = [
    [
      "a file shorter than the length field",
      () => {
        const p = freshPath();
        writeFileSync(p, Buffer.from([1, 2]));
        return p;
      },
      /file has 2 bytes/,
    ],
    ["a header length over the limit", () => rawFile({}, undefined, 10n ** 12n), /header length 1000000000000 exceeds the limit/],
    ["a header length past the end", () => rawFile({ __metadata__: validMetadata }, undefined, 5000n), /header length 5000 runs past the end/],
    [
      "a header that is not JSON",
      () => {
        const p = rawFile({ a: 1 });
        const b = readFileSync(p);
        b[9] = 0x7d;
        writeFileSync(p, b);
        return p;
      },
      /header is not valid UTF-8 JSON/,
    ],
    [
      "an unknown dtype",
      () => rawFile({ __metadata__: validMetadata, w: { dtype: "Q7", shape: [1], data_offsets: [0, 4] } }, f32(1)),
      /tensor 'w': dtype "Q7" is not one of/,
    ],
    [
      "a bad shape",
      () => rawFile({ __metadata__: validMetadata, w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, f32(1)),
      /tensor 'w': shape must be a list of non-negative integers/,
    ],
    [
      "offsets that do not match the shape",
      () => rawFile({ __metadata__: validMetadata, w: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, f32(1)),
      /tensor 'w': data_offsets \[0, 4\] hold 4 bytes, shape \[2\] of F32 needs 8/,
    ],
    [
      "offsets past the data",
      () => rawFile({ __metadata__: validMetadata, w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, f32(1)),
      /tensor 'w': data_offsets \[0, 8\] run past the data section \(4 bytes\)/,
    ],
    [
      "overlapping tensors",
      () =>
        rawFile(
          { __metadata__: validMetadata, a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] } },
          f32(2),
        ),
      /tensor 'b': data_offsets \[4, 8\] overlap/,
    ],
    [
      "a hole between tensors",
      () => rawFile({ __metadata__: validMetadata, a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, f32(2)),
      /tensor 'a': data_offsets begin at 4, leaving unused bytes from 0/,
    ],
    [
      "trailing bytes no tensor covers",
      () => rawFile({ __metadata__: validMetadata, a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, f32(2)),
      /data section has 8 bytes but the tensors cover only 4/,
    ],
    ["a non-string metadata value", () => rawFile({ __metadata__: { ...validMetadata, step: 3 } }), /__metadata__\.step must be a string/],
    ["another file format", () => rawFile({ __metadata__: { ...validMetadata, format: "pytorch" } }), /__metadata__\.format must be 'runboard\.checkpoint'/],
    ["a newer format version", () => rawFile({ __metadata__: { ...validMetadata, format_version: "2" } }), /__metadata__\.format_version "2" is not supported/],
    ["a step that is not an integer", () => rawFile({ __metadata__: { ...validMetadata, step: "1.5" } }), /__metadata__\.step must be a non-negative integer/],
    [
      "param groups that are not JSON",
      () => rawFile({ __metadata__: { ...validMetadata, param_groups: "[" } }),
      /__metadata__\.param_groups is not valid JSON/,
    ],
    [
      "param groups naming a missing tensor",
      () => rawFile({ __metadata__: { ...validMetadata, param_groups: '[{"parameters":["w"],"learningRate":1}]' } }),
      /__metadata__\.param_groups\[0\]\.parameters names 'w'/,
    ],
    ["an unknown metadata key", () => rawFile({ __metadata__: { ...validMetadata, surprise: "x" } }), /__metadata__\.surprise is not a known key/],
    ["a missing rng state", () => rawFile({ __metadata__: { ...validMetadata, rng_state: undefined } }), /__metadata__\.rng_state is missing/],
  ];

  it.each(cases)("rejects %s, naming the file and the field", (_, make, message) => {
    const path = make();
    expect(() => readCheckpoint(path)).toThrow(message);
    expect(() => readCheckpoint(path)).toThrow(`checkpoint '${path}'`);
  });

  it("rejects a truncated file", () => {
    const path = freshPath();
    writeCheckpoint(path, sampleCheckpoint());
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 3));
    expect(() => readCheckpoint(path)).toThrow(/run past the data section|cover only/);
  });

  it("reads a minimal valid file written by hand", () => {
    const path = rawFile(
      { __metadata__: validMetadata, w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } },
      new Uint8Array(Float32Array.from([1, 2]).buffer),
    );
    const loaded = readCheckpoint(path);
    expect(loaded.step).toBe(3);
    expect([...(loaded.tensors.get("w")?.data as Float32Array)]).toEqual([1, 2]);
  });
});
