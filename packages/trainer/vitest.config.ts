import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "trainer",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    // ONNX Runtime sessions are multi-threaded already; one test file per core is enough.
    maxWorkers: 2,
  },
});
