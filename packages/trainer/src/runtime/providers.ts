/**
 * Which ONNX Runtime execution providers this installation can use. The npm package bundles
 * CPU and WebGPU; CUDA needs provider libraries that onnxruntime-node's install script
 * downloads only when asked (`ONNXRUNTIME_NODE_INSTALL=cuda12`).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";

export const EXECUTION_PROVIDERS = ["cpu", "cuda", "webgpu"] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export const CUDA_INSTALL_HINT =
  "to use CUDA, fetch its provider with `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` (Linux x64 or Windows x64, CUDA 12 and cuDNN 9 on the machine)";

export interface ProviderStatus {
  name: ExecutionProvider;
  /** Known to be present in this installation (WebGPU may still find no adapter at run time). */
  installed: boolean;
  /** Why it is not installed; absent when installed. */
  reason?: string;
}

/** Folder holding onnxruntime-node's native binaries for this platform. */
export function nativeBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(dirname(require.resolve("onnxruntime-node")));
  return join(packageRoot, "bin", "napi-v6", process.platform, process.arch);
}

function cudaLibraryName(): string {
  return process.platform === "win32" ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";
}

/** Status of every provider this engine supports, from `ort.listSupportedBackends()` and the native folder. */
export function listProviders(): ProviderStatus[] {
  const backends = new Map(ort.listSupportedBackends().map((b) => [b.name, b]));
  return EXECUTION_PROVIDERS.map((name): ProviderStatus => {
    const backend = backends.get(name);
    if (!backend) return { name, installed: false, reason: `this onnxruntime-node build for ${process.platform}/${process.arch} has no '${name}' backend` };
    if (backend.bundled) return { name, installed: true };
    const library = join(nativeBinaryDir(), cudaLibraryName());
    if (!existsSync(library)) return { name, installed: false, reason: `the ${name.toUpperCase()} provider library ${cudaLibraryName()} is not installed` };
    return { name, installed: true };
  });
}

export function isExecutionProvider(value: unknown): value is ExecutionProvider {
  return typeof value === "string" && (EXECUTION_PROVIDERS as readonly string[]).includes(value);
}
