import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // The e2e test runs the API in-process: one copy of graphql (see apps/api/vitest.config.ts).
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    name: "web",
    include: ["src/**/*.test.{ts,tsx}", "e2e/**/*.test.ts"],
    // The e2e test needs a PostgreSQL database for its API; unit tests ignore it.
    globalSetup: ["@runboard/db/testing/global-setup"],
    testTimeout: 30_000,
    // beforeAll of the browser tests may run `next build` (minutes on two busy cores).
    hookTimeout: 600_000,
  },
});
