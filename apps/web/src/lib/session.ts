/**
 * The signed-in session on the server: the token from the httpOnly cookie, the viewer and the
 * chosen team. Server components and route handlers call the API through here.
 */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { ViewerQuery } from "../gql/graphql.ts";
import { ViewerDocument } from "../graphql/viewer.ts";
import { ApiError, apiRequest } from "./api-fetch.ts";
import { readWebEnv } from "./env.ts";
import { SESSION_COOKIE, TEAM_COOKIE, bearer } from "./session-cookies.ts";

export type Team = ViewerQuery["me"]["teams"][number];

export interface Session {
  authorization: string;
  viewer: ViewerQuery["me"];
  team: Team;
}

export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** The session, or a redirect to /signin when there is none or the API refuses its token. */
export const requireSession = cache(async (): Promise<Session> => {
  const authorization = bearer(await sessionToken());
  if (authorization === undefined) redirect("/signin");
  let viewer: ViewerQuery["me"];
  try {
    viewer = (await apiRequest(readWebEnv().apiUrl, authorization, ViewerDocument, {})).me;
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) redirect("/signin?error=expired");
    throw error;
  }
  const chosen = (await cookies()).get(TEAM_COOKIE)?.value;
  const team = viewer.teams.find((candidate) => candidate.id === chosen) ?? viewer.teams[0];
  if (team === undefined) throw new Error("this user belongs to no team: ask a team owner to add you");
  return { authorization, viewer, team };
});

export async function serverQuery<Data, Variables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
  const session = await requireSession();
  return apiRequest(readWebEnv().apiUrl, session.authorization, document, variables);
}
