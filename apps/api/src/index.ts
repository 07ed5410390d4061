export { createApiServer, type ApiServer, type ApiServerOptions } from "./server/app.ts";
export { ingestPoints, type IncomingPoint } from "./metrics/ingest.ts";
export { readEnv, type ApiEnv } from "./env.ts";
