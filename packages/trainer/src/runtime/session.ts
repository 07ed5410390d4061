/**
 * Creating ONNX Runtime sessions: the execution provider with a clean fallback to CPU (one
 * line saying why and what to install), threads, optimization level, memory arena, and
 * profiling to a file of the caller's choosing.
 */
import { readdirSync, renameSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as ort from "onnxruntime-node";
import type { ExecutionProvider } from "./providers.ts";
import { CUDA_INSTALL_HINT, EXECUTION_PROVIDERS, isExecutionProvider, listProviders } from "./providers.ts";

export type GraphOptimizationLevel = "disabled" | "basic" | "extended" | "all";
const OPTIMIZATION_LEVELS: readonly GraphOptimizationLevel[] = ["disabled", "basic", "extended", "all"];

export interface SessionOptions {
  /** Default "cpu". Falls back to CPU, with a message, when the provider cannot run here. */
  executionProvider?: ExecutionProvider;
  /** Threads inside one operator; 0 or absent lets ONNX Runtime pick (one per core). */
  intraOpNumThreads?: number;
  /** Threads across independent operators; 0 or absent lets ONNX Runtime pick. */
  interOpNumThreads?: number;
  graphOptimizationLevel?: GraphOptimizationLevel;
  enableCpuMemArena?: boolean;
  /**
   * ONNX Runtime's memory pattern: after the first run, one block planned for all intermediate
   * tensors. Default on (ONNX Runtime's default); the Trainer turns it off for its sessions.
   */
  enableMemPattern?: boolean;
  /** Write an ONNX Runtime profile (Chrome trace JSON) to this path on `endProfiling()`. */
  profileFile?: string;
  /** Receives the one-line fallback message; by default it goes to console.warn. */
  onFallback?: (message: string) => void;
}

export interface RuntimeSession {
  session: ort.InferenceSession;
  requestedProvider: ExecutionProvider;
  /** The provider the session actually runs on. */
  executionProvider: ExecutionProvider;
  /** Set when the requested provider could not be used. */
  fallbackMessage?: string;
  /** Ends profiling and moves the profile to `profileFile`; returns that path (undefined without profiling). */
  endProfiling(): string | undefined;
  release(): Promise<void>;
}

export function validateSessionOptions(options: SessionOptions): void {
  if (options.executionProvider !== undefined && !isExecutionProvider(options.executionProvider)) {
    throw new Error(`executionProvider must be one of ${EXECUTION_PROVIDERS.join(", ")}; got '${String(options.executionProvider)}'`);
  }
  for (const field of ["intraOpNumThreads", "interOpNumThreads"] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new Error(`${field} must be a non-negative integer; got ${value}`);
  }
  if (options.graphOptimizationLevel !== undefined && !OPTIMIZATION_LEVELS.includes(options.graphOptimizationLevel)) {
    throw new Error(`graphOptimizationLevel must be one of ${OPTIMIZATION_LEVELS.join(", ")}; got '${String(options.graphOptimizationLevel)}'`);
  }
  if (options.profileFile !== undefined && (typeof options.profileFile !== "string" || options.profileFile === "")) {
    throw new Error("profileFile must be a non-empty path");
  }
}

export async function createSession(modelBytes: Uint8Array, options: SessionOptions = {}): Promise<RuntimeSession> {
  validateSessionOptions(options);
  const requested = options.executionProvider ?? "cpu";
  const profilePrefix = options.profileFile === undefined ? undefined : temporaryProfilePrefix(options.profileFile);
  const ortOptions = ortSessionOptions(options, profilePrefix);
  let fallbackMessage: string | undefined;
  let session: ort.InferenceSession | undefined;
  if (requested !== "cpu") {
    const attempt = await tryProvider(modelBytes, requested, ortOptions);
    if (attempt.session) session = attempt.session;
    else fallbackMessage = `executionProvider '${requested}' is not available (${attempt.reason}); running on CPU. ${hintFor(requested)}`;
  }
  if (!session) session = await ort.InferenceSession.create(modelBytes, { ...ortOptions, executionProviders: ["cpu"] });
  if (fallbackMessage !== undefined) (options.onFallback ?? console.warn)(fallbackMessage);
  const created = session;
  return {
    session: created,
    requestedProvider: requested,
    executionProvider: fallbackMessage === undefined ? requested : "cpu",
    ...(fallbackMessage === undefined ? {} : { fallbackMessage }),
    endProfiling: () => finishProfile(created, profilePrefix, options.profileFile),
    release: () => created.release(),
  };
}

function ortSessionOptions(options: SessionOptions, profilePrefix: string | undefined): ort.InferenceSession.SessionOptions {
  const result: ort.InferenceSession.SessionOptions = { logSeverityLevel: 3 };
  if (options.intraOpNumThreads !== undefined) result.intraOpNumThreads = options.intraOpNumThreads;
  if (options.interOpNumThreads !== undefined) result.interOpNumThreads = options.interOpNumThreads;
  if (options.graphOptimizationLevel !== undefined) result.graphOptimizationLevel = options.graphOptimizationLevel;
  if (options.enableCpuMemArena !== undefined) result.enableCpuMemArena = options.enableCpuMemArena;
  if (options.enableMemPattern !== undefined) result.enableMemPattern = options.enableMemPattern;
  if (profilePrefix !== undefined) {
    result.enableProfiling = true;
    result.profileFilePrefix = profilePrefix;
  }
  return result;
}

async function tryProvider(
  modelBytes: Uint8Array,
  provider: Exclude<ExecutionProvider, "cpu">,
  ortOptions: ort.InferenceSession.SessionOptions,
): Promise<{ session?: ort.InferenceSession; reason: string }> {
  const status = listProviders().find((p) => p.name === provider);
  // Loading a missing CUDA library makes ONNX Runtime log a long error; check the file first.
  if (!status?.installed) return { reason: status?.reason ?? "not supported by this onnxruntime-node build" };
  try {
    return { session: await ort.InferenceSession.create(modelBytes, { ...ortOptions, executionProviders: [provider, "cpu"] }), reason: "" };
  } catch (error) {
    return { reason: conciseError(error) };
  }
}

/** The human part of an ONNX Runtime error: first line, without source locations and assertion text. */
export function conciseError(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  const afterAssertion = line.includes(" was false. ") ? line.slice(line.lastIndexOf(" was false. ") + 12) : line;
  return afterAssertion.replace(/^\S+\.(cc|cpp|h):\d+\s+/, "").trim();
}

function hintFor(provider: ExecutionProvider): string {
  if (provider === "cuda") return `To use CUDA: ${CUDA_INSTALL_HINT.replace(/^to use CUDA, /, "")}.`;
  return "WebGPU needs a GPU adapter: a Vulkan driver on Linux, Direct3D 12 on Windows, Metal on macOS.";
}

function temporaryProfilePrefix(profileFile: string): string {
  return join(dirname(profileFile), `.${basename(profileFile)}.${process.pid}.${Date.now()}`);
}

/** ONNX Runtime names the profile `<prefix>_<timestamp>.json`; move it to the requested path. */
function finishProfile(session: ort.InferenceSession, prefix: string | undefined, profileFile: string | undefined): string | undefined {
  if (prefix === undefined || profileFile === undefined) return undefined;
  session.endProfiling();
  const directory = dirname(prefix);
  const written = readdirSync(directory)
    .filter((f) => f.startsWith(`${basename(prefix)}_`) && f.endsWith(".json"))
    .sort();
  const latest = written.at(-1);
  if (latest === undefined) throw new Error(`profileFile: ONNX Runtime wrote no profile next to ${profileFile}`);
  renameSync(join(directory, latest), profileFile);
  return profileFile;
}
