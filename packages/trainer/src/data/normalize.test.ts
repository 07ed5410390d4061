import { describe, expect, it } from "vitest";
import type { FloatImage } from "./decode.ts";
import { normalizations, resolveNormalization, writeNormalized } from "./normalize.ts";

const image: FloatImage = { data: Float32Array.from([0, 1, 0.5, 0.25, 1, 0]), width: 2, height: 1 };

describe("normalization", () => {
  it("imagenet: (x - mean) / std per channel", () => {
    const out = new Float32Array(8);
    writeNormalized(image, resolveNormalization("imagenet"), out, 2);
    const expected = [(0 - 0.485) / 0.229, (1 - 0.485) / 0.229, (0.5 - 0.456) / 0.224, (0.25 - 0.456) / 0.224, (1 - 0.406) / 0.225, (0 - 0.406) / 0.225];
    expect(out[0]).toBe(0);
    expected.forEach((v, i) => expect(out[i + 2]).toBeCloseTo(v, 5));
  });

  it("unit keeps [0, 1]; symmetric maps to [-1, 1]", () => {
    const unit = new Float32Array(6);
    writeNormalized(image, resolveNormalization("unit"), unit, 0);
    expect([...unit]).toEqual([...image.data]);
    const symmetric = new Float32Array(6);
    writeNormalized(image, resolveNormalization("symmetric"), symmetric, 0);
    expect([...symmetric]).toEqual([-1, 1, 0, -0.5, 1, -1]);
  });

  it("accepts custom statistics and rejects bad ones naming the field", () => {
    expect(resolveNormalization({ mean: [0.1, 0.2, 0.3], std: [1, 2, 3] })).toEqual({ mean: [0.1, 0.2, 0.3], std: [1, 2, 3] });
    expect(() => resolveNormalization("imagenett" as keyof typeof normalizations)).toThrow(/normalization must be one of imagenet, unit, symmetric/);
    expect(() => resolveNormalization({ mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(/normalization\.std must be 3 positive numbers/);
    expect(() => resolveNormalization({ mean: [0, 0] as never, std: [1, 1, 1] })).toThrow(/normalization\.mean/);
  });
});
