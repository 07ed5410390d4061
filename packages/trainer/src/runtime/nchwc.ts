/**
 * ONNX Runtime's CPU provider has kernels for a blocked "NCHWc" layout (domain
 * com.microsoft.nchwc): channels in blocks of 8 (AVX2) or 16 (AVX-512), the block innermost.
 * ORT uses them on its own only for convolutions with constant weights; the training graphs use
 * them for the depthwise weight gradient, whose "weights" are the incoming gradient. The block
 * size depends on the CPU, so it is measured once per process: ReorderInput pads a 4-channel
 * tensor up to one block. 1 means the layout is not available here (another CPU family, or a
 * build without those kernels), and the graphs keep the plain NCHW formulation.
 */
import * as ort from "onnxruntime-node";
import { NCHWC_DOMAIN } from "../autodiff/rules/conv-depthwise.ts";
import { emptyGraph } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";

let measured: Promise<number> | undefined;
let known: number | undefined;

async function probe(): Promise<number> {
  const graph = emptyGraph("nchwc_probe");
  graph.inputs.push({ name: "x", dataType: "float32", shape: [1, 4, 1, 1] });
  graph.nodes.push({ name: "reorder", opType: "ReorderInput", domain: NCHWC_DOMAIN, inputs: ["x"], outputs: ["y"], attributes: {} });
  graph.outputs.push({ name: "y", dataType: "float32" });
  const model = {
    irVersion: 8,
    producerName: "runboard",
    opsetImports: [
      { domain: "", version: 17 },
      { domain: NCHWC_DOMAIN, version: 1 },
    ],
    graph,
    metadata: {},
  };
  try {
    const session = await ort.InferenceSession.create(encodeModel(model), { executionProviders: ["cpu"] });
    const { y } = await session.run({ x: new ort.Tensor("float32", new Float32Array(4), [1, 4, 1, 1]) });
    await session.release();
    const block = y?.dims[1];
    return typeof block === "number" && block >= 4 && Number.isInteger(block) ? block : 1;
  } catch {
    return 1;
  }
}

/** The NCHWc channel block size of ONNX Runtime's CPU provider on this machine (1: not available). */
export async function nchwcBlockSize(): Promise<number> {
  measured ??= probe().then((block) => (known = block));
  return measured;
}

/** The block size if nchwcBlockSize() has already measured it in this process. */
export function knownNchwcBlockSize(): number | undefined {
  return known;
}
