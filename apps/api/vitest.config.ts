import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for @apollo/server and graphql-ws; Vite would hand
    // our sources the .mjs build. Two copies of graphql refuse each other's types.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    name: "api",
    include: ["src/**/*.test.ts", "bench/**/*.test.ts"],
    // A fresh migrated PostgreSQL database per test run (the machine's, else an embedded one).
    globalSetup: ["@runboard/db/testing/global-setup"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
