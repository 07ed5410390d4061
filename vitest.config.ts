import { defineConfig } from "vitest/config";

// One test command for the monorepo: each package is a vitest project with its own config.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"],
  },
});
