/**
 * The browser's GraphQL endpoint: forwards the request to the API with the session's token as
 * Bearer, so the token stays in its httpOnly cookie and never reaches page scripts.
 */
import { type NextRequest } from "next/server";
import { readWebEnv } from "../../../lib/env.ts";
import { SESSION_COOKIE, bearer } from "../../../lib/session-cookies.ts";

export const dynamic = "force-dynamic";

function unauthenticated(): Response {
  const body = { errors: [{ message: "not signed in", extensions: { code: "UNAUTHENTICATED" } }] };
  return Response.json(body, { status: 401 });
}

export async function POST(request: NextRequest): Promise<Response> {
  const authorization = bearer(request.cookies.get(SESSION_COOKIE)?.value);
  if (authorization === undefined) return unauthenticated();
  const upstream = await fetch(readWebEnv().apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", authorization },
    body: await request.text(),
    cache: "no-store",
  });
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
  });
}
