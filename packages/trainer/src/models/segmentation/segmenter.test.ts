import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { inferShapes, shapeOf } from "../../onnx/shape-inference.ts";
import { encodeModel } from "../../onnx/serialize.ts";
import { Trainer } from "../../training/trainer.ts";
import { mobilenetV2 } from "../synthetic/index.ts";
import { createClassifier } from "../head/classifier.ts";
import { createSegmenter, SEGMENTER_OUTPUT } from "./segmenter.ts";
import { resizeScale } from "./decoder.ts";

const backbone = (resolution = 64) => mobilenetV2({ resolution, widthMultiplier: 0.25, seed: 1 }).model;

async function scores(segmenterModel: Uint8Array, batch: number, height: number, width: number): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(segmenterModel, { intraOpNumThreads: 1 });
  const input = new ort.Tensor(
    "float32",
    Float32Array.from({ length: batch * 3 * height * width }, (_, i) => Math.sin(i / 7)),
    [batch, 3, height, width],
  );
  return (await session.run({ input }))[SEGMENTER_OUTPUT]!;
}

describe("createSegmenter", () => {
  it("cuts a MobileNetV2 at strides 4, 8, 16 and 32 and decodes to class scores at the input size", async () => {
    const segmenter = createSegmenter(backbone(), { classes: 5 });
    expect(segmenter.strides).toEqual([4, 8, 16, 32]);
    expect(segmenter.taps.map((t) => t.shape.slice(1))).toEqual([
      [16, 16],
      [8, 8],
      [4, 4],
      [2, 2],
    ]);
    expect(segmenter.decoder.channels).toEqual([128, 64, 32]);
    const graph = segmenter.model.graph;
    inferShapes(graph, 17);
    expect(shapeOf(graph, SEGMENTER_OUTPUT)).toEqual(["batch", 5, 64, 64]);
    // Every decoder step's Concat reads the upsampled map and its skip map, of one size.
    const concats = graph.nodes.filter((n) => n.name.startsWith("decoder/") && n.opType === "Concat");
    expect(concats.map((n) => n.inputs[1])).toEqual(
      segmenter.taps
        .slice(0, 3)
        .reverse()
        .map((t) => t.tensor),
    );
    for (const node of concats) {
      const [a, b] = node.inputs.map((i) => shapeOf(graph, i)!);
      expect(a!.slice(2)).toEqual(b!.slice(2));
    }
    const out = await scores(encodeModel(segmenter.model), 2, 64, 64);
    expect(out.dims).toEqual([2, 5, 64, 64]);
    expect([...(out.data as Float32Array)].every(Number.isFinite)).toBe(true);
  });

  it("has the classifier's backbone groups, then the decoder", () => {
    const model = backbone();
    const segmenter = createSegmenter(model, { classes: 3, backboneGroups: 3 });
    const classifier = createClassifier(model, { classes: 3, backboneGroups: 3 });
    expect(segmenter.layerGroups.map((g) => g.name)).toEqual(["body.0", "body.1", "body.2", "decoder"]);
    expect(segmenter.layerGroups.slice(0, 3)).toEqual(classifier.layerGroups.slice(0, 3));
    expect(segmenter.layerGroups[3]!.prefixes).toEqual(["decoder/"]);
    const names = [...segmenter.model.graph.initializers.keys()];
    expect(names.filter((n) => n.startsWith("decoder/")).length).toBeGreaterThan(10);
    // The classifier of the backbone is cut away.
    expect(names.some((n) => n.startsWith("classifier/"))).toBe(false);
  });

  it("works at sizes that do not halve evenly, rebuilt with atSize under the same parameter names", async () => {
    const segmenter = createSegmenter(backbone(), { classes: 4, upsampling: "nearest", channels: [24, 16, 8] });
    const odd = segmenter.atSize([45, 70]);
    expect([...odd.model.graph.initializers.keys()].filter((n) => n.startsWith("decoder/"))).toEqual(
      [...segmenter.model.graph.initializers.keys()].filter((n) => n.startsWith("decoder/")),
    );
    expect(odd.taps.map((t) => t.shape.slice(1))).toEqual([
      [12, 18],
      [6, 9],
      [3, 5],
      [2, 3],
    ]);
    const out = await scores(encodeModel(odd.model), 1, 45, 70);
    expect(out.dims).toEqual([1, 4, 45, 70]);
  });

  it("builds LR-ASPP on the deepest map and the stride-8 map, and it trains", async () => {
    const segmenter = createSegmenter(backbone(), { classes: 3, decoder: "lraspp", channels: [32], seed: 4 });
    expect(segmenter.decoderKind).toBe("lraspp");
    expect(segmenter.strides).toEqual([8, 32]);
    expect(segmenter.layerGroups.map((g) => g.name)).toEqual(["body.0", "body.1", "decoder"]);
    const ops = segmenter.model.graph.nodes.filter((n) => n.name.startsWith("decoder/")).map((n) => n.opType);
    expect(ops).toEqual(expect.arrayContaining(["GlobalAveragePool", "Sigmoid", "Mul", "Add", "Resize", "BatchNormalization"]));
    const graph = segmenter.model.graph;
    inferShapes(graph, 17);
    expect(shapeOf(graph, SEGMENTER_OUTPUT)).toEqual(["batch", 3, 64, 64]);
    const trainer = new Trainer(segmenter.model, {
      optimizer: { kind: "adamw" },
      loss: { kind: "segmentation" },
      layerGroups: segmenter.layerGroups,
      session: { intraOpNumThreads: 1 },
    });
    const input = new ort.Tensor(
      "float32",
      Float32Array.from({ length: 2 * 3 * 64 * 64 }, (_, i) => Math.cos(i / 5)),
      [2, 3, 64, 64],
    );
    const labels = new ort.Tensor(
      "int64",
      BigInt64Array.from({ length: 2 * 64 * 64 }, (_, i) => BigInt(((i % 64) >> 5) + (i % 4 === 0 ? 1 : 0))),
      [2, 64, 64],
    );
    const first = await trainer.evaluate(input, labels);
    for (let i = 0; i < 4; i++) await trainer.step(input, labels, 1e-2);
    expect((await trainer.evaluate(input, labels)).loss).toBeLessThan(first.loss);
    await trainer.release();
  }, 120_000);

  it("picks resize scales that land exactly on the target size", () => {
    for (const [from, to] of [
      [2, 3],
      [12, 23],
      [3, 5],
      [90, 360],
      [23, 45],
      [7, 14],
    ] as const) {
      const scale = resizeScale(from, to);
      expect(Math.floor(Math.fround(from * scale))).toBe(to);
      expect(Math.floor(from * scale)).toBe(to);
    }
    expect(resizeScale(7, 14)).toBe(2);
  });

  it("refuses options it cannot build", () => {
    expect(() => createSegmenter(backbone(), { classes: 1 })).toThrow(/classes/);
    expect(() => createSegmenter(backbone(), { classes: 3, channels: [8] })).toThrow(/one width per decoder step \(3\)/);
    expect(() => createSegmenter(backbone(), { classes: 3, minSkipStride: 64 })).toThrow(/no map of stride 64/);
    expect(() => createSegmenter(backbone(), { classes: 3, decoder: "fpn" as "unet" })).toThrow(/decoder must be "unet" or "lraspp"/);
  });
});
