import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  // The monorepo root holds the lockfile and node_modules.
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  // The API is reached server-side only (route handlers, server components): nothing public.
  poweredByHeader: false,
  // `next dev` opened as 127.0.0.1 (the browser tests' address) may load its dev resources.
  allowedDevOrigins: ["127.0.0.1"],
};

export default config;
