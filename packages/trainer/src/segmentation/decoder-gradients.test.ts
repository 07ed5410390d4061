/**
 * A tiny encoder–decoder with every op a U-Net-style decoder uses (strided Conv down, Resize
 * nearest and ConvTranspose up, Concat skip connection, 1×1 Conv + DepthToSpace (PixelShuffle) up, Resize
 * bilinear down) under the cross-entropy + Dice loss: the autodiff's gradients of the weights
 * against finite differences, end to end.
 */
import { describe, expect, it } from "vitest";
import { checkGradients } from "../autodiff/testing/gradcheck.ts";
import { intTensor, randomTensor, seededRandom } from "../autodiff/testing/values.ts";
import { GraphBuilder } from "../onnx/builder.ts";
import { attr, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { emitSegmentationLoss } from "./loss.ts";

describe("decoder ops under the segmentation loss", () => {
  it("gradients of every weight match finite differences", async () => {
    const random = seededRandom(9);
    const graph = emptyGraph("tiny-unet");
    const b = new GraphBuilder(graph);
    const weight = (name: string, dims: number[]) => b.initializer(name, randomTensor("uniform", dims, "float32", random));
    const x = b.input("image", "float32", [2, 3, 8, 8]);
    // encoder: stride 2
    const e1 = b.op("Relu", [
      b.op("Conv", [x, weight("enc_w", [4, 3, 3, 3]), weight("enc_b", [4])], { pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }),
    ]);
    // decoder: nearest ×2, skip connection, 3×3 conv
    const up = b.op("Resize", [e1, "", b.initializer("scales", floatTensor([4], [1, 1, 2, 2]))], { mode: attr.string("nearest") });
    const upConv = b.op("ConvTranspose", [e1, weight("up_w", [4, 2, 2, 2]), weight("up_b", [2])], { strides: attr.ints([2, 2]) });
    const merged = b.op("Concat", [up, upConv, x], { axis: attr.int(1) });
    const d1 = b.op("Relu", [b.op("Conv", [merged, weight("dec_w", [4, 9, 3, 3])], { pads: attr.ints([1, 1, 1, 1]) })]);
    // head: 1×1 conv to 3·2² channels, PixelShuffle ×2, bilinear back to 8×8
    const shuffled = b.op("DepthToSpace", [b.op("Conv", [d1, weight("head_w", [12, 4, 1, 1])])], { blocksize: attr.int(2) });
    const logits = b.op("Resize", [shuffled, "", b.initializer("half", floatTensor([4], [1, 1, 0.5, 0.5]))], { mode: attr.string("linear") });
    graph.inputs.push({ name: "labels", dataType: "int64", shape: [2, 8, 8] });
    inferShapes(graph);
    const loss = emitSegmentationLoss(graph, { scores: logits, labels: "labels", classes: 3, kind: "crossEntropyDice", classWeights: [1, 2, 0.5] });
    graph.outputs.push({ name: loss, dataType: "float32", shape: [] });
    inferShapes(graph);
    const labels = Array.from({ length: 128 }, (_, i) => (i % 11 === 0 ? 255 : Math.floor(random() * 3)));
    const report = await checkGradients({
      graph,
      output: loss,
      feeds: new Map([
        ["image", randomTensor("uniform", [2, 3, 8, 8], "float32", random)],
        ["labels", intTensor([2, 8, 8], labels)],
      ]),
      wrt: ["enc_w", "enc_b", "up_w", "up_b", "dec_w", "head_w"],
      eps: 1e-3,
      rtol: 5e-2,
      atol: 2e-3,
      relativeAtol: 0.05,
      coordinates: 4,
      directions: 0,
    });
    expect(report.probes).toBe(22); // 4 per weight, 2 for the 2-element up_b
    expect(report.failures).toEqual([]);
  });
});
