import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { mobilenetV2 } from "../models/synthetic/index.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { EXECUTION_PROVIDERS, listProviders } from "./providers.ts";
import type { RuntimeSession, SessionOptions } from "./session.ts";
import { conciseError, createSession } from "./session.ts";

const modelBytes = encodeModel(mobilenetV2({ widthMultiplier: 0.25, depthMultiplier: 0.3, resolution: 32, numClasses: 4, seed: 5 }).model);
const batch = new ort.Tensor(
  "float32",
  Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.cos(i * 0.11)),
  [2, 3, 32, 32],
);
const threads: SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const tempDir = mkdtempSync(join(tmpdir(), "runtime-test-"));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

async function logitsOf(runtime: RuntimeSession): Promise<number[]> {
  try {
    const result = await runtime.session.run({ input: batch });
    return [...((result.logits as ort.Tensor).data as Float32Array)];
  } finally {
    await runtime.release();
  }
}

describe("listProviders", () => {
  it("reports every supported provider, CPU installed", () => {
    const providers = listProviders();
    expect(providers.map((p) => p.name)).toEqual([...EXECUTION_PROVIDERS]);
    expect(providers.find((p) => p.name === "cpu")).toEqual({ name: "cpu", installed: true });
    for (const p of providers) expect(p.installed || (p.reason ?? "").length > 0).toBe(true);
  });
});

describe("createSession on CPU", () => {
  it("runs with the requested threads and no fallback", async () => {
    const runtime = await createSession(modelBytes, threads);
    expect(runtime.executionProvider).toBe("cpu");
    expect(runtime.fallbackMessage).toBeUndefined();
    const logits = await logitsOf(runtime);
    expect(logits).toHaveLength(8);
    expect(logits.every(Number.isFinite)).toBe(true);
  });

  it("gives the same results with and without graph optimization and memory arena", async () => {
    const optimized = await logitsOf(await createSession(modelBytes, { ...threads, graphOptimizationLevel: "all" }));
    const plain = await logitsOf(await createSession(modelBytes, { ...threads, graphOptimizationLevel: "disabled", enableCpuMemArena: false }));
    for (const [i, value] of plain.entries()) expect(optimized[i]).toBeCloseTo(value, 4);
  });

  it("writes a profile to the requested file and leaves nothing else behind", async () => {
    const profileFile = join(tempDir, "profile.json");
    const runtime = await createSession(modelBytes, { ...threads, profileFile });
    await runtime.session.run({ input: batch });
    expect(runtime.endProfiling()).toBe(profileFile);
    await runtime.release();
    const events = JSON.parse(readFileSync(profileFile, "utf8")) as { name: string; cat: string }[];
    expect(events.some((e) => e.cat === "Node" && e.name.endsWith("_kernel_time"))).toBe(true);
    expect(readdirSync(tempDir)).toEqual(["profile.json"]);
  });

  it("validates options, naming the field", async () => {
    await expect(createSession(modelBytes, { executionProvider: "tpu" as never })).rejects.toThrow(
      /executionProvider must be one of cpu, cuda, webgpu; got 'tpu'/,
    );
    await expect(createSession(modelBytes, { intraOpNumThreads: -1 })).rejects.toThrow(/intraOpNumThreads must be a non-negative integer/);
    await expect(createSession(modelBytes, { graphOptimizationLevel: "max" as never })).rejects.toThrow(/graphOptimizationLevel must be one of/);
    await expect(createSession(new Uint8Array([1, 2, 3]), threads)).rejects.toThrow();
  });
});

describe("createSession fallback", () => {
  const cudaInstalled = listProviders().find((p) => p.name === "cuda")?.installed ?? false;

  it.skipIf(cudaInstalled)("falls back from CUDA to CPU with one line saying why and how to install", async () => {
    const messages: string[] = [];
    const runtime = await createSession(modelBytes, { ...threads, executionProvider: "cuda", onFallback: (m) => messages.push(m) });
    expect(runtime.requestedProvider).toBe("cuda");
    expect(runtime.executionProvider).toBe("cpu");
    expect(messages).toEqual([runtime.fallbackMessage]);
    expect(runtime.fallbackMessage).toMatch(
      /^executionProvider 'cuda' is not available \(.*libonnxruntime_providers_cuda.* not installed\); running on CPU\. To use CUDA: .*ONNXRUNTIME_NODE_INSTALL=cuda12/,
    );
    expect(runtime.fallbackMessage).not.toContain("\n");
    expect(await logitsOf(runtime)).toHaveLength(8);
  });

  it("uses WebGPU when an adapter exists, else falls back to CPU with the reason", async () => {
    const messages: string[] = [];
    const runtime = await createSession(modelBytes, { ...threads, executionProvider: "webgpu", onFallback: (m) => messages.push(m) });
    const cpuLogits = await logitsOf(await createSession(modelBytes, threads));
    if (runtime.executionProvider === "webgpu") {
      expect(messages).toEqual([]);
    } else {
      expect(runtime.executionProvider).toBe("cpu");
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^executionProvider 'webgpu' is not available \(.+\); running on CPU\. WebGPU needs a GPU adapter/);
      expect(messages[0]).not.toContain("\n");
    }
    const logits = await logitsOf(runtime);
    for (const [i, value] of cpuLogits.entries()) expect(logits[i]).toBeCloseTo(value, 2);
  });

  it("shortens ONNX Runtime errors to their human part", () => {
    const raw =
      "/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(...)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\nstack";
    expect(conciseError(new Error(raw))).toBe("Failed to get a WebGPU adapter: No supported adapters");
    expect(conciseError(new Error("/src/a.cc:12 something broke"))).toBe("something broke");
  });
});
