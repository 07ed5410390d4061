import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { UNIT_INPUT, maxAbsDifference, runImported, toNhwc } from "../testing/tfjs-compare.ts";
import type { TfjsArtifacts } from "./tfjs-artifacts.ts";
import { importTfjsGraphModel } from "./tfjs-graph.ts";
import { importTfjsLayersModel } from "./tfjs-layers.ts";

/** Float32 agreement expected between ONNX Runtime and TF.js's CPU kernels on the same weights. */
const TOLERANCE = 1e-4;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function generatedKerasModel(): tf.LayersModel {
  const apply = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(input) as tf.SymbolicTensor;
  const input = tf.input({ shape: [9, 9, 3], name: "image" });
  const padded = apply(
    tf.layers.zeroPadding2d({
      padding: [
        [0, 1],
        [1, 0],
      ],
      name: "pad",
    }),
    input,
  );
  const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "relu", name: "conv" }), padded);
  const depthwise = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: "same", name: "dw" }), conv);
  const bn = apply(tf.layers.batchNormalization({ scale: false, name: "bn", movingMeanInitializer: "randomNormal" }), depthwise);
  const relu6 = apply(tf.layers.reLU({ maxValue: 6, name: "relu6" }), bn);
  const maxPool = apply(tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: "same", name: "max" }), relu6);
  const avgPool = apply(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: "same", name: "avg" }), relu6);
  const joined = apply(tf.layers.concatenate({ name: "cat" }), [maxPool, avgPool]);
  const sum = apply(tf.layers.add({ name: "sum" }), [joined, joined]);
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: "gap" }), sum);
  // 5×5×16 feature map, flattened in TF's NHWC order, reshaped and flattened again.
  const reshaped = apply(tf.layers.reshape({ targetShape: [5, 80], name: "rs" }), apply(tf.layers.flatten({ name: "flat" }), sum));
  const features = apply(tf.layers.concatenate({ name: "features" }), [pooled, apply(tf.layers.flatten({ name: "flat2" }), reshaped)]);
  const hidden = apply(tf.layers.dense({ units: 6, activation: "tanh", name: "hidden" }), apply(tf.layers.dropout({ rate: 0.5, name: "drop" }), features));
  const output = apply(tf.layers.dense({ units: 3, activation: "softmax", name: "head" }), hidden);
  return tf.model({ inputs: input, outputs: output });
}

async function artifactsOf(model: tf.LayersModel): Promise<TfjsArtifacts> {
  let artifacts: TfjsArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = {
        format: "layers-model",
        modelTopology: saved.modelTopology as Record<string, unknown>,
        weightsManifest: [{ paths: [], weights: saved.weightSpecs ?? [] }],
        weightData: new Uint8Array(saved.weightData as ArrayBuffer),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!artifacts) throw new Error("TF.js did not save the model");
  return artifacts;
}

describe("TF.js layers import on a generated Keras model", () => {
  it("matches TF.js for ZeroPadding, Conv2D, DepthwiseConv2D, BN, ReLU(6), pools, Concatenate, Add, Flatten, Reshape, Dense", async () => {
    const keras = generatedKerasModel();
    const x = new ort.Tensor(
      "float32",
      Float32Array.from({ length: 2 * 3 * 81 }, (_, i) => Math.cos(i * 0.37)),
      [2, 3, 9, 9],
    );
    const expected = await (keras.predict(toNhwc(x)) as tf.Tensor).data();
    const actual = await runImported(await artifactsOf(keras), "layers", x);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it("names the layer and class it cannot convert", () => {
    const topology = {
      model_config: { class_name: "Sequential", config: { layers: [{ class_name: "LSTM", config: { name: "lstm", batch_input_shape: [null, 4, 4, 1] } }] } },
    };
    const artifacts: TfjsArtifacts = { format: "layers-model", modelTopology: topology, weightsManifest: [], weightData: new Uint8Array() };
    expect(() => importTfjsLayersModel(artifacts, UNIT_INPUT)).toThrow(/layer 'lstm': class LSTM is not supported/);
  });
});

describe("TF.js graph import", () => {
  it("names the node and op it cannot convert", () => {
    const placeholder = { name: "x", op: "Placeholder", attr: { shape: { shape: { dim: [{ size: "-1" }, { size: "4" }, { size: "4" }, { size: "3" }] } } } };
    const topology = { node: [placeholder, { name: "y", op: "Erf", input: ["x"] }] };
    const artifacts: TfjsArtifacts = { format: "graph-model", modelTopology: topology, weightsManifest: [], weightData: new Uint8Array() };
    expect(() => importTfjsGraphModel(artifacts, UNIT_INPUT)).toThrow(/node 'y': op Erf is not supported/);
  });
});
