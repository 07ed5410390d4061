/**
 * GPU load for the system metrics, where the machine has NVIDIA GPUs: one `nvidia-smi` query per
 * epoch (utilization and memory of each GPU). Without the binary, or when it fails, there are
 * simply no GPU points: a CPU machine reports nothing and logs nothing.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const NVIDIA_SMI_ARGS = ["--query-gpu=index,utilization.gpu,memory.used,memory.total", "--format=csv,noheader,nounits"];

export interface GpuSample {
  index: number;
  /** Percent of the last sample period a kernel ran; null where the driver reports N/A. */
  utilizationPercent: number | null;
  memoryUsedMb: number | null;
  memoryTotalMb: number | null;
}

/** A number, or null for `[N/A]`, `[Not Supported]` and anything else that is not one. */
function reading(field: string | undefined): number | null {
  const value = Number((field ?? "").trim());
  return (field ?? "").trim() !== "" && Number.isFinite(value) ? value : null;
}

/** Lines of `index, utilization, memory.used, memory.total` (MiB); malformed lines are skipped. */
export function parseNvidiaSmi(output: string): GpuSample[] {
  const samples: GpuSample[] = [];
  for (const line of output.split(/\r?\n/)) {
    const fields = line.split(",");
    const index = reading(fields[0]);
    if (fields.length < 4 || index === null) continue;
    samples.push({ index, utilizationPercent: reading(fields[1]), memoryUsedMb: reading(fields[2]), memoryTotalMb: reading(fields[3]) });
  }
  return samples;
}

/** `system/gpu<i>_utilization_percent`, `_memory_used_mb`, `_memory_used_percent`, for the readings present. */
export function gpuPoints(samples: readonly GpuSample[]): Record<string, number> {
  const points: Record<string, number> = {};
  for (const gpu of samples) {
    const prefix = `system/gpu${gpu.index}`;
    if (gpu.utilizationPercent !== null) points[`${prefix}_utilization_percent`] = gpu.utilizationPercent;
    if (gpu.memoryUsedMb !== null) points[`${prefix}_memory_used_mb`] = gpu.memoryUsedMb;
    if (gpu.memoryUsedMb !== null && gpu.memoryTotalMb !== null && gpu.memoryTotalMb > 0) {
      points[`${prefix}_memory_used_percent`] = (gpu.memoryUsedMb / gpu.memoryTotalMb) * 100;
    }
  }
  return points;
}

/** The first executable `name` on PATH, or null. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | null {
  for (const folder of path.split(delimiter).filter((part) => part !== "")) {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return join(folder, name);
    } catch {
      // not in this folder
    }
  }
  return null;
}

export class GpuProbe {
  private binary: string | null | undefined;

  /** `binary`: a path to nvidia-smi, or null for none; by default it is looked up on PATH once. */
  constructor(
    binary?: string | null,
    private readonly timeoutMs = 2_000,
  ) {
    this.binary = binary;
  }

  /** The current readings as metric points; {} without nvidia-smi or when the query fails. */
  async points(): Promise<Record<string, number>> {
    this.binary ??= findOnPath("nvidia-smi");
    const binary = this.binary;
    if (binary === null) return {};
    const output = await new Promise<string | null>((resolve) => {
      execFile(binary, NVIDIA_SMI_ARGS, { timeout: this.timeoutMs, encoding: "utf8" }, (error, stdout) => resolve(error ? null : stdout));
    });
    return output === null ? {} : gpuPoints(parseNvidiaSmi(output));
  }
}
