/**
 * The API server: Apollo over Node's http server, graphql-ws on the same port and path,
 * one LISTEN connection for subscriptions.
 */
import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { Database } from "@runboard/db";
import type pg from "pg";
import { EventHub } from "../events/hub.ts";
import { resolvers } from "../resolvers/index.ts";
import { loadTypeDefs } from "../schema/index.ts";
import { DEFAULT_ARTIFACT_ROOT } from "@runboard/queue";
import { catalogLocation } from "@runboard/trainer/models";
import { defaultUploadLimits, type UploadLimits } from "../uploads/limits.ts";
import type { ApiContext, LaunchSettings } from "./context.ts";
import { createRequestHandler } from "./http.ts";
import { queryLimitsPlugin, type QueryLimits } from "./limits-plugin.ts";
import { defaultRateLimits, RateLimiter } from "./rate-limits.ts";
import { attachWebSocket } from "./websocket.ts";

/** `.data/sources`, beside the default artifact root: what path imports may read unless RUNBOARD_SOURCE_ROOTS says otherwise. */
export const DEFAULT_SOURCE_ROOT = join(dirname(DEFAULT_ARTIFACT_ROOT), "sources");

export interface ApiServerOptions {
  pool: pg.Pool;
  limits: QueryLimits;
  /** Default: the artifact root, the source root and the model catalog of `npm start`. */
  launch?: Partial<Omit<LaunchSettings, "uploadLimits">> & { uploadLimits?: Partial<UploadLimits> };
}

export interface ApiServer {
  server: Server;
  db: Database;
  events: EventHub;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const db = new Database(options.pool);
  const events = new EventHub(options.pool.options);
  await events.start();
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
  const server = createServer();
  const launch = {
    // Absolute, so the paths of uploads and converted datasets stored from it are too (launches refuse relative ones).
    artifactRoot: resolve(options.launch?.artifactRoot ?? DEFAULT_ARTIFACT_ROOT),
    sourceRoots: options.launch?.sourceRoots ?? [DEFAULT_SOURCE_ROOT],
    uploadLimits: { ...defaultUploadLimits, ...options.launch?.uploadLimits },
    // RUNBOARD_MODEL_CATALOG and RUNBOARD_MODEL_CACHE, read by the trainer as the workers read them.
    modelCatalog: options.launch?.modelCatalog ?? catalogLocation(),
  };
  if (options.launch?.sourceRoots === undefined) await mkdir(DEFAULT_SOURCE_ROOT, { recursive: true });
  const rateLimits = new RateLimiter({ ...defaultRateLimits, ...options.limits.rate }, options.limits.maxCost);
  const deps = { db, events, launch, rateLimits };
  const websocket = attachWebSocket(server, schema, deps, options.limits);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    // The process's owner (start.ts, tests) decides when to stop. Apollo's own handlers raced
    // start.ts's: the API then hung in stop() until `npm start` killed it 15 s later.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // No HTTP caching of GraphQL responses here; the default cache-control plugin wrapped every
      // field resolver, a third of the time of a 20,000-point compareRuns.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: () => websocket.close() }) },
      queryLimitsPlugin<ApiContext>(options.limits, rateLimits),
    ],
  });
  await apollo.start();
  server.on("request", createRequestHandler(apollo, deps));
  return {
    server,
    db,
    events,
    listen: (port, host) =>
      new Promise((resolve) => {
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${host === undefined || host === "0.0.0.0" ? "localhost" : host}:${address.port}/graphql`);
        });
      }),
    async close() {
      await apollo.stop();
      await events.stop();
    },
  };
}
