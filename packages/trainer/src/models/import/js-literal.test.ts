import { describe, expect, it } from "vitest";
import { JsLiteralParser } from "./js-literal.ts";
import { decodeWeights } from "./tfjs-weights.ts";

describe("JsLiteralParser", () => {
  it("reads minified literals: unquoted keys, !0/!1, leading-dot and exponent numbers, escapes", () => {
    const text = 'x={a:1,"b c":[.5,-2e-3,!0,!1,null],d:{e:"q\\"uote",f:[]},g:{}}';
    const parser = new JsLiteralParser(text, 2);
    expect(parser.value()).toEqual({ a: 1, "b c": [0.5, -0.002, true, false, null], d: { e: 'q"uote', f: [] }, g: {} });
    expect(parser.end).toBe(text.length);
  });

  it("refuses anything that would need evaluation, naming the position", () => {
    expect(() => new JsLiteralParser("{a:f()}", 0, "model.min.js").value()).toThrow(/model.min.js: expected a value at character 3, found 'f\(\)\}'/);
    expect(() => new JsLiteralParser('{a:"open', 0).value()).toThrow(/expected a closed string/);
    expect(() => new JsLiteralParser("[1 2]", 0).value()).toThrow(/expected ','/);
  });
});

describe("decodeWeights", () => {
  it("dequantizes uint8 as q·scale + min and reads float32 and int32 in manifest order", () => {
    const data = new Uint8Array(2 + 4 + 4);
    data.set([0, 255], 0);
    new DataView(data.buffer).setFloat32(2, 1.5, true);
    new DataView(data.buffer).setInt32(6, -7, true);
    const weights = decodeWeights(
      [
        {
          paths: ["shard"],
          weights: [
            { name: "q", shape: [2], dtype: "float32", quantization: { dtype: "uint8", scale: 0.1, min: -1 } },
            { name: "f", shape: [1], dtype: "float32" },
            { name: "i", shape: [1], dtype: "int32" },
          ],
        },
      ],
      data,
    );
    const q = weights.get("q")?.values;
    expect(q?.[0]).toBeCloseTo(-1, 6);
    expect(q?.[1]).toBeCloseTo(24.5, 5);
    expect(Array.from(weights.get("f")?.values ?? [])).toEqual([1.5]);
    expect(Array.from(weights.get("i")?.values ?? [])).toEqual([-7]);
  });

  it("rejects data that does not match the manifest", () => {
    const manifest = [{ paths: ["shard"], weights: [{ name: "w", shape: [4], dtype: "float32" }] }];
    expect(() => decodeWeights(manifest, new Uint8Array(8))).toThrow(/weight 'w': needs bytes 0..16, the weight data has 8/);
    expect(() => decodeWeights(manifest, new Uint8Array(20))).toThrow(/weight data has 20 bytes, the manifest describes 16/);
  });
});
