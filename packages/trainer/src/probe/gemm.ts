/**
 * The two products the probe needs, run by ONNX Runtime (MLAS SGEMM): about 30× faster than a
 * blocked JavaScript loop at rows 2,400 × dim 1,280 × classes 37 (5 ms against 150 ms, one
 * core). Both graphs have symbolic shapes, so one pair of sessions serves every fit, fold and size.
 *   rowsTimesT:     A[n, d] · B[k, d]ᵀ → [n, k]  (logits Z·Wᵀ, line directions Z·Pᵀ)
 *   transposeTimes: G[n, k]ᵀ · A[n, d] → [k, d]  (weight gradient Gᵀ·Z)
 *
 * The sessions are CPU-only (each product is a few milliseconds; a device round trip would
 * cost more) and their intra-op threads do not spin while waiting: the optimizer runs JS between
 * products, and on a shared 2-core machine spinning threads made each product 3–10× slower
 * (rows 2,368, classes 37: 1.3–1.9 ms per product without spinning, 2.4–11 ms with it).
 */
import * as ort from "onnxruntime-node";
import { GraphBuilder } from "../onnx/builder.ts";
import { attr, createModel } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";

/** A row-major float32 matrix already wrapped for ONNX Runtime (the wrapper shares the buffer). */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
  tensor: ort.Tensor;
}

export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  return { data, rows, cols, tensor: new ort.Tensor("float32", data, [rows, cols]) };
}

export class GemmRunner {
  private constructor(
    private readonly product: ort.InferenceSession,
    private readonly gradient: ort.InferenceSession,
  ) {}

  /** threads: ONNX Runtime intra-op threads, 0 = one per core. */
  static async create(threads = 0): Promise<GemmRunner> {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: ["cpu"],
      intraOpNumThreads: threads,
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: "0" } } },
    };
    const [product, gradient] = await Promise.all([
      ort.InferenceSession.create(gemmModel(false), options),
      ort.InferenceSession.create(gemmModel(true), options),
    ]);
    return new GemmRunner(product, gradient);
  }

  /** A · Bᵀ for B given as k rows of length A.cols. */
  async rowsTimesT(a: Matrix, b: Float32Array, k: number): Promise<Float32Array> {
    const outputs = await this.product.run({ a: a.tensor, b: new ort.Tensor("float32", b, [k, a.cols]) });
    return outputs["c"]!.data as Float32Array;
  }

  /** Gᵀ · A for G given as A.rows rows of length k. */
  async transposeTimes(g: Float32Array, k: number, a: Matrix): Promise<Float32Array> {
    const outputs = await this.gradient.run({ a: new ort.Tensor("float32", g, [a.rows, k]), b: a.tensor });
    return outputs["c"]!.data as Float32Array;
  }

  async release(): Promise<void> {
    await Promise.all([this.product.release(), this.gradient.release()]);
  }
}

/** Gemm(a, b) with transB (a·bᵀ) or transA (aᵀ·b); every dimension symbolic. */
function gemmModel(transposeA: boolean): Uint8Array {
  const builder = new GraphBuilder(transposeA ? "probe_gradient" : "probe_product");
  const a = builder.input("a", "float32", transposeA ? ["n", "k"] : ["n", "d"]);
  const b = builder.input("b", "float32", transposeA ? ["n", "d"] : ["k", "d"]);
  const c = builder.op("Gemm", [a, b], transposeA ? { transA: attr.int(1) } : { transB: attr.int(1) });
  builder.output("c", "float32", transposeA ? ["k", "d"] : ["n", "k"], c);
  return encodeModel(createModel(builder.build()));
}
