import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // The API (imported by the tests) needs the one CommonJS copy of graphql, as in apps/api.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    name: "worker",
    include: ["src/**/*.test.ts"],
    globalSetup: ["@runboard/db/testing/global-setup"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Training tests share two cores: one file at a time.
    fileParallelism: false,
  },
});
