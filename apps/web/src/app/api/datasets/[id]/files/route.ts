/**
 * One image of a dataset for the browser: forwards GET /datasets/<id>/files?path=…&size=… to the
 * API with the session's token as Bearer (the token stays in its httpOnly cookie).
 */
import { type NextRequest } from "next/server";
import { ARTIFACT_ID } from "../../../../../lib/artifacts.ts";
import { readWebEnv } from "../../../../../lib/env.ts";
import { SESSION_COOKIE, bearer } from "../../../../../lib/session-cookies.ts";

export const dynamic = "force-dynamic";
const FORWARDED = ["content-type", "content-length", "cache-control", "x-content-type-options"];

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const authorization = bearer(request.cookies.get(SESSION_COOKIE)?.value);
  if (authorization === undefined) return Response.json({ error: "not signed in" }, { status: 401 });
  const { id } = await params;
  if (!ARTIFACT_ID.test(id)) return Response.json({ error: "id: must be a dataset id (letters, digits and dashes)" }, { status: 400 });
  const upstreamUrl = new URL(`/datasets/${encodeURIComponent(id)}/files`, readWebEnv().apiUrl);
  for (const name of ["path", "size"]) {
    const value = request.nextUrl.searchParams.get(name);
    if (value !== null) upstreamUrl.searchParams.set(name, value);
  }
  const upstream = await fetch(upstreamUrl, { headers: { authorization }, cache: "no-store" });
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
