export { createApiServer, type ApiServer, type ApiServerOptions } from "./server/app.ts";
export { readEnv, type ApiEnv } from "./env.ts";
