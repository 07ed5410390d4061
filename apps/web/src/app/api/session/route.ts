/**
 * Sign in and out. POST with a form field `token` (an API token): the token is checked against
 * the API, then kept in an httpOnly cookie the browser cannot read, and the browser goes to the
 * form's `next` path (same-site only; /runs by default). DELETE (or POST with
 * `action=signout`) clears it.
 */
import { NextResponse, type NextRequest } from "next/server";
import { ViewerDocument } from "../../../graphql/viewer.ts";
import { ApiError, apiRequest } from "../../../lib/api-fetch.ts";
import { readWebEnv } from "../../../lib/env.ts";
import { safePath } from "../../../lib/safe-path.ts";
import { SESSION_COOKIE, TEAM_COOKIE, bearer, sessionCookieOptions } from "../../../lib/session-cookies.ts";

// A relative Location: behind proxies and on 127.0.0.1 vs localhost, request.url's host may
// not be the one the browser used, and the cookie belongs to the browser's host.
function redirectTo(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path } });
}

function signOut(): NextResponse {
  const response = redirectTo("/signin");
  response.cookies.delete(SESSION_COOKIE);
  response.cookies.delete(TEAM_COOKIE);
  return response;
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData();
  if (form.get("action") === "signout") return signOut();
  const token = String(form.get("token") ?? "").trim();
  const next = safePath(form.get("next"), "/runs");
  const again = (reason: string) => redirectTo(`/signin?error=${reason}${next === "/runs" ? "" : `&next=${encodeURIComponent(next)}`}`);
  if (token === "") return again("missing");
  const env = readWebEnv();
  try {
    await apiRequest(env.apiUrl, bearer(token), ViewerDocument, {});
  } catch (error) {
    return again(error instanceof ApiError && error.unauthenticated ? "refused" : "unreachable");
  }
  const response = redirectTo(next);
  response.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(env.secureCookies));
  return response;
}

export function DELETE(): NextResponse {
  return signOut();
}
