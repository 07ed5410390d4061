/** Server-side GraphQL over fetch, with the session's token as Bearer (never sent to the browser). */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly errors: GraphQLErrorShape[],
    readonly status: number,
  ) {
    super(errors.map((error) => error.message).join("; ") || `API answered ${status}`);
  }

  get unauthenticated(): boolean {
    return this.status === 401 || this.errors.some((error) => error.extensions?.code === "UNAUTHENTICATED");
  }
}

export async function apiRequest<Data, Variables>(
  apiUrl: string,
  authorization: string | undefined,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(apiUrl, {
    method: "POST",
    headers,
    body: JSON.stringify({ query: print(document), variables }),
    cache: "no-store",
  });
  const text = await response.text();
  let body: { data?: Data | null; errors?: GraphQLErrorShape[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ApiError([{ message: `API answered ${response.status} with a body that is not JSON` }], response.status);
  }
  if (body.errors !== undefined && body.errors.length > 0) throw new ApiError(body.errors, response.status);
  if (body.data === undefined || body.data === null) throw new ApiError([], response.status);
  return body.data;
}
