export type { Checkpoint, JsonValue, ParamGroupRecord, ReadCheckpointOptions } from "./checkpoint.ts";
export { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
export type { SafetensorsContent } from "./safetensors.ts";
export { DEFAULT_MAX_HEADER_BYTES, readSafetensors, writeSafetensors } from "./safetensors.ts";
