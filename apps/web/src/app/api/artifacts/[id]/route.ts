/**
 * An artifact's bytes for the browser: forwards GET /artifacts/<id> to the API with the
 * session's token as Bearer (the token stays in its httpOnly cookie) and streams the answer.
 */
import { type NextRequest } from "next/server";
import { readWebEnv } from "../../../../lib/env.ts";
import { artifactApiUrl, ARTIFACT_ID } from "../../../../lib/artifacts.ts";
import { SESSION_COOKIE, bearer } from "../../../../lib/session-cookies.ts";

export const dynamic = "force-dynamic";
const FORWARDED = ["content-type", "content-length", "content-disposition"];

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const authorization = bearer(request.cookies.get(SESSION_COOKIE)?.value);
  if (authorization === undefined) return Response.json({ error: "not signed in" }, { status: 401 });
  const { id } = await params;
  if (!ARTIFACT_ID.test(id)) return Response.json({ error: "id: must be an artifact id (letters, digits and dashes)" }, { status: 400 });
  const upstream = await fetch(artifactApiUrl(readWebEnv().apiUrl, id), { headers: { authorization }, cache: "no-store" });
  const headers = new Headers({ "cache-control": "private, max-age=3600" });
  for (const name of FORWARDED) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // ?inline: images and JSON shown in the page rather than saved.
  if (request.nextUrl.searchParams.has("inline")) headers.delete("content-disposition");
  return new Response(upstream.body, { status: upstream.status, headers });
}
