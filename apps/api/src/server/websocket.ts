/**
 * graphql-ws on the HTTP server's /graphql path. The token travels in connectionParams
 * ({ authorization: "Bearer <token>" }); connections without a valid one are refused, and an
 * open socket lives only as long as its token and memberships (sessions.ts).
 */
import type { Server } from "node:http";
import { GraphQLError, getOperationAST, parse, validate, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { createLoaders } from "../data/loaders.ts";
import type { ApiContext, ContextDeps } from "./context.ts";
import { admitOperation, type QueryLimits } from "./limits-plugin.ts";
import { Sessions } from "./sessions.ts";

function authorizationFrom(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === "string" ? value : undefined;
}

export function attachWebSocket(server: Server, schema: GraphQLSchema, deps: ContextDeps, limits: QueryLimits) {
  const wsServer = new WebSocketServer({ server, path: "/graphql" });
  const sessions = new Sessions(deps.db);
  const cleanup = useServer<Record<string, unknown> | undefined, Record<PropertyKey, unknown>>(
    {
      schema,
      onConnect: (ctx) => sessions.connect(ctx.extra.socket, authorizationFrom(ctx.connectionParams)),
      onSubscribe: async (ctx, _id, payload) => {
        const refused = await sessions.recheck(ctx.extra.socket);
        if (refused !== null) return [refused];
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
        // Charged to the socket's token like an HTTP operation: depth and cost, then the rates.
        const caller = sessions.caller(ctx.extra.socket);
        if (caller === undefined) return [new GraphQLError("not authenticated", { extensions: { code: "UNAUTHENTICATED" } })];
        const rate = { limiter: deps.rateLimits, tokenId: caller.tokenId };
        const refusal = admitOperation(limits, schema, document, operation, payload.variables ?? undefined, rate);
        return refusal === null ? undefined : [refusal];
      },
      context: (ctx): ApiContext => {
        const caller = sessions.caller(ctx.extra.socket);
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
      sessions.stop();
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      clearTimeout(dropLingering);
    },
  };
}
