/**
 * Uploads for the browser: streams the body on to the API's POST /uploads with the session's
 * token as Bearer (the token stays in its httpOnly cookie), never holding the file in memory.
 */
import { type NextRequest } from "next/server";
import { readWebEnv } from "../../../lib/env.ts";
import { SESSION_COOKIE, bearer } from "../../../lib/session-cookies.ts";
import { uploadApiUrl } from "../../../lib/upload.ts";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<Response> {
  const authorization = bearer(request.cookies.get(SESSION_COOKIE)?.value);
  if (authorization === undefined) return Response.json({ error: "not signed in" }, { status: 401 });
  if (request.body === null) return Response.json({ error: { field: "body", rule: "must not be empty" } }, { status: 400 });
  const headers: Record<string, string> = { authorization, "content-type": request.headers.get("content-type") ?? "application/octet-stream" };
  const length = request.headers.get("content-length");
  if (length !== null) headers["content-length"] = length;
  const upstream = await fetch(uploadApiUrl(readWebEnv().apiUrl, request.nextUrl.search), {
    method: "POST",
    headers,
    body: request.body,
    // Node's fetch sends a stream body only in half-duplex mode.
    duplex: "half",
    cache: "no-store",
  } as RequestInit & { duplex: "half" });
  return new Response(upstream.body, { status: upstream.status, headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" } });
}
