/**
 * graphql-ws on the HTTP server's /graphql path. The token travels in connectionParams
 * ({ authorization: "Bearer <token>" }); connections without a valid one are refused.
 */
import type { Server } from "node:http";
import { GraphQLError, getOperationAST, parse, validate, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { createLoaders } from "../data/loaders.ts";
import type { Caller } from "../services/permissions.ts";
import { authenticate } from "../services/viewer.ts";
import type { ApiContext, ContextDeps } from "./context.ts";
import { checkOperationSize, type QueryLimits } from "./limits-plugin.ts";

function authorizationFrom(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === "string" ? value : undefined;
}

export function attachWebSocket(server: Server, schema: GraphQLSchema, deps: ContextDeps, limits: QueryLimits) {
  const wsServer = new WebSocketServer({ server, path: "/graphql" });
  const callers = new WeakMap<object, Caller>();
  const cleanup = useServer<Record<string, unknown> | undefined, Record<PropertyKey, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          callers.set(ctx.extra, await authenticate(deps.db, authorizationFrom(ctx.connectionParams)));
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (_ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError("query: cannot be parsed")];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (operation === null) return [new GraphQLError("query: names no operation")];
        const tooBig = checkOperationSize(limits, schema, document, operation, payload.variables ?? undefined);
        return tooBig === null ? undefined : [tooBig];
      },
      context: (ctx): ApiContext => {
        const caller = callers.get(ctx.extra);
        if (caller === undefined) throw new GraphQLError("not authenticated", { extensions: { code: "UNAUTHENTICATED" } });
        return { ...deps, caller, loaders: createLoaders(deps.db) };
      },
    },
    wsServer,
  );
  return {
    /** Says "going away" to every client, and drops those that have not closed after a second. */
    async close() {
      const dropLingering = setTimeout(() => {
        for (const client of wsServer.clients) client.terminate();
      }, 1000);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      clearTimeout(dropLingering);
    },
  };
}
