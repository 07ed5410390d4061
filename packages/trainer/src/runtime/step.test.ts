import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../onnx/builder.ts";
import { createModel } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { createSession } from "./session.ts";
import { StepRunner } from "./step.ts";

/**
 * One SGD-with-momentum step on loss = mean((w − x)²), per element:
 * g = 2 (w − x) / n, m' = μ m + g, w' = w − lr · m'.
 */
function momentumStepModel(size: number, learningRate: number, momentum: number): Uint8Array {
  const b = new GraphBuilder("momentum_step");
  const x = b.input("x", "float32", [size]);
  const w = b.input("w", "float32", [size]);
  const m = b.input("m", "float32", [size]);
  const diff = b.op("Sub", [w, x]);
  b.output("loss", "float32", [], b.op("ReduceMean", [b.op("Mul", [diff, diff])], { keepdims: { kind: "int", value: 0 } }));
  const grad = b.op("Mul", [diff, b.scalar(2 / size)]);
  const mNext = b.op("Add", [b.op("Mul", [m, b.scalar(momentum)]), grad]);
  b.output("m_next", "float32", [size], mNext);
  b.output("w_next", "float32", [size], b.op("Sub", [w, b.op("Mul", [mNext, b.scalar(learningRate)])]));
  return encodeModel(createModel(b.build()));
}

function reference(steps: number, w0: number[], target: number[], learningRate: number, momentum: number) {
  const w = Float32Array.from(w0);
  const m = new Float32Array(w0.length);
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < w.length; i++) {
      m[i] = Math.fround(Math.fround(momentum * (m[i] as number)) + Math.fround((2 / w.length) * ((w[i] as number) - (target[i] as number))));
      w[i] = Math.fround((w[i] as number) - Math.fround(learningRate * (m[i] as number)));
    }
  }
  return { w: [...w], m: [...m] };
}

describe("StepRunner", () => {
  const target = [1, -2, 3, 0.5];
  const w0 = [0, 0, 0, 0];
  const feeds = { x: new ort.Tensor("float32", Float32Array.from(target), [4]) };

  async function runner() {
    const runtime = await createSession(momentumStepModel(4, 0.3, 0.9), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new StepRunner(runtime.session, {
      state: [
        { input: "w", output: "w_next" },
        { input: "m", output: "m_next" },
      ],
      initialState: { w: new ort.Tensor("float32", Float32Array.from(w0), [4]), m: new ort.Tensor("float32", new Float32Array(4), [4]) },
      fetches: ["loss", "w_next"],
    });
  }

  it("carries parameters and optimizer state from step to step and matches the math", async () => {
    const steps = await runner();
    const losses: number[] = [];
    for (let s = 0; s < 25; s++) losses.push(((await steps.step(feeds)).loss?.data as Float32Array)[0] as number);
    const expected = reference(25, w0, target, 0.3, 0.9);
    const state = steps.state();
    for (const [i, value] of expected.w.entries()) expect((state.get("w")?.data as Float32Array)[i]).toBeCloseTo(value, 5);
    for (const [i, value] of expected.m.entries()) expect((state.get("m")?.data as Float32Array)[i]).toBeCloseTo(value, 5);
    expect(steps.stepCount).toBe(25);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) / 10);
  });

  it("feeds the very output tensor objects back, without copies", async () => {
    const steps = await runner();
    const result = await steps.step(feeds);
    expect(steps.state().get("w")).toBe(result.w_next);
    const before = steps.state().get("m");
    await steps.step(feeds);
    expect(steps.state().get("m")).not.toBe(before);
  });

  it("resumes from replaced state", async () => {
    const steps = await runner();
    steps.setState("w", new ort.Tensor("float32", Float32Array.from(target), [4]));
    const result = await steps.step(feeds);
    expect((result.loss?.data as Float32Array)[0]).toBe(0);
    expect(() => steps.setState("x", feeds.x)).toThrow(/'x' is not a state input/);
  });

  it("rejects bindings, fetches and feeds that do not fit the session, naming them", async () => {
    const runtime = await createSession(momentumStepModel(4, 0.3, 0.9), { intraOpNumThreads: 1 });
    const initialState = { w: feeds.x, m: feeds.x };
    expect(() => new StepRunner(runtime.session, { state: [{ input: "q", output: "w_next" }], initialState })).toThrow(/state\[0\]\.input 'q'/);
    expect(() => new StepRunner(runtime.session, { state: [{ input: "w", output: "q" }], initialState })).toThrow(/state\[0\]\.output 'q'/);
    expect(() => new StepRunner(runtime.session, { state: [{ input: "w", output: "w_next" }], initialState: {} })).toThrow(/initialState\['w'\] is missing/);
    expect(() => new StepRunner(runtime.session, { state: [], initialState, fetches: ["nope"] })).toThrow(/fetches: 'nope'/);
    const steps = await runner();
    await expect(steps.step({ ...feeds, w: feeds.x })).rejects.toThrow(/feeds\['w'\] is a state input/);
  });
});
