import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importTfliteFile } from "../models/import/tflite-import.ts";
import { graphShapeMismatches } from "./testing/shape-check.ts";

const MODEL = join(dirname(fileURLToPath(import.meta.url)), "../../../../../shared/models/mobilenet_v2_1.0_224_quant.tflite");
const present = existsSync(MODEL);
if (!present) console.warn(`skipping the whole-model shape check: ${MODEL} is absent`);

describe.skipIf(!present)("inferShapes on a real network", () => {
  it("agrees with ONNX Runtime on every tensor of the imported ImageNet MobileNetV2", async () => {
    const graph = importTfliteFile(MODEL).graph;
    expect(graph.nodes.length).toBeGreaterThan(60);
    expect(await graphShapeMismatches(graph, { bind: { batch: 2 } })).toEqual([]);
  });
});
