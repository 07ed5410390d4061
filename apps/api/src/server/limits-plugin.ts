/** Rejects operations deeper or costlier than configured, before they execute. */
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { measureOperation } from "./query-limits.ts";

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

export function checkOperationSize(
  limits: QueryLimits,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  if (operation === null || operation === undefined) return null;
  const { depth, cost } = measureOperation(schema, document, operation, variables ?? {});
  if (depth > limits.maxDepth) {
    return new GraphQLError(`query: depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
      extensions: { code: "BAD_USER_INPUT", field: "query", rule: `depth must be ≤ ${limits.maxDepth}` },
    });
  }
  if (cost > limits.maxCost) {
    return new GraphQLError(`query: cost ${cost} exceeds the limit of ${limits.maxCost}`, {
      extensions: { code: "BAD_USER_INPUT", field: "query", rule: `cost must be ≤ ${limits.maxCost}` },
    });
  }
  return null;
}

export function queryLimitsPlugin<Context extends object>(limits: QueryLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          const error = checkOperationSize(limits, schema, document, operation, request.variables);
          if (error !== null) throw error;
        },
      };
    },
  };
}
