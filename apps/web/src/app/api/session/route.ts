/**
 * Sign in and out. POST with a form field `token` (an API token): the token is checked against
 * the API, then kept in an httpOnly cookie the browser cannot read. DELETE (or POST with
 * `action=signout`) clears it.
 */
import { NextResponse, type NextRequest } from "next/server";
import { ViewerDocument } from "../../../graphql/viewer.ts";
import { ApiError, apiRequest } from "../../../lib/api-fetch.ts";
import { readWebEnv } from "../../../lib/env.ts";
import { SESSION_COOKIE, TEAM_COOKIE, bearer, sessionCookieOptions } from "../../../lib/session-cookies.ts";

function redirectTo(request: NextRequest, path: string): NextResponse {
  return NextResponse.redirect(new URL(path, request.url), 303);
}

function signOut(request: NextRequest): NextResponse {
  const response = redirectTo(request, "/signin");
  response.cookies.delete(SESSION_COOKIE);
  response.cookies.delete(TEAM_COOKIE);
  return response;
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData();
  if (form.get("action") === "signout") return signOut(request);
  const token = String(form.get("token") ?? "").trim();
  if (token === "") return redirectTo(request, "/signin?error=missing");
  const env = readWebEnv();
  try {
    await apiRequest(env.apiUrl, bearer(token), ViewerDocument, {});
  } catch (error) {
    const reason = error instanceof ApiError && error.unauthenticated ? "refused" : "unreachable";
    return redirectTo(request, `/signin?error=${reason}`);
  }
  const response = redirectTo(request, "/runs");
  response.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(env.secureCookies));
  return response;
}

export function DELETE(request: NextRequest): NextResponse {
  return signOut(request);
}
