import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findOnPath, GpuProbe, gpuPoints, parseNvidiaSmi } from "./gpu-metrics.ts";

/** What `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits` prints on a two-GPU machine. */
const TWO_GPUS = "0, 87, 30412, 81559\n1, 0, 4, 81559\n";

const folder = mkdtempSync(join(tmpdir(), "gpu-metrics-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("parseNvidiaSmi", () => {
  it("reads index, utilization and memory of each GPU", () => {
    expect(parseNvidiaSmi(TWO_GPUS)).toEqual([
      { index: 0, utilizationPercent: 87, memoryUsedMb: 30412, memoryTotalMb: 81559 },
      { index: 1, utilizationPercent: 0, memoryUsedMb: 4, memoryTotalMb: 81559 },
    ]);
  });

  it("keeps N/A readings out and skips lines that are not readings", () => {
    const output = "0, [N/A], 1024, 16384\r\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n\n2, 15, [Not Supported], 16384\n";
    expect(parseNvidiaSmi(output)).toEqual([
      { index: 0, utilizationPercent: null, memoryUsedMb: 1024, memoryTotalMb: 16384 },
      { index: 2, utilizationPercent: 15, memoryUsedMb: null, memoryTotalMb: 16384 },
    ]);
  });
});

describe("gpuPoints", () => {
  it("names a point per GPU and reading, with memory as a percent of the total", () => {
    const points = gpuPoints(parseNvidiaSmi(TWO_GPUS));
    expect(Object.keys(points).sort()).toEqual([
      "system/gpu0_memory_used_mb",
      "system/gpu0_memory_used_percent",
      "system/gpu0_utilization_percent",
      "system/gpu1_memory_used_mb",
      "system/gpu1_memory_used_percent",
      "system/gpu1_utilization_percent",
    ]);
    expect(points["system/gpu0_utilization_percent"]).toBe(87);
    expect(points["system/gpu0_memory_used_percent"]).toBeCloseTo((30412 / 81559) * 100, 6);
    expect(gpuPoints(parseNvidiaSmi("0, [N/A], [N/A], [N/A]\n"))).toEqual({});
  });
});

describe("GpuProbe", () => {
  it("gives no points and no error without nvidia-smi", async () => {
    expect(findOnPath("nvidia-smi", folder)).toBeNull();
    await expect(new GpuProbe(null).points()).resolves.toEqual({});
    await expect(new GpuProbe(join(folder, "missing-nvidia-smi")).points()).resolves.toEqual({});
  });

  it("runs the binary it finds on PATH with the query and parses its answer", async () => {
    // A stand-in that prints the sample only when called with the worker's exact arguments.
    const script = join(folder, "nvidia-smi");
    writeFileSync(
      script,
      `#!/bin/sh\n[ "$1" = "--query-gpu=index,utilization.gpu,memory.used,memory.total" ] && [ "$2" = "--format=csv,noheader,nounits" ] || exit 9\nprintf '${TWO_GPUS.replace(/\n/g, "\\n")}'\n`,
    );
    chmodSync(script, 0o755);
    expect(findOnPath("nvidia-smi", folder)).toBe(script);
    expect(await new GpuProbe(script).points()).toEqual(gpuPoints(parseNvidiaSmi(TWO_GPUS)));
    writeFileSync(script, "#!/bin/sh\nexit 3\n");
    expect(await new GpuProbe(script).points()).toEqual({});
  });
});
