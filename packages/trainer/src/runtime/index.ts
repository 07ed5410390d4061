export type { ExecutionProvider, ProviderStatus } from "./providers.ts";
export { CUDA_INSTALL_HINT, EXECUTION_PROVIDERS, listProviders } from "./providers.ts";
export type { GraphOptimizationLevel, RuntimeSession, SessionOptions } from "./session.ts";
export { createSession, validateSessionOptions } from "./session.ts";
export type { StateBinding, StepRunnerOptions } from "./step.ts";
export { StepRunner } from "./step.ts";
export { fromOrtTensor, toOrtTensor } from "./tensors.ts";
export { knownNchwcBlockSize, nchwcBlockSize } from "./nchwc.ts";
