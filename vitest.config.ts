import { defineConfig } from "vitest/config";

// One test command for the monorepo: each package is a vitest project with its own config.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"],
    // Projects that run side by side must share one maxWorkers (or set their own
    // sequence.groupOrder): vitest refuses to mix them, and then exits 0 with no test run.
    // Projects that do not set it take this one; 2 matches CI's two cores.
    maxWorkers: 2,
  },
});
